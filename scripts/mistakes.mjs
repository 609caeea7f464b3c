#!/usr/bin/env node
// Realistic mistakes, one at a time, against the checkers: each is applied to a scratch
// copy of the sources, then `check` (1,000 runs per profile) and `explore` (a generated
// 3-host fleet and the budget example, each with every fault kind and with late deliveries
// only, the example fleet with channel and host edges, a budget inside a wave, the demo
// preset, a flapping probe with two faults, and a deferral while cut off) run on it.
// Prints one JSON line per mistake and a Markdown table for docs/verification.md.
//
//   npm run mistakes                # every mistake
//   npm run mistakes -- cp-terminal # only those whose id contains the word
//   npm run mistakes -- --check-only [word]   # check alone (after a change to its generator)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

/** id, where, what a hurried engineer might write, and the text it replaces (exactly once). */
const MISTAKES = [
  {
    id: 'cp-terminal-counts-deferred',
    what: 'RolloutTerminal offered once every host is Converged or Deferred',
    file: 'sim/control-plane/control-plane.ts',
    from: "if (next.state === 'Converged' && tables.count(id, 'Converged') === tables.size(id)) {",
    to: "if ((next.state === 'Converged' || next.state === 'Deferred') && tables.count(id, 'Converged') + tables.count(id, 'Deferred') === tables.size(id)) {",
  },
  {
    id: 'cp-budget-no-accumulator',
    what: 'the same-run budget counter is never incremented (D-008)',
    file: 'sim/control-plane/control-plane.ts',
    from: 'counters.set(budget.selector, (counters.get(budget.selector) ?? 0) + 1);',
    to: 'counters.set(budget.selector, counters.get(budget.selector) ?? 0);',
  },
  {
    id: 'cp-supersede-active-only',
    what: 'open_rollout supersedes only Active predecessors',
    file: 'sim/control-plane/control-plane.ts',
    from: "r.rolloutId !== id && r.state !== 'Superseded' && r.state !== 'Pruned',",
    to: "r.rolloutId !== id && r.state === 'Active',",
  },
  {
    id: 'cp-no-host-state-changed-on-failed',
    what: 'the applier forwards HostStateChanged only for Converged hosts',
    file: 'sim/control-plane/control-plane.ts',
    from: 'if (!(world.profile.flags.rollback_reverts_rollout && rollbackComing)) {',
    to: "if (next.state === 'Converged' && !(world.profile.flags.rollback_reverts_rollout && rollbackComing)) {",
  },
  {
    id: 'gate-host-edge-pending-ok',
    what: 'the host-edge gate lets a Pending gating host count as done',
    file: 'sim/control-plane/gates.ts',
    from: "if (state !== 'Converged' && state !== 'Deferred') {",
    to: "if (state !== 'Converged' && state !== 'Deferred' && state !== 'Pending') {",
  },
  {
    id: 'gate-budget-off-by-one',
    what: 'the budget gate blocks at max − 1 (too cautious)',
    file: 'sim/control-plane/gates.ts',
    from: 'if (used >= budget.max_in_flight) {',
    to: 'if (used + 1 >= budget.max_in_flight) {',
  },
  {
    id: 'gate-halt-ignores-pruned',
    what: 'the halt gate holds Failed and Reverted rollouts, not one retention pruned while current',
    file: 'sim/control-plane/gates.ts',
    from: "new Set(['Failed', 'Reverted', 'Pruned'])",
    to: "new Set(['Failed', 'Reverted'])",
  },
  {
    id: 'gate-host-edge-deferred-waits',
    what: 'the host-edge gate waits for a Deferred gating host to converge (too cautious)',
    file: 'sim/control-plane/gates.ts',
    from: "if (state !== 'Converged' && state !== 'Deferred') {",
    to: "if (state !== 'Converged') {",
  },
  {
    id: 'gate-compliance-own-wave',
    what: "the compliance gate counts failing controls of the host's own wave too (too cautious)",
    file: 'sim/control-plane/gates.ts',
    from: 'const failing = view.failingBefore(rollout.rolloutId, wave);',
    to: 'const failing = view.failingBefore(rollout.rolloutId, wave + 1);',
  },
  {
    id: 'gate-channel-edge-state',
    what: 'the channel-edge gate treats a Failed predecessor as done',
    file: 'sim/control-plane/gates.ts',
    from: 'if (predecessor.terminalAt === null) {',
    to: "if (predecessor.terminalAt === null && predecessor.state !== 'Failed') {",
  },
  {
    id: 'cp-soak-seconds',
    what: "compute_soak_due_at takes the wave's soak_minutes as seconds",
    file: 'sim/control-plane/control-plane.ts',
    from: '(channelWaves(this.world.fleet, channel)[wave]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 60_000',
    to: '(channelWaves(this.world.fleet, channel)[wave]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 1000',
  },
  {
    id: 'cp-soak-zero-fallback',
    what: 'a wave soak of 0 minutes falls back to the 60-minute default (a falsy test where a missing one was meant)',
    file: 'sim/control-plane/control-plane.ts',
    from: '(channelWaves(this.world.fleet, channel)[wave]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 60_000',
    to: '(channelWaves(this.world.fleet, channel)[wave]?.soak_minutes || DEFAULT_SOAK_MINUTES) * 60_000',
  },
  {
    id: 'cp-soak-first-wave',
    what: "every host soaks for the first wave's soak_minutes, whatever its wave",
    file: 'sim/control-plane/control-plane.ts',
    from: '(channelWaves(this.world.fleet, channel)[wave]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 60_000',
    to: '(channelWaves(this.world.fleet, channel)[Math.min(wave, 0)]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 60_000',
  },
  {
    id: 'retention-hours',
    what: 'the retention period taken in hours where days were meant (FINISHED_ROLLOUTS_RETENTION_HOURS beside retention_days)',
    file: 'sim/settings.ts',
    from: 'return Math.round(settings.retention_days * 86_400_000);',
    to: 'return Math.round(settings.retention_days * 3_600_000);',
  },
  {
    id: 'cp-restart-while-down-still-counted',
    what: 'a planned restart while the control plane is down already is skipped, but still counted as input to come',
    file: 'sim/control-plane/control-plane.ts',
    from: 'Its cp_up will not come to count down.\n          world.scripted--;\n',
    to: 'Its cp_up will not come to count down.\n',
  },
  {
    id: 'cp-quiet-waits-on-every-deferral',
    what: 'the run waits for every Deferred host while reboots are configured, even one whose reboot was overtaken (the simulator bug of session 22)',
    file: 'sim/control-plane/control-plane.ts',
    from: '          if (this.bootedIntoDeferral(id, host, runs))\n',
    to: "          if (this.world.fleet.operator.reboot_deferred_after_seconds !== null && this.tables.hostState(id, host) === 'Deferred')\n",
  },
  {
    id: 'cp-quiet-ignores-deferral',
    what: 'the run takes no Deferred host for work to come: its reboot is scripted input, but once it has booted, its heartbeat is not',
    file: 'sim/control-plane/control-plane.ts',
    from: "      if (tables.count(id, 'Deferred') > 0) {\n        for (const host of this.world.hosts)\n          if (this.bootedIntoDeferral(id, host, runs))\n",
    to: "      if (tables.count(id, 'Deferred') > 0) {\n        for (const host of this.world.hosts)\n          if (this.bootedIntoDeferral(id, host, runs) && false)\n",
  },
  {
    id: 'retention-sweep-hour-early',
    what: "faithful's retention timer fires at the hourly sweep before the row is old enough, not the first one after: that sweep keeps the row and none follows",
    file: 'sim/retention.ts',
    from: 'RUN_START + (Math.floor((due - RUN_START) / HOUR) + 1) * HOUR',
    to: 'RUN_START + Math.floor((due - RUN_START) / HOUR) * HOUR',
  },
  {
    id: 'retention-rearmed',
    what: 'a retention timer armed at every change into a finished state, not once (a Terminal rollout superseded later gets two)',
    file: 'sim/control-plane/control-plane.ts',
    from: 'if (finished(before) || !finished(next)) return;',
    to: 'if (!finished(next)) return;',
  },
  {
    id: 'retention-lost-while-down',
    what: 'a prune that falls due while the control plane is down is dropped with the rest of its input',
    file: 'sim/control-plane/control-plane.ts',
    from: "if (m.kind === 'retention_due') this.overdueRetention.push(m.rolloutId);",
    to: '',
  },
  {
    id: 'agent-threshold-strict',
    what: 'the advance tick fails a host only strictly after the threshold plus a tick',
    file: 'sim/agent/agent.ts',
    from: 'now - r.probeFailureFirstAt >= threshold &&',
    to: 'now - r.probeFailureFirstAt > threshold + 5000 &&',
  },
  {
    id: 'agent-rollback-to-target',
    what: 'the rollback worker switches to the target closure instead of the one before dispatch',
    file: 'sim/agent/agent.ts',
    from: "this.enqueueSwitch({ kind: 'rollback', rolloutId, closure: effect.closure });",
    to: "this.enqueueSwitch({ kind: 'rollback', rolloutId, closure: this.record(rolloutId)?.targetClosure ?? effect.closure });",
  },
  {
    id: 'agent-converge-world-clock',
    what: 'the agent stamps convergence on the world clock while it judges the soak on its own',
    file: 'sim/agent/agent.ts',
    from: "          type: 'LocalConvergedReached',\n          convergedAt: now,",
    to: "          type: 'LocalConvergedReached',\n          convergedAt: this.world.now,",
  },
  {
    id: 'agent-boot-keeps-deferred',
    what: "intent's boot-overtaken merge looks for an Activating record, so it keeps the Deferred one the boot overtook",
    file: 'sim/agent/agent.ts',
    from: "      local.state === 'Deferred' &&\n      snapshot.state === 'Soaking' &&",
    to: "      local.state === 'Activating' &&\n      snapshot.state === 'Soaking' &&",
  },
  {
    id: 'machine-soak-strict',
    what: 'host machine: convergence refused at exactly soak_due_at (> instead of >=)',
    file: 'machines/host/guards.ts',
    from: 'compareTimestamps(event.convergedAt, record.soakDueAt) < 0',
    to: 'compareTimestamps(event.convergedAt, record.soakDueAt) <= 0',
  },
  {
    id: 'machine-failed-noop',
    what: 'rollout machine: Active and Converging ignore HostStateChanged to Failed',
    file: 'machines/rollout/machine.ts',
    from: "guard: { type: 'hostWentTo', params: { to: 'Failed' } },",
    to: "guard: { type: 'hostWentTo', params: { to: 'Nothing' as 'Failed' } },",
  },
  {
    id: 'machine-first-failure-latest',
    what: 'host machine: a later first-failure report moves probe_failure_first_at (the sustained clock resets)',
    file: 'machines/host/actions.ts',
    from: 'probeFailureFirstAt: r.probeFailureFirstAt ?? e.firstFailedAt,',
    to: 'probeFailureFirstAt: e.firstFailedAt ?? r.probeFailureFirstAt,',
  },
  {
    id: 'machine-rollback-before-transition',
    what: 'host machine: Soaking × SustainedFailureCrossed fires the rollback before recording the transition',
    file: 'machines/host/machine.ts',
    from: "['failSustained', emitEvent(true), rt('Failed'), 'fireRollback'],",
    to: "['failSustained', emitEvent(true), 'fireRollback', rt('Failed')],",
  },
  {
    id: 'new-cp-wave-done-counts-failed',
    what: 'advance_current_waves takes a Failed host as done, so the cursor passes a wave with a Failed host (spec §4.4 table: Converged or Deferred only; §3.9 Halt path step 3; §6.9)',
    file: 'sim/control-plane/rollout-applier.ts',
    from: "return s === 'Converged' || s === 'Deferred';",
    to: "return s === 'Converged' || s === 'Deferred' || s === 'Failed';",
  },
  {
    id: 'new-cp-replay-from-plus-one',
    what: 'compute_replay_from answers last_event_seq + 1, as its comment says, not last_event_seq: the agent skips resending the event with seq last + 1 (spec §3.11 heartbeat drift, §6.18)',
    file: 'sim/control-plane/control-plane.ts',
    from: 'record !== undefined && record.currentClosure !== closure ? record.lastEventSeq : null;',
    to: 'record !== undefined && record.currentClosure !== closure ? record.lastEventSeq + 1 : null;',
  },
  {
    id: 'new-cp-queue-once',
    what: 'the planner queues a host once and forgets it, instead of re-queuing it every run while it is Pending and unacknowledged: a lost dispatch is never sent again (spec §4.5 QueueDispatch handling)',
    file: 'sim/control-plane/control-plane.ts',
    from: '      queued.add(row.rolloutId, host);\n',
    to: '      queued.add(row.rolloutId, host);\n      unacked.delete(host);\n',
  },
  {
    id: 'new-agent-failure-first-on-first-run',
    what: "the probe worker emits LocalProbeFailureFirst only when a probe's first run fails, not on every pass-to-fail transition: a probe that passes first and fails later never starts the sustained-failure clock (spec §3.10 probe worker)",
    file: 'sim/agent/agent.ts',
    from: 'if (failed && !run.failing) {',
    to: 'if (failed && run.runs === 0) {',
  },
  {
    id: 'new-agent-timeout-drops-event',
    what: 'a POST that times out is given up and the outbox moves on to the next event, instead of being resent until the CP answers (spec §3.11 events route: 503 and the agent retries; §3.5 durable=true)',
    file: 'sim/agent/agent.ts',
    from: "      case 'send_timeout':\n        if (m.request !== this.inFlight) return;\n        this.inFlight = null;\n",
    to: "      case 'send_timeout':\n        if (m.request !== this.inFlight) return;\n        this.inFlight = null;\n        this.outbox = this.outbox.length > 1 ? this.outbox.slice(1) : NONE;\n",
  },
  {
    id: 'new-agent-deferral-no-bootloader',
    what: 'a deferred activation leaves the bootloader on the old generation, so the next boot does not bring the target up and the host stays Deferred (spec §3.1 Deferred: profile and bootloader updated, takes effect on the next reboot, leaves through Deferred → Soaking)',
    file: 'sim/agent/agent.ts',
    from: '      // Profile and bootloader now point at the target; it runs after the next boot.\n      this.bootClosure = record.targetClosure;\n',
    to: '      // Profile and bootloader now point at the target; it runs after the next boot.\n',
  },
  {
    id: 'new-machine-activation-failure-event-guard',
    what: "host machine: Activating × LocalActivationFailed guarded by the sustained-failure cell's eventPolicyRollsBack (copy-paste), so an activation failure never fires LocalFireRollbackTo under rollback-and-halt (spec §3.8.1 Activating × LocalActivationFailed; §3.9)",
    file: 'machines/host/machine.ts',
    from: "            'policyRollsBack',",
    to: "            'eventPolicyRollsBack',",
  },
  {
    id: 'new-machine-superseded-refuses-retention',
    what: "rollout machine: Superseded refuses RetentionExpired (IllegalForState), following RFC-0008's 'not terminal for pruning' line where the code prunes it (spec §1.1 derived sets, §1.4 table Superseded × RetentionExpired → Pruned, §6 item 6)",
    file: 'machines/rollout/machine.ts',
    from: '        SuccessorOpened: noOp,\n        RetentionExpired: prune,',
    to: '        SuccessorOpened: noOp,\n        RetentionExpired: illegal,',
  },
  {
    id: 'stop30-budget-queue-only',
    what: "intent's budget counts a dispatch still on its way only while it is queued, not once it is handed out and not yet acknowledged (spec §6 item 16)",
    file: 'sim/control-plane/control-plane.ts',
    from: '      this.tables.dispatchQueue.get(host)?.rolloutId === id ||\n      this.handedOut.get(host)?.rolloutId === id\n',
    to: '      this.tables.dispatchQueue.get(host)?.rolloutId === id\n',
  },
  {
    id: 'stop30-wait-for-any-manifest',
    what: "intent's route leaves an event unanswered only while no channel's manifest is cached, not while its own channel's is missing (spec §3.11 step 3, §6 item 17)",
    file: 'sim/control-plane/control-plane.ts',
    from: 'this.tables.hostState(id, host) !== undefined &&\n      !this.manifests.has(channel)',
    to: 'this.tables.hostState(id, host) !== undefined &&\n      this.manifests.size === 0',
  },
  {
    id: 'stop31-failed-manifest-dropped',
    what: "the manifest poll drops a channel whose manifest failed under every profile; intent's flag to keep the last verified one is heeded only for a cache a restart emptied (spec §4.1, §4.8)",
    file: 'sim/control-plane/control-plane.ts',
    from: 'if (!world.profile.flags.manifest_failure_keeps_last) {\n          if (this.manifests.delete(channel)) changed = true;\n        } else if (!this.manifests.has(channel)) {',
    to: 'if (this.manifests.delete(channel)) {\n          changed = true;\n        } else if (world.profile.flags.manifest_failure_keeps_last) {',
  },
  {
    id: 'stop32-quiet-forgets-lost-dispatch',
    what: "intent's budget counts a handed-out dispatch until the agent's next poll shows its answer lost, but quiet() does not wait for that poll (70 s later, past the 60 s settle window)",
    file: 'sim/control-plane/control-plane.ts',
    from: 'if (flags.budget_counts_queued) {\n      // A dispatch whose answer was lost',
    to: 'if (false) {\n      // A dispatch whose answer was lost',
  },
  {
    id: 'stop32-budget-gate-permissive',
    what: 'the budget gate blocks only past max_in_flight (> where >= was meant)',
    file: 'sim/control-plane/gates.ts',
    from: 'if (used >= budget.max_in_flight) {',
    to: 'if (used > budget.max_in_flight) {',
  },
  {
    id: 'stop32-budget-ignores-soaking',
    what: 'the budget counts Activating hosts in flight, not Soaking ones',
    file: 'sim/control-plane/control-plane.ts',
    from: "if (state === 'Activating' || state === 'Soaking') n++;",
    to: "if (state === 'Activating') n++;",
  },
  {
    id: 'stop33-agent-skew-sign',
    what: "the advance tick converts the host's deadline to the world's clock with the skew's sign flipped",
    file: 'sim/agent/agent.ts',
    from: 'const from = Math.max(due - this.skew, this.world.now + 1);',
    to: 'const from = Math.max(due + this.skew, this.world.now + 1);',
  },
  {
    id: 'stop33-agent-observe-probe-fails',
    what: 'the advance tick counts failing observe-mode probes as failing',
    file: 'sim/agent/agent.ts',
    from: ".filter(([, p]) => p.mode === 'enforce' && p.status === 'fail')",
    to: ".filter(([, p]) => p.status === 'fail')",
  },
  {
    id: 'stop33-agent-merge-takes-cp-probes',
    what: "merge_snapshot_into_state takes the control plane's probe results over the agent's",
    file: 'sim/agent/agent.ts',
    from: 'probes: local?.probes ?? {},',
    to: 'probes: snapshot.probes,',
  },
  {
    id: 'stop33-agent-reboot-keeps-tickers',
    what: 'a reboot leaves the probe tickers started before it running',
    file: 'sim/agent/agent.ts',
    from: 'for (const slot of this.slots) if (slot.probeGeneration > 0) slot.probeGeneration++;',
    to: '',
  },
  {
    id: 'stop33-recovery-skips-deferred',
    what: 'boot recovery completes an Activating record but not a Deferred one',
    file: 'sim/control-plane/recovery.ts',
    from: "if (record.state === 'Activating' || record.state === 'Deferred') return [completed];",
    to: "if (record.state === 'Activating') return [completed];",
  },
  {
    id: 'stop33-recovery-converged-now',
    what: 'the recovery chain stamps RemoteConverged now, not at the soak deadline',
    file: 'sim/control-plane/recovery.ts',
    from: 'convergedAt: Math.max(now, record.soakDueAt ?? now),',
    to: 'convergedAt: now,',
  },
  {
    id: 'stop33-applier-no-terminal-stamp',
    what: 'apply_rollout_effect writes the Terminal state but not terminal_at',
    file: 'sim/control-plane/rollout-applier.ts',
    from: "terminalAt: effect.to === 'Terminal' ? effect.at : next.terminalAt,",
    to: 'terminalAt: next.terminalAt,',
  },
  {
    id: 'stop33-halt-ignores-reverted',
    what: 'the halt gate stops Failed and Pruned rollouts but not Reverted ones',
    file: 'sim/control-plane/gates.ts',
    from: "new Set(['Failed', 'Reverted', 'Pruned'])",
    to: "new Set(['Failed', 'Pruned'])",
  },
  {
    id: 'stop33-rollout-failed-takes-outcomes',
    what: 'the rollout machine treats HostStateChanged in Failed as it does in Active',
    file: 'machines/rollout/machine.ts',
    from: '        // A later Reverted host leaves the rollout Failed: there is no Failed → Reverted edge.\n        HostStateChanged: noOp,',
    to: '        HostStateChanged: hostOutcome,',
  },
  {
    id: 'stop33-agent-rollback-queued-last',
    what: 'a rollback waits behind the switches queued before it, instead of going next',
    file: 'sim/agent/agent.ts',
    from: "job.kind === 'rollback' ? [...s.slice(0, 1), job, ...s.slice(1)] : appended(s, job);",
    to: 'appended(s, job);',
  },
  {
    id: 'stop33-agent-dispatch-from-boot-closure',
    what: 'LocalActivate reports the closure the host will boot as its current one, not the one it runs',
    file: 'sim/agent/agent.ts',
    from: '        currentClosureAtDispatch: this.systemClosure,',
    to: '        currentClosureAtDispatch: this.bootClosure,',
  },
  {
    id: 'stop33-agent-late-ack-pops',
    what: "an event's late acknowledgement, after its request timed out, pops the outbox as a current one would",
    file: 'sim/agent/agent.ts',
    from: 'if (m.request !== this.inFlight) return;\n        this.inFlight = null;\n        if (m.accepted)',
    to: 'if (m.request === this.inFlight) this.inFlight = null;\n        if (m.accepted)',
  },
  {
    id: 'stop33-probe-failures-any-mode',
    what: "probe_failures rows count failing observe-mode probes too (the compliance gate's count)",
    file: 'sim/control-plane/control-plane.ts',
    from: "} else if (p.mode === 'enforce') {",
    to: '} else {',
  },
  {
    id: 'stop33-wave-done-converged-only',
    what: 'advance_current_waves waits for Deferred hosts to converge (spec §4.4: Converged or Deferred)',
    file: 'sim/control-plane/rollout-applier.ts',
    from: "return s === 'Converged' || s === 'Deferred';",
    to: "return s === 'Converged';",
  },
  {
    id: 'stop34-tables-count-no-decrement',
    what: "the control plane's per-rollout counts by host state add a record's new state but never take away its old one",
    file: 'sim/control-plane/tables.ts',
    from: '      counts.set(prior, (counts.get(prior) ?? 1) - 1);\n',
    to: '',
  },
  {
    id: 'stop34-failing-controls-swapped',
    what: 'the compliance count reads the latest-result table where it meant the never-deleted probe_failures rows, and the other way round (a swapped conditional)',
    file: 'sim/control-plane/tables.ts',
    from: 'const table = latestWins ? this.latestFailing : this.probeFailures;',
    to: 'const table = latestWins ? this.probeFailures : this.latestFailing;',
  },
  {
    id: 'stop34-channel-edge-unopened-passes',
    what: "the channel-edge gate lets a channel go while its predecessor's current rollout is not even opened yet (spec §4.8)",
    file: 'sim/control-plane/gates.ts',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the code's own text, a template literal
    from: "return { gate: 'channel-edges', reason: `${edge.gates}@${ref} is not opened yet` };",
    to: 'continue;',
  },
  {
    id: 'stop34-agent-boot-fail-no-fallback',
    what: 'a boot into a deferred generation that fails is reported as failed, but the host is left running the new generation instead of falling back',
    file: 'sim/agent/agent.ts',
    from: '      this.bootClosure = this.systemClosure;\n      this.step(deferred.rolloutId, {',
    to: '      this.step(deferred.rolloutId, {',
  },
  {
    id: 'stop34-agent-advance-ignores-failure-clock',
    what: "the agent's advance tick is scheduled for the soak deadline only, not for a sustained failure's threshold (spec §3.10)",
    file: 'sim/agent/agent.ts',
    from: '      if (r.probeFailureFirstAt !== null) due = Math.min(due, r.probeFailureFirstAt + threshold);\n',
    to: '',
  },
  {
    id: 'stop34-retention-anchor-opened',
    what: 'retention counts from when the rollout opened, not from when it finished (spec §4.12)',
    file: 'sim/control-plane/control-plane.ts',
    from: 'const anchor = next.terminalAt ?? next.supersededAt ?? this.world.now;',
    to: 'const anchor = next.openedAt;',
  },
  {
    id: 'stop34-rollout-wave-forward-ge',
    what: 'the rollout machine takes a WaveAdvanced to the same wave as a move forward (>= where > was meant)',
    file: 'machines/rollout/guards.ts',
    from: "event.type === 'WaveAdvanced' && event.toWave > event.fromWave,",
    to: "event.type === 'WaveAdvanced' && event.toWave >= event.fromWave,",
  },
  {
    id: 'stop34-rehydration-soaking-only',
    what: 'rehydration_effects resets the probe cache only for a Soaking record, not for every record past Pending (spec §3.12)',
    file: 'machines/host/rehydration.ts',
    from: "return record.state === 'Pending'",
    to: "return record.state !== 'Soaking'",
  },
  {
    id: 'stop35-probe-last-pass-forgotten',
    what: "update_probe clears a probe's last_pass_at when it fails, instead of keeping the last pass (spec §3.10 update_probe)",
    file: 'machines/host/actions.ts',
    from: 'lastPassAt: passed ? e.observedAt : (prior?.lastPassAt ?? null),',
    to: 'lastPassAt: passed ? e.observedAt : null,',
  },
  {
    id: 'stop35-observed-first-overwrites',
    what: 'ProbeObservedFirst overwrites probe_observed_first_at with every report, not only the first',
    file: 'machines/host/actions.ts',
    from: 'probeObservedFirstAt: r.probeObservedFirstAt ?? e.observedAt,',
    to: 'probeObservedFirstAt: e.observedAt,',
  },
  {
    id: 'stop35-failure-first-resets',
    what: 'ProbeFailureFirst restarts the sustained-failure clock at each new first failure, where the spec keeps the first (§6 item 12)',
    file: 'machines/host/actions.ts',
    from: 'probeFailureFirstAt: r.probeFailureFirstAt ?? e.firstFailedAt,',
    to: 'probeFailureFirstAt: e.firstFailedAt,',
  },
  {
    id: 'stop35-rollback-to-target',
    what: 'the rollback switches to the target closure again instead of the closure the host ran at dispatch',
    file: 'machines/host/actions.ts',
    from: "closure: context.record.currentClosureAtDispatch ?? '',",
    to: 'closure: context.record.targetClosure,',
  },
  {
    id: 'stop35-quarantine-current-closure',
    what: "the quarantine takes the host's current closure, not the target it was sent to",
    file: 'machines/host/actions.ts',
    from: '    closure: context.record.targetClosure,\n  });\n\nconst ackDispatch',
    to: '    closure: context.record.currentClosure ?? context.record.targetClosure,\n  });\n\nconst ackDispatch',
  },
  {
    id: 'stop35-completion-keeps-probes',
    what: 'ActivationCompleted keeps the probe results of an earlier activation instead of starting afresh',
    file: 'machines/host/actions.ts',
    from: '    currentClosure: e.observedCurrentClosure,\n    probes: {},\n',
    to: '    currentClosure: e.observedCurrentClosure,\n',
  },
  {
    id: 'stop35-seq-equal-accepted',
    what: 'the host reducer refuses only a seq below last_event_seq, so a duplicate seq is applied twice (spec §3.7: seq <= last)',
    file: 'machines/host/guards.ts',
    from: 'seqRegressed: ({ record }: HostContext, event: HostEvent) => event.seq <= record.lastEventSeq,',
    to: 'seqRegressed: ({ record }: HostContext, event: HostEvent) => event.seq < record.lastEventSeq,',
  },
  {
    id: 'stop35-observe-probe-gates',
    what: 'convergence waits for every probe to pass, observe-mode ones too (too cautious)',
    file: 'machines/host/guards.ts',
    from: "Object.values(record.probes).some((p) => p.mode === 'enforce' && p.status !== 'pass'),",
    to: "Object.values(record.probes).some((p) => p.mode !== 'disabled' && p.status !== 'pass'),",
  },
  {
    id: 'stop35-soak-equal-not-elapsed',
    what: 'a Converged at the very soak deadline is taken as before it (`<= 0` where `< 0` was meant)',
    file: 'machines/host/guards.ts',
    from: 'compareTimestamps(event.convergedAt, record.soakDueAt) < 0,',
    to: 'compareTimestamps(event.convergedAt, record.soakDueAt) <= 0,',
  },
  {
    id: 'stop35-cursor-duplicate-advance',
    what: 'a duplicate WaveAdvanced to the current wave writes the cursor and emits UpdateCurrentWave again',
    file: 'machines/rollout/actions.ts',
    from: "if (event.type !== 'WaveAdvanced' || event.toWave <= context.record.currentWave) return context;",
    to: "if (event.type !== 'WaveAdvanced' || event.toWave < context.record.currentWave) return context;",
  },
  {
    id: 'stop35-activate-payload-extra',
    what: "the DispatchAck payload carries LocalActivate's own fields (target closure, soak deadline) on the wire",
    file: 'machines/host/outbound.ts',
    from: "return renamed(event, WIRE_KIND_OF_EVENT[event.type], event.type === 'LocalActivate');",
    to: 'return renamed(event, WIRE_KIND_OF_EVENT[event.type], false);',
  },
  {
    id: 'stop36-sentlog-shape-by-layout',
    what: "the agent's sent log matches a payload to a shape by which fields are folded, not by their values: a probe result that fails is rebuilt with the status of the first one logged",
    file: 'sim/agent/sent-log.ts',
    from: 'if (folded(key, value) ? want !== value : want !== NOT_FOLDED) return false;',
    to: 'if (folded(key, value) !== (want !== NOT_FOLDED)) return false;',
  },
  {
    id: 'stop36-sentlog-replay-seq-restarts',
    what: "the sent log's walk for replay_from resends (spec §3.11) does not carry the seq forward, so every implied seq after the first is rebuilt as 1",
    file: 'sim/agent/sent-log.ts',
    from: '    yield { at, payload };\n    last = payload.seq;\n',
    to: '    yield { at, payload };\n',
  },
  {
    id: 'stop36-sentlog-offset-not-rebased',
    what: 'the sent log rebuilds a timestamp stored as an offset from the run start without adding the run start back',
    file: 'sim/agent/sent-log.ts',
    from: 'payload[key] = offsets & (1 << i) ? RUN_START + (value as number) : value;',
    to: 'payload[key] = value;',
  },
  {
    id: 'stop37-cp-stale-poll-held',
    what: 'the control plane holds every dispatch poll it hears as the open one, so a duplicate that arrives after the next poll takes its place',
    file: 'sim/control-plane/control-plane.ts',
    from: '    if (request <= (this.polled[slot] as number)) return;\n',
    to: '',
  },
  {
    id: 'stop38-cp-skips-superseded',
    what: 'the settle check takes every superseded row as left by its agents, under a profile whose agents abandon superseded rollouts, though one that took no newer dispatch still works for it',
    file: 'sim/control-plane/control-plane.ts',
    from: "      if (abandoned && row.state === 'Pruned' && !this.isCurrent(row)) continue;",
    to: "      if (abandoned && (row.state === 'Superseded' || (row.state === 'Pruned' && !this.isCurrent(row)))) continue;",
  },
  {
    id: 'stop38-cp-pending-on-target-not-work',
    what: "the settle check takes a Pending record whose host already runs its target for no work, though the next heartbeat recovers it (a row faithful's sweep deleted and planning opened again)",
    file: 'sim/control-plane/control-plane.ts',
    from: "            tables.hostState(id, host) === 'Pending' &&\n            runs(host) === tables.hostTarget(id, host)\n",
    to: "            tables.hostState(id, host) === 'Pending' &&\n            runs(host) === tables.hostTarget(id, host) &&\n            host === ''\n",
  },
];

const args = process.argv.slice(2);
const checkOnly = args.includes('--check-only');
const word = args.find((a) => a !== '--check-only');
const chosen = MISTAKES.filter(
  (m) => m.from !== null && (word === undefined || m.id.includes(word)),
);

/** Whether a mistake's text is in `text` exactly once (else the code moved under it). */
function appliesTo(m, text) {
  const at = text.indexOf(m.from);
  return at >= 0 && text.indexOf(m.from, at + 1) < 0;
}

// `--verify` only checks that every mistake still applies (npm test runs it: a refactor
// that moves the text under a mistake would else break the table silently).
if (word === '--verify') {
  const stale = MISTAKES.filter(
    (m) => m.from !== null && !appliesTo(m, readFileSync(join(ROOT, m.file), 'utf8')),
  );
  for (const m of stale)
    process.stderr.write(`${m.id}: the text to replace is not in ${m.file} exactly once\n`);
  process.exit(stale.length === 0 ? 0 : 1);
}

function sandbox(m) {
  const dir = mkdtempSync(join(tmpdir(), `mistake-${m.id}-`));
  for (const part of [
    'machines',
    'sim',
    'src',
    'bin',
    'examples',
    'scripts',
    'package.json',
    'tsconfig.json',
  ])
    cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const path = join(dir, m.file);
  const text = readFileSync(path, 'utf8');
  if (!appliesTo(m, text))
    throw new Error(`${m.id}: the text to replace is not in ${m.file} exactly once`);
  writeFileSync(path, text.replace(m.from, m.to));
  // A mistake is code an engineer could commit: it type-checks. (esbuild does not check
  // types, and a mistake written against an API since renamed only crashes the CLI.)
  try {
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['--noEmit', '-p', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw new Error(`${m.id}: the mistake does not type-check:\n${error.stdout}`);
  }
  // Compiled as `npm install` compiles a clone: the CLI and its workers run dist/.
  execFileSync('node', ['scripts/build.mjs'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

function cli(dir, args) {
  try {
    return JSON.parse(
      execFileSync('node', ['bin/rollout-sim.js', ...args, '--json', '--out', dir], {
        cwd: dir,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        maxBuffer: 1 << 28,
      }),
    );
  } catch (error) {
    if (error.stdout) return JSON.parse(error.stdout);
    throw new Error(`rollout-sim ${args.join(' ')}: ${String(error.stderr).trim()}`);
  }
}

const EXPLORE = [
  ['generated 3×2', ['--hosts', '3', '--waves', '2']],
  // Late deliveries only: a fleet with no fault declared, so liveness is judged too.
  ['generated 3×2, delays only', ['--hosts', '3', '--waves', '2', '--alphabet', 'fleet']],
  ['budget-supersede', ['--fleet', 'examples/budget-supersede.yaml']],
  [
    'budget-supersede, delays only',
    ['--fleet', 'examples/budget-supersede.yaml', '--alphabet', 'fleet'],
  ],
  ['explore-edges', ['--fleet', 'examples/explore-edges.yaml']],
  // A budget of one inside a wave: a host waits out a peer's soak, and its probe failure.
  ['wave-budget', ['--fleet', 'examples/wave-budget.yaml']],
  // A retention of 86.4 s: prunes within a path (the default 90 days is past every path).
  [
    'budget-supersede, retention 0.001 d',
    ['--fleet', 'examples/budget-supersede.yaml', '--set', 'retention_days=0.001'],
  ],
  // Soaks of minutes and probes: the soak deadline and the agent's clock come into play.
  ['demo', ['--preset', 'demo']],
  // A deferral while cut off, the boot just after the network heals: the boot heartbeat
  // meets a control plane that heard none of the agent's reports.
  ['deferred-reboot-partition', ['--fleet', 'examples/deferred-reboot-partition.yaml']],
  // Two failing runs of one probe: a failure, a recovery, a second failure in one soak.
  [
    'flapping probe, 2 faults',
    ['--fleet', 'examples/flapping-probe.yaml', '--alphabet', 'fleet', '--faults', '2'],
  ],
  // One probed host and every fault kind, two at a time: a duplicated event's second
  // acknowledgement landing while the next request is in flight (since stop 34).
  [
    'flapping probe, every fault, 2 faults',
    ['--fleet', 'examples/flapping-probe.yaml', '--faults', '2'],
  ],
  // A DispatchAck answered and dropped for want of a manifest: the control plane recovers
  // a Pending record while the host already runs its target (since stop 34).
  [
    'lost-ack recovery, 2 faults',
    ['--fleet', 'examples/lost-ack-recovery.yaml', '--alphabet', 'fleet', '--faults', '2'],
  ],
  // A failed activation's rollback and a newer dispatch waiting for the switch lock
  // (since stop 36).
  ['rollback behind a switch', ['--fleet', 'examples/rollback-behind-switch.yaml']],
  // A lost dispatch answer behind a channel edge while intent's budget counts it: a run
  // must not take the world as settled before the host's next poll (since stop 36).
  [
    'lost dispatch behind an edge, 2 faults',
    ['--fleet', 'examples/lost-dispatch-behind-edge.yaml', '--alphabet', 'fleet', '--faults', '2'],
  ],
  // A duplicated dispatch poll whose late copy comes after the agent's next poll, on a wire
  // that loses nothing, so the agent keeps no poll timer (since stop 37).
  [
    'duplicate poll, 2 faults',
    ['--fleet', 'examples/duplicate-poll.yaml', '--alphabet', 'fleet', '--faults', '2'],
  ],
  // A planned control-plane restart that falls due while a crash has the process down
  // already (since stop 37).
  ['restart while down', ['--fleet', 'examples/restart-while-down.yaml']],
  // A deferred kernel change with a health probe, whose probe restarts once the boot's
  // recovery brought the record back to Soaking (since stop 38).
  [
    'deferred reboot with a probe, 2 faults',
    ['--fleet', 'examples/deferred-reboot-probes.yaml', '--faults', '2'],
  ],
];

const rows = [];
for (const m of chosen) {
  const dir = sandbox(m);
  const found = { id: m.id, what: m.what, file: m.file, check: [], explore: [] };
  try {
    for (const p of ['faithful', 'intent']) {
      const r = cli(dir, ['check', '--runs', '1000', '--profile', p, '--seed', '1']);
      if (r.failure !== null)
        found.check.push({
          profile: p,
          invariant: r.failure.invariant,
          runs: r.runs,
          hosts: Object.keys(r.failure.fleet.hosts).length,
          shrinks: r.failure.shrinks,
        });
    }
    for (const [name, args] of checkOnly ? [] : EXPLORE) {
      const r = cli(dir, ['explore', ...args, '--profile', 'both']);
      for (const prof of r.profiles) {
        const v = prof.violations.find((x) => !x.known);
        if (v !== undefined)
          found.explore.push({
            fleet: name,
            profile: prof.profile,
            invariant: v.invariant,
            paths: prof.runs,
            faults: v.path.length,
          });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(found));
  rows.push(found);
}

const setups = EXPLORE.length * 2;
console.log(
  `\n| mistake | where | check (1,000 runs a profile) | explore (${EXPLORE.length} fleet set-ups × 2 profiles) |`,
);
console.log('|---|---|---|---|');
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
for (const r of rows) {
  const c =
    r.check.length === 0
      ? 'missed'
      : r.check
          .map(
            (x) =>
              `${x.profile}: \`${x.invariant}\` at run ${x.runs}, shrunk to ${plural(x.hosts, 'host')}`,
          )
          .join('; ');
  const best = [...r.explore].sort((a, b) => a.faults - b.faults || a.paths - b.paths)[0];
  const e = checkOnly
    ? 'not run'
    : best === undefined
      ? 'missed'
      : `\`${best.invariant}\` in ${r.explore.length} of ${setups}; shortest: ${plural(best.faults, 'fault')} (${best.fleet}, ${best.profile}, ${best.paths} paths)`;
  console.log(`| ${r.what} | \`${r.file}\` | ${c} | ${e} |`);
}
