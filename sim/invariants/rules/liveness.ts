import { HOST_STATES } from '../../../machines/host/state.ts';
import type { Instant } from '../../../machines/time.ts';
import { counted } from '../../counted.ts';
import type { Fleet } from '../../fleet/fleet.ts';
import { channelWaves, targetClosure } from '../../fleet/fleet.ts';
import type { Settings } from '../../settings.ts';
import type { RolloutOutcome, RunSummary } from '../../summary.ts';
import type { FaultKind } from '../../trace-record.ts';
import { RUN_START, secondsIntoRun } from '../../world.ts';
import type { Invariant } from '../invariant.ts';
import { sweepAfter } from './retention.ts';

/*
 * End-of-run invariants under stated fairness assumptions, and real-world bugs that
 * span the rollout and its hosts.
 */

/** The fairness assumption of `liveness.terminal`: nothing in the fleet is set to go wrong. */
export function faultFree(fleet: Fleet): boolean {
  const f = fleet.faults;
  return (
    f.probes.length === 0 &&
    f.activation.failure_rate === 0 &&
    f.activation.deferral_rate === 0 &&
    (f.activation.boot_failure_rate ?? 0) === 0 &&
    f.activation.failing_refs.length === 0 &&
    f.activation.deferring_refs.length === 0 &&
    f.network.drop_rate === 0 &&
    f.network.duplicate_rate === 0 &&
    f.network.partitions.length === 0 &&
    f.cp_restarts.length === 0 &&
    (f.cp_crashes?.rate ?? 0) === 0 &&
    (f.successor_releases?.rate ?? 0) === 0 &&
    (f.manifest_failure_rate ?? 0) === 0
  );
}

/**
 * `c0@r1 ended Active at wave 0, its hosts 1 Pending` (control-plane states): where a
 * designer reading the counterexample looks first.
 */
function endedAs(open: RolloutOutcome): string {
  const hosts = HOST_STATES.filter((s) => (open.hosts[s] ?? 0) > 0)
    .map((s) => `${open.hosts[s]} ${s}`)
    .join(', ');
  return `${open.rolloutId} ended ${open.state} at wave ${open.currentWave}, its hosts ${hosts || 'none'}`;
}

/**
 * `; at the horizon c0 is Activating on c0@r1, and its host will still move it`, or
 * `; stalled: its hosts (Soaking) will not change again …`: what the run's own summary
 * says kept it from ending well (the horizon's `unsettled`, a stall's first hold of the
 * rollout named), the first thing a designer asks of a counterexample. Empty for a run
 * that says nothing.
 */
function whyItEnded(summary: RunSummary, rolloutId?: string): string {
  if (summary.ended === 'stalled') {
    const groups = summary.stall?.groups ?? [];
    const own = groups.filter((x) => x.rolloutId === rolloutId);
    const g = own.find((x) => x.permanent) ?? own[0] ?? groups[0];
    if (g === undefined) return '';
    const held = g.gate === 'idle' ? '' : `${counted(g.hosts.length, 'host')} held by ${g.gate}: `;
    return `; stalled: ${held}${g.why}`;
  }
  const u = summary.unsettled;
  if (summary.ended !== 'horizon' || u === null) return '';
  const g = u.held?.groups[0];
  const first =
    u.work[0] ??
    (g === undefined
      ? undefined
      : `${counted(g.hosts.length, 'host')} held by ${g.gate} on ${g.rolloutId}`);
  return first === undefined ? '' : `; at the horizon ${first}`;
}

/** How a rollout may end for the liveness rules: done, or left behind for a newer ref. */
const ENDED: ReadonlySet<string> = new Set(['Terminal', 'Superseded', 'Pruned', 'deleted']);

export const terminalWithoutFaults: Invariant = {
  id: 'liveness.terminal',
  statement: 'with no faults every rollout ends Terminal, unless superseded',
  source: 'spec §4.4 (the live lifecycle Opening → Active → Terminal)',
  kind: 'liveness',
  create: ({ fleet, horizon }) => ({
    finish(summary) {
      if (!faultFree(fleet) || !hadTime(summary.ended, horizon)) return null;
      // Every rollout ended, even if the run went on (faithful's sweep reopening the
      // current ref's id each hour, a known deviation): liveness.settles judges that.
      const open = summary.rollouts.find((r) => !ENDED.has(r.state));
      if (open === undefined) return null;
      if (summary.ended === 'horizon')
        return `the fault-free run did not settle within ${summary.simSeconds} s${whyItEnded(summary)}`;
      return `${endedAs(open)}, with no fault${whyItEnded(summary, open.rolloutId)}`;
    },
  }),
};

/**
 * The shortest horizon at which a run that has not settled is judged for it: a generated
 * `check` case's four hours. A run cut sooner by its `--until` (`run --until 60s`, then
 * `replay --check`) was not given the time to finish; a log's window (no horizon) neither.
 */
export const LIVENESS_HORIZON_SECONDS = 4 * 3600;

/** Whether a run that ended `ended` had the time to finish. */
export function hadTime(ended: string, horizon: Instant | undefined): boolean {
  if (ended !== 'horizon') return true;
  return horizon !== undefined && horizon - RUN_START >= LIVENESS_HORIZON_SECONDS * 1000;
}

/**
 * Faults that do not pass, as the trace records them: a failed activation, probe or
 * reboot can halt or fail a rollout for good. A deferral passes only when the operator
 * reboots deferred hosts; a partition or outage only once it has ended.
 */
const LASTING: ReadonlySet<FaultKind> = new Set([
  'activation_failed',
  'probe_failed',
  'boot_failed',
]);

export const terminalWhenFaultsPass: Invariant = {
  id: 'liveness.heals',
  statement:
    'when every fault a run met has passed (lost, duplicated or replayed messages, partitions that ended, control-plane outages that ended, manifest polls that failed, skewed clocks, successors, deferrals a reboot completes), every rollout still ends Terminal, unless superseded',
  source:
    'spec §3.11 (the agent resends until acknowledged), §4.5 (a Pending host is queued again every planning run), §3.1 (Deferred leaves through the next boot); real-world: a rollout stuck after one lost message',
  kind: 'liveness',
  requires: {
    flags: ['snapshot_keeps_newer', 'events_wait_for_manifest', 'manifest_failure_keeps_last'],
    deviation:
      "spec §3.12: merge_snapshot_into_state takes the control plane's snapshot, its seq included, so a duplicated heartbeat reply sets the agent's seq back; its next events reuse seqs already applied and are dropped as duplicates, and the host's Converged is never heard (found by rollout-sim check, seed 3 path 351:2:1:2:2:5:5:17:17); and §6.17: the route answers an event the reducer then drops for want of a manifest (a poll that left the channel out), and a Converged lost so is never asked for again; a boot heartbeat that comes while a failed poll left the channel out loses its recovery so, and the agent's record stays Deferred",
  },
  create: ({ fleet, horizon }) => {
    const reboots = fleet.operator.reboot_deferred_after_seconds !== null;
    let lasting = false;
    let cut = 0;
    let down = 0;
    return {
      observe(record) {
        // A host that failed, whatever made it, may halt its rollout for good.
        if (record.type === 'host_transition' && record.to === 'Failed') lasting = true;
        if (record.type !== 'fault') return null;
        const k = record.kind;
        if (LASTING.has(k) || (k === 'activation_deferred' && !reboots)) lasting = true;
        else if (k === 'partition_start') cut++;
        else if (k === 'partition_end') cut--;
        else if (k === 'cp_down') down++;
        else if (k === 'cp_up') down--;
        return null;
      },
      finish(summary) {
        // A fault-free run is liveness.terminal's; whether a run idles or reopens once
        // its rollouts finished (faithful's sweep) is liveness.settles's.
        if (faultFree(fleet) || lasting || cut > 0 || down > 0) return null;
        if (!hadTime(summary.ended, horizon)) return null;
        const open = summary.rollouts.find((r) => !ENDED.has(r.state));
        return open === undefined
          ? null
          : `${endedAs(open)}, though every fault of the run had passed${whyItEnded(summary, open.rolloutId)}`;
      },
    };
  },
};

export const haltHolds: Invariant = {
  id: 'liveness.halt-holds',
  statement:
    'a halted (Failed or Reverted) rollout never dispatches a wave beyond the one it halted at',
  source: 'spec §3.9 "the wave cursor can never pass a wave with a Failed host"; §6.9',
  kind: 'safety',
  requires: {
    flags: ['halt_gate'],
    deviation:
      'spec §6 item 9: a Deferred host counts as done, so a later failure does not pin the cursor',
  },
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const halted = view.rollouts.get(record.rolloutId)?.haltedAt ?? null;
      return halted !== null && record.wave > halted
        ? `${record.host} (wave ${record.wave}) dispatched after ${record.rolloutId} halted at wave ${halted}`
        : null;
    },
  }),
};

export const terminalReallyRuns: Invariant = {
  id: 'rollout.terminal-runs-target',
  statement: 'a reported Terminal means every targeted host really runs the target closure',
  source: 'real-world: a rollout reported done while hosts still ran the old system',
  kind: 'safety',
  requires: {
    flags: ['recovery_stops_at_soaking', 'agent_abandons_superseded'],
    deviation:
      'found by rollout-sim check: a heartbeat that outruns a late DispatchAck makes the CP synthesize Converged for a host still soaking (spec §3.12 LIFT #5); a superseded rollout still soaking on the agent can fail and roll back over the newer one',
  },
  create: ({ view, inspect }) => ({
    observe(record) {
      if (
        record.type !== 'rollout_event' ||
        !record.result.ok ||
        record.result.record.state !== 'Terminal'
      )
        return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined || r.row.state === 'Terminal') return null;
      for (const host of r.cp.keys()) {
        const running = inspect.running(host);
        const target = targetClosure(host, r.row.targetRef);
        if (running !== target)
          return `${record.rolloutId} Terminal while ${host} runs ${running}, not ${target}`;
      }
      return null;
    },
  }),
};

const FINISHED = new Set(['Terminal', 'Reverted', 'Failed', 'Superseded', 'Pruned', 'deleted']);

/** The last instant the fleet's script can still do something: a release, a fault's end. */
function lastScripted(fleet: Fleet): Instant {
  const { faults } = fleet;
  const seconds = [
    ...Object.values(fleet.channels).flatMap((c) => c.releases.map((r) => r.at_seconds)),
    ...faults.network.partitions.map((p) => p.to_seconds),
    ...faults.cp_restarts.map((r) => r.at_seconds + r.down_seconds),
    ...fleet.operator.clearances.map((c) => c.at_seconds),
    faults.cp_crashes === undefined
      ? 0
      : faults.cp_crashes.until_seconds + faults.cp_crashes.down_seconds,
    faults.successor_releases?.until_seconds ?? 0,
  ];
  return RUN_START + Math.max(0, ...seconds) * 1000;
}

/**
 * How long a correct run may go without a trace record while something it is owed still
 * comes: a soak, a deferred host's reboot, an activation, a probe's late turn, a skewed
 * clock, and every timer of the settings, all at once, plus two hours. Generous on
 * purpose: the runs this rule is for idle to their horizon, a simulated week.
 */
function longestSilence(fleet: Fleet, settings: Settings): number {
  const soaks = Object.values(fleet.rollout_policies).flatMap((p) =>
    p.waves.map((w) => w.soak_minutes * 60),
  );
  const { activation, probes, clock_skew_seconds: skew } = fleet.faults;
  const timers = Object.entries(settings)
    .filter(([name]) => name.endsWith('_secs'))
    .map(([, secs]) => secs as number);
  const seconds =
    2 * 3600 +
    Math.max(60, ...soaks) +
    (fleet.operator.reboot_deferred_after_seconds?.[1] ?? 0) +
    activation.duration_seconds[1] +
    Math.max(0, ...probes.map((p) => p.after_seconds)) +
    (skew === undefined ? 0 : Math.max(Math.abs(skew[0]), Math.abs(skew[1]))) +
    timers.reduce((a, b) => a + b, 0);
  return seconds * 1000;
}

export const settlesWhenDone: Invariant = {
  id: 'liveness.settles',
  statement:
    'a simulated run whose rollouts have all finished, with nothing left in its script, ends then: it does not idle to its horizon',
  source:
    'DESIGN §4.5 (`ended`: terminal once every rollout settled); real-world: a controller that never reports done',
  kind: 'liveness',
  create: ({ fleet, settings, horizon }) => {
    let last = RUN_START;
    return {
      observe(record) {
        if (record.type !== 'end') last = record.t;
        return null;
      },
      finish(summary) {
        // A log's window ends where it ends, and a run that stopped on its own did settle.
        if (horizon === undefined || summary.ended !== 'horizon') return null;
        if (!summary.rollouts.every((r) => FINISHED.has(r.state))) return null;
        const period = Math.round(settings.retention_days * 86_400_000);
        // A faithful sweep deletes a row without a trace record.
        const sweeps = summary.rollouts
          .filter((r) => r.state === 'deleted')
          .map((r) => {
            const stamps = [r.terminalAt, r.supersededAt].filter((x): x is Instant => x !== null);
            return sweepAfter(Math.min(...stamps) + period);
          });
        const busy = Math.max(last, lastScripted(fleet), ...sweeps);
        const silence = longestSilence(fleet, settings);
        if (horizon - busy < silence) return null;
        return `every rollout had finished and nothing was left to happen after ${secondsIntoRun(busy)} s, yet the run idled to its horizon at ${secondsIntoRun(horizon)} s${whyItEnded(summary)}`;
      },
    };
  },
};

export const settledForGood: Invariant = {
  id: 'liveness.nothing-left',
  statement:
    "a simulated run that ends before its horizon (terminal or stalled) leaves no work behind: no host of a rollout its agent has not left activating or soaking that its agent still moves (by its own progress, or by a heartbeat's recovery or replay), none deferred that already runs the deferred target, and none pending that already runs its target (its next heartbeat would move it)",
  source:
    'DESIGN §4.5 (`ended`: stalled means nothing more can happen); spec §3.12 (recovery synthesis on a heartbeat)',
  kind: 'liveness',
  create: ({ fleet, view, inspect, horizon }) => ({
    finish(summary) {
      if (horizon === undefined || summary.ended === 'horizon') return null;
      for (const [id, r] of view.rollouts) {
        // A pruned row no longer current was left by its agents. A superseded rollout's
        // mirror may stay mid-flight for good only where its agent left the record, which
        // is asked below host by host (a row pruned while current was left by none).
        if (r.row.state === 'Pruned' && view.current.get(r.row.channel) !== id) continue;
        // A record still Pending whose host runs its target (a row faithful's sweep
        // deleted and planning opened again): the next heartbeat's recovery moves it.
        for (const w of channelWaves(fleet, r.row.channel))
          for (const host of w.hosts)
            if (
              (r.cp.get(host) ?? 'Pending') === 'Pending' &&
              inspect.running(host) === targetClosure(host, r.row.targetRef)
            )
              return `the run ended ${summary.ended} with ${host} Pending on ${id} though it already runs its target: its next heartbeat recovers the record`;
        for (const [host, state] of r.cp) {
          if (state === 'Activating' || state === 'Soaking') {
            // Only the host moves such a record: a heartbeat's recovery, for one
            // Activating here once the host runs its target; its agent's own progress,
            // while the agent still works on its record (Soaking), or the boot snapshot it
            // still asks for once the host has booted the target; or, for a record the
            // agent is done with or left, a heartbeat's replay, when the heartbeat names
            // the rollout, the host runs another closure than the one recorded and the
            // agent has events of a later seq. An event the reducer dropped after the
            // route acknowledged it (no manifest cached after a restart), one refused, or
            // one the route took for a retry (a seq a boot snapshot rewound) is lost for
            // good. One the agent holds as Pending (a stale boot snapshot put it back
            // there) is stuck for good, which host.views-agree judges. The host's closure
            // is not in the trace: replayed, such a record is not judged.
            const own = r.agent.get(host) ?? 'Pending';
            const cp = inspect.cpHost(id, host);
            if (cp === undefined) continue;
            const running = inspect.running(host);
            const works =
              ((own === 'Activating' || own === 'Deferred') &&
                running === cp.targetClosure &&
                (inspect.agentRecovering?.(host) ?? false)) ||
              (own === 'Soaking' && !(inspect.agentLeft?.(host, id) ?? false));
            const ids = inspect.agentRollouts?.(host) ?? [...inspect.agentRecords(host).keys()];
            const replays =
              own !== 'Pending' &&
              ids.at(-1) === id &&
              cp.currentClosure !== running &&
              (inspect.agentHost(host, id)?.lastEventSeq ?? 0) > cp.lastEventSeq;
            const recovers = state === 'Activating' && running === cp.targetClosure;
            if (works || replays || recovers)
              return `the run ended ${summary.ended} with ${host} still ${state} on ${id}`;
            continue;
          }
          if (state !== 'Deferred') continue;
          // What the host runs is not in the trace: only a live run can judge this part.
          const target = inspect.cpHost(id, host)?.targetClosure;
          if (target !== undefined && inspect.running(host) === target)
            return `the run ended ${summary.ended} with ${host} Deferred on ${id} though it already runs ${target}: its next heartbeat moves it`;
        }
      }
      return null;
    },
  }),
};

export const LIVENESS_INVARIANTS = [
  terminalWithoutFaults,
  terminalWhenFaultsPass,
  haltHolds,
  terminalReallyRuns,
  settlesWhenDone,
  settledForGood,
];
