import type { HostEvent } from '../../machines/host/event.ts';
import { remoteOf } from '../../machines/host/outbound.ts';
import { type HostRecord, newPendingHost } from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
  rolloutChannel,
  rolloutId,
} from '../../machines/rollout/state.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { evaluateForDispatch, type GateView, hostWave } from '../control-plane/gates.ts';
import { recoveryEvents } from '../control-plane/recovery.ts';
import { applyRolloutEffects, currentWaveDone } from '../control-plane/rollout-applier.ts';
import { channelWaves, targetClosure } from '../fleet/fleet.ts';
import type { Profile } from '../profile.ts';
import {
  type AgentState,
  type ExploreModel,
  refsOf,
  type SwitchJob,
  type WorldState,
} from './model.ts';

/*
 * The actions of the untimed world and what each does to a state. Every host and rollout
 * change goes through `hostStep` / `rolloutStep`, and dispatch decisions through the
 * planner's own gate stack; what is written here is only the control plane's and agents'
 * bookkeeping around them, mirroring `sim/control-plane` and `sim/agent` without timers.
 */

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export type Action =
  | { readonly kind: 'plan' }
  | { readonly kind: 'publish'; readonly channel: string }
  | {
      readonly kind: 'dispatch';
      readonly host: string;
      readonly fault: 'none' | 'drop' | 'duplicate';
    }
  | {
      readonly kind: 'switch';
      readonly host: string;
      readonly outcome: 'success' | 'failure' | 'deferral';
    }
  | {
      readonly kind: 'probe';
      readonly host: string;
      readonly rolloutId: RolloutId;
      readonly pass: boolean;
    }
  | { readonly kind: 'tick'; readonly host: string; readonly rolloutId: RolloutId }
  /** The host's events start to lag behind (a fault): they wait until `deliver`. */
  | { readonly kind: 'hold'; readonly host: string }
  /** Everything the host's agent has queued reaches the control plane, in order. */
  | { readonly kind: 'deliver'; readonly host: string }
  | { readonly kind: 'heartbeat'; readonly host: string }
  | { readonly kind: 'reboot'; readonly host: string }
  | { readonly kind: 'retention'; readonly rolloutId: RolloutId };

export function describeAction(a: Action): string {
  switch (a.kind) {
    case 'plan':
      return 'planning run';
    case 'publish':
      return `new ref on ${a.channel}`;
    case 'dispatch':
      return a.fault === 'none'
        ? `dispatch reaches ${a.host}`
        : `dispatch to ${a.host} ${a.fault === 'drop' ? 'lost' : 'delivered twice'}`;
    case 'switch':
      return `${a.host}: switch ${a.outcome === 'success' ? 'succeeds' : a.outcome === 'failure' ? 'fails' : 'is deferred'}`;
    case 'probe':
      return `${a.host}: probe ${a.pass ? 'passes' : 'fails'} on ${a.rolloutId}`;
    case 'tick':
      return `${a.host}: advance tick on ${a.rolloutId}`;
    case 'hold':
      return `${a.host}: its events are delayed`;
    case 'deliver':
      return `${a.host}: its delayed events reach the control plane`;
    case 'heartbeat':
      return `${a.host}: heartbeat`;
    case 'reboot':
      return `${a.host}: operator reboots it`;
    case 'retention':
      return `retention expires for ${a.rolloutId}`;
  }
}

/** What the step observed, for the coverage matrix and the checks. */
export interface Observation {
  readonly rolloutSteps: {
    readonly from: string;
    readonly event: string;
    readonly outcome: string;
  }[];
  readonly hostSteps: { readonly from: string; readonly event: string; readonly outcome: string }[];
  readonly violations: { readonly invariant: string; readonly message: string }[];
}

/** A mutable working copy for one action; states themselves are never mutated. */
class Step {
  readonly rollouts: RolloutRecord[];
  readonly cp: Record<RolloutId, Record<string, HostRecord>>;
  readonly agents: Record<string, AgentState>;
  readonly queue: Record<string, RolloutId>;
  readonly quarantine: Set<string>;
  readonly published: Record<string, number>;
  faults: number;
  readonly seen: Observation = { rolloutSteps: [], hostSteps: [], violations: [] };

  constructor(
    readonly model: ExploreModel,
    readonly profile: Profile,
    s: WorldState,
  ) {
    this.rollouts = [...s.rollouts];
    this.cp = { ...s.cp };
    this.agents = { ...s.agents };
    this.queue = { ...s.queue };
    this.quarantine = new Set(s.quarantine);
    this.published = { ...s.published };
    this.faults = s.faults;
  }

  state(): WorldState {
    return {
      rollouts: this.rollouts,
      cp: this.cp,
      agents: this.agents,
      queue: this.queue,
      quarantine: [...this.quarantine].sort(),
      published: this.published,
      faults: this.faults,
    };
  }

  row(id: RolloutId): RolloutRecord | undefined {
    return this.rollouts.find((r) => r.rolloutId === id);
  }

  setRow(row: RolloutRecord): void {
    const i = this.rollouts.findIndex((r) => r.rolloutId === row.rolloutId);
    if (i >= 0) this.rollouts[i] = row;
  }

  /** The rollout each channel's current manifest names. */
  current(channel: string): RolloutRecord | undefined {
    const ref = refsOf(this.model.fleet, channel)[(this.published[channel] ?? 1) - 1];
    return ref === undefined ? undefined : this.row(rolloutId(channel, ref));
  }

  // --- the rollout reducer and its applier ---------------------------------------------

  rolloutEvent(id: RolloutId, event: RolloutEvent): void {
    const row = this.row(id);
    if (row === undefined) return;
    const r = rolloutStep(row, event);
    this.seen.rolloutSteps.push({
      from: row.state,
      event: event.type,
      outcome: r.ok ? r.record.state : r.error.type,
    });
    if (!r.ok) return;
    const next = applyRolloutEffects(row, r.effects);
    if (next.currentWave !== row.currentWave) this.cursorMoved(row, next.currentWave);
    this.setRow(next);
    if (next.state === 'Terminal' && row.state !== 'Terminal') this.checkTerminalRuns(next);
    if (next.state === 'Superseded' && this.profile.flags.drop_superseded_dispatches) {
      for (const [h, q] of Object.entries(this.queue)) if (q === id) delete this.queue[h];
    }
  }

  cursorMoved(row: RolloutRecord, to: number): void {
    const waves = channelWaves(this.model.fleet, row.channel).length;
    if (to !== row.currentWave + 1 || to >= Math.max(waves, 1)) {
      this.violation('rollout.cursor-steps', `${row.rolloutId}: cursor ${row.currentWave} → ${to}`);
    }
  }

  checkTerminalRuns(row: RolloutRecord): void {
    const recovery =
      this.profile.flags.recovery_stops_at_soaking && this.profile.flags.agent_abandons_superseded;
    for (const host of Object.keys(this.cp[row.rolloutId] ?? {})) {
      const running = this.agents[host]?.running;
      if (recovery && running !== targetClosure(host, row.targetRef)) {
        this.violation(
          'rollout.terminal-runs-target',
          `${row.rolloutId} Terminal while ${host} runs ${running}`,
        );
      }
    }
  }

  violation(invariant: string, message: string): void {
    this.seen.violations.push({ invariant, message });
  }

  // --- control plane ---------------------------------------------------------------------

  open(channel: string, ref: string): void {
    const id = rolloutId(channel, ref);
    const predecessors = this.rollouts.filter(
      (r) => r.channel === channel && r.state !== 'Superseded' && r.state !== 'Pruned',
    );
    this.rollouts.push(openRolloutRecord(channel, ref, 0));
    for (const p of predecessors) {
      this.rolloutEvent(p.rolloutId, {
        type: 'SuccessorOpened',
        supersededRolloutId: p.rolloutId,
        successorRolloutId: id,
        at: 0,
      });
    }
    const records: Record<string, HostRecord> = {};
    this.cp[id] = records;
    for (const [host, h] of Object.entries(this.model.fleet.hosts).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      if (h.channel !== channel) continue;
      records[host] = newPendingHost(id, host, channel, targetClosure(host, ref), 0, 0);
      this.rolloutEvent(id, {
        type: 'HostJoined',
        rolloutId: id,
        hostId: host,
        wave: Math.max(hostWave(this.model.fleet, channel, host), 0),
        at: 0,
      });
    }
  }

  plan(): void {
    const { fleet } = this.model;
    const flags = this.profile.flags;
    const channels = Object.keys(fleet.channels).sort();
    const current = channels
      .map((c) => this.current(c))
      .filter((r): r is RolloutRecord => r !== undefined);
    for (const row of current) this.advance(row.rolloutId);
    for (const c of channels) {
      const ref = refsOf(fleet, c)[(this.published[c] ?? 1) - 1];
      if (ref !== undefined && this.row(rolloutId(c, ref)) === undefined) this.open(c, ref);
    }
    const counters = new Map<string, number>();
    const ids = current.map((r) => r.rolloutId);
    const view: GateView = {
      fleet,
      flags,
      manifestRef: (channel) => refsOf(fleet, channel)[(this.published[channel] ?? 1) - 1],
      row: (id) => this.row(id),
      hostRecord: (id, host) => this.cp[id]?.[host],
      quarantined: (channel, closure) =>
        flags.quarantine_from_table && this.quarantine.has(`${channel} ${closure}`),
      inFlight: (hosts, except) => {
        let n = 0;
        for (const id of ids) {
          for (const h of hosts) {
            const s = this.cp[id]?.[h]?.state;
            if (s === 'Activating' || s === 'Soaking') n++;
            else if (
              flags.budget_counts_queued &&
              (s === 'Deferred' || (s === 'Pending' && h !== except && this.queue[h] === id))
            )
              n++;
          }
        }
        return n;
      },
      failingBefore: () => 0,
      budgetCounter: (selector) => counters.get(selector) ?? 0,
    };
    for (const id of ids) {
      const row = this.row(id);
      if (row === undefined || row.terminalAt !== null) continue;
      for (const [host, record] of Object.entries(this.cp[id] ?? {})) {
        if (record.state !== 'Pending' || record.dispatchAckedAt !== null) continue;
        if (evaluateForDispatch(view, row, host, record) !== null) continue;
        for (const b of fleet.disruption_budgets)
          if (b.hosts.includes(host)) counters.set(b.selector, (counters.get(b.selector) ?? 0) + 1);
        const wave = hostWave(fleet, row.channel, host);
        if (wave > row.currentWave && channelWaves(fleet, row.channel).length > 0) {
          this.violation(
            'dispatch.within-cursor',
            `${host} (wave ${wave}) queued at cursor ${row.currentWave}`,
          );
        }
        if ((row.state === 'Failed' || row.state === 'Reverted') && flags.halt_gate) {
          this.violation('dispatch.halt', `${host} queued by ${row.state} ${id}`);
        }
        this.queue[host] = id;
      }
    }
  }

  advance(id: RolloutId): void {
    const { fleet } = this.model;
    const flags = this.profile.flags;
    const row = this.row(id);
    if (row === undefined || row.terminalAt !== null) return;
    if (!currentWaveDone(fleet, row, (h) => this.cp[id]?.[h]?.state)) return;
    if (row.currentWave + 1 >= channelWaves(fleet, row.channel).length) {
      if (flags.converging_on_last_wave && flags.wave_advanced_event && row.state === 'Active') {
        this.rolloutEvent(id, {
          type: 'WaveAdvanced',
          rolloutId: id,
          fromWave: row.currentWave,
          toWave: row.currentWave,
          at: 0,
        });
      }
      return;
    }
    if (flags.wave_advanced_event) {
      this.rolloutEvent(id, {
        type: 'WaveAdvanced',
        rolloutId: id,
        fromWave: row.currentWave,
        toWave: row.currentWave + 1,
        at: 0,
      });
    } else {
      this.cursorMoved(row, row.currentWave + 1);
      this.setRow({ ...row, currentWave: row.currentWave + 1 });
    }
  }

  /** `handle_host_event` on the control plane. */
  cpHostEvent(record: HostRecord, event: HostEvent): void {
    const channel = this.model.fleet.channels[record.channel];
    const policy =
      channel === undefined ? undefined : this.model.fleet.rollout_policies[channel.rollout_policy];
    if (policy === undefined) return;
    const r = hostStep(record, event, { onHealthFailure: policy.on_health_failure });
    this.seen.hostSteps.push({
      from: record.state,
      event: event.type,
      outcome: r.ok ? r.record.state : r.error.type,
    });
    if (!r.ok) return;
    const next = r.record;
    this.cp[next.rolloutId] = { ...this.cp[next.rolloutId], [next.hostname]: next };
    for (const e of r.effects)
      if (e.type === 'RemoteInsertQuarantine') this.quarantine.add(`${e.channel} ${e.closure}`);
    if (next.state === record.state) return;
    const id = next.rolloutId;
    const flags = this.profile.flags;
    const rollbackComing =
      next.state === 'Failed' &&
      next.policyApplied === 'rollback-and-halt' &&
      next.currentClosureAtDispatch !== null;
    if (!(flags.rollback_reverts_rollout && rollbackComing)) {
      this.rolloutEvent(id, {
        type: 'HostStateChanged',
        rolloutId: id,
        hostId: next.hostname,
        from: record.state,
        to: next.state,
        at: 0,
      });
    }
    if (
      (next.state === 'Converged' || next.state === 'Deferred') &&
      flags.converging_on_last_wave &&
      flags.wave_advanced_event
    ) {
      const row = this.row(id);
      const waves = row === undefined ? [] : channelWaves(this.model.fleet, row.channel);
      if (row !== undefined && row.state === 'Active' && row.currentWave + 1 >= waves.length)
        this.advance(id);
    }
    const all = Object.values(this.cp[id] ?? {});
    if (next.state === 'Converged' && all.length > 0 && all.every((h) => h.state === 'Converged')) {
      this.rolloutEvent(id, { type: 'RolloutTerminal', rolloutId: id, at: 0 });
    }
  }

  // --- agents --------------------------------------------------------------------------

  flush(host: string): void {
    const a = this.agent(host);
    if (a.held || a.outbox.length === 0) return;
    this.agents[host] = { ...a, outbox: [] };
    for (const item of a.outbox) {
      const record = this.cp[item.rolloutId]?.[host];
      if (record !== undefined && item.payload.seq > record.lastEventSeq)
        this.cpHostEvent(record, remoteOf(item.payload));
    }
  }

  agent(host: string): AgentState {
    return this.agents[host] as AgentState;
  }

  agentStep(
    host: string,
    id: RolloutId,
    event: DistributiveOmit<HostEvent, 'seq'>,
    seed?: HostRecord,
  ): void {
    const a = this.agent(host);
    const record = a.records[id] ?? seed;
    if (record === undefined) return;
    const policy =
      this.model.fleet.rollout_policies[
        this.model.fleet.channels[record.channel]?.rollout_policy ?? ''
      ]?.on_health_failure ?? 'halt';
    const r = hostStep(record, { ...event, seq: record.lastEventSeq + 1 } as HostEvent, {
      onHealthFailure: policy,
    });
    this.seen.hostSteps.push({
      from: record.state,
      event: event.type,
      outcome: r.ok ? r.record.state : r.error.type,
    });
    if (!r.ok) return;
    let next: AgentState = { ...a, records: { ...a.records, [id]: r.record } };
    for (const e of r.effects) {
      if (e.type === 'LocalEmitEvent')
        next = { ...next, outbox: [...next.outbox, { rolloutId: id, payload: e.payload }] };
      else if (e.type === 'LocalFireSwitch')
        next = {
          ...next,
          switches: [...next.switches, { kind: 'activate', rolloutId: id, closure: e.target }],
        };
      else if (e.type === 'LocalFireRollbackTo') {
        const job: SwitchJob = { kind: 'rollback', rolloutId: id, closure: e.closure };
        next = {
          ...next,
          switches: [...next.switches.slice(0, 1), job, ...next.switches.slice(1)],
        };
      } else if (e.type === 'LocalResetProbeCache')
        next = { ...next, probeRuns: { ...next.probeRuns, [id]: 0 } };
    }
    this.agents[host] = next;
  }
}

/** Every action enabled in `s`, in a fixed order. */
export function enabled(model: ExploreModel, profile: Profile, s: WorldState): Action[] {
  const { fleet, bounds } = model;
  const actions: Action[] = [];
  const faulty = s.faults < bounds.maxFaults;
  for (const c of Object.keys(fleet.channels).sort()) {
    if ((s.published[c] ?? 1) < refsOf(fleet, c).length)
      actions.push({ kind: 'publish', channel: c });
  }
  for (const host of Object.keys(fleet.hosts).sort()) {
    const a = s.agents[host] as AgentState;

    if (s.queue[host] !== undefined) {
      actions.push({ kind: 'dispatch', host, fault: 'none' });
      if (bounds.messageFaults && faulty)
        actions.push(
          { kind: 'dispatch', host, fault: 'drop' },
          { kind: 'dispatch', host, fault: 'duplicate' },
        );
    }
    const job = a.switches[0];
    if (job !== undefined) {
      actions.push({ kind: 'switch', host, outcome: 'success' });
      if (job.kind === 'activate' && faulty)
        actions.push(
          { kind: 'switch', host, outcome: 'failure' },
          { kind: 'switch', host, outcome: 'deferral' },
        );
    }
    for (const [id, r] of Object.entries(a.records)) {
      if (r.state !== 'Soaking' || a.abandoned.includes(id)) continue;
      if (
        (a.probeRuns[id] ?? 0) < bounds.probeResults &&
        fleet.hosts[host]?.probes.some((p) => p.mode !== 'disabled')
      ) {
        actions.push({ kind: 'probe', host, rolloutId: id, pass: true });
        if (faulty) actions.push({ kind: 'probe', host, rolloutId: id, pass: false });
      }
      actions.push({ kind: 'tick', host, rolloutId: id });
    }
    if (a.held) actions.push({ kind: 'deliver', host });
    else if (faulty) actions.push({ kind: 'hold', host });
    // A heartbeat changes something only when recovery synthesis applies to one of its records.
    const synthesizes = Object.values(s.cp).some((records) => {
      const r = records[host];
      return (
        r !== undefined &&
        r.targetClosure === a.running &&
        ['Pending', 'Activating', 'Deferred'].includes(r.state)
      );
    });
    if (synthesizes && faulty) actions.push({ kind: 'heartbeat', host });
    if (!a.rebooted && a.boot !== a.running && a.switches.length === 0)
      actions.push({ kind: 'reboot', host });
  }
  for (const r of s.rollouts) {
    // What retention can act on: everything finished under intent, only rows with a
    // timestamp under the faithful physical prune.
    const stamped = r.terminalAt !== null || r.supersededAt !== null;
    if (
      faulty &&
      ['Terminal', 'Superseded', 'Failed', 'Reverted'].includes(r.state) &&
      (stamped || profile.flags.retention_expired)
    ) {
      actions.push({ kind: 'retention', rolloutId: r.rolloutId });
    }
  }
  return actions;
}

/** The state after `action`, and what happened on the way. */
export function apply(
  model: ExploreModel,
  profile: Profile,
  s: WorldState,
  action: Action,
): { state: WorldState; seen: Observation } {
  const w = new Step(model, profile, s);
  const { fleet } = model;
  // A heartbeat that outruns queued events is a race, and a retention expiry reshapes the
  // tables (faithful deletes rows, and a deleted current rollout is opened again): both
  // spend the fault budget too, which keeps the graph small.
  const isFault =
    action.kind === 'heartbeat' ||
    action.kind === 'retention' ||
    action.kind === 'hold' ||
    (action.kind === 'dispatch' && action.fault !== 'none') ||
    (action.kind === 'switch' && action.outcome !== 'success') ||
    (action.kind === 'probe' && !action.pass);
  if (isFault) w.faults++;
  switch (action.kind) {
    case 'plan':
      break;
    case 'publish':
      w.published[action.channel] = (w.published[action.channel] ?? 1) + 1;
      break;
    case 'dispatch': {
      const id = w.queue[action.host] as RolloutId;
      if (action.fault !== 'duplicate') delete w.queue[action.host];
      if (action.fault === 'drop') break;
      const a = w.agent(action.host);
      const row = w.row(id);
      if (row === undefined) break;
      const target = targetClosure(action.host, row.targetRef);
      const existing = a.records[id];
      if (profile.flags.agent_abandons_superseded && (existing?.state ?? 'Pending') === 'Pending') {
        w.agents[action.host] = {
          ...a,
          abandoned: Object.keys(a.records)
            .filter((r) => r !== id)
            .sort(),
        };
      }
      const seed =
        existing === undefined
          ? newPendingHost(id, 'self', rolloutChannel(id), target, 0, 0)
          : undefined;
      w.agentStep(
        action.host,
        id,
        {
          type: 'LocalActivate',
          currentClosureAtDispatch: a.running,
          targetClosure: target,
          receivedAt: 0,
          soakDueAt: 0,
        },
        seed,
      );
      break;
    }
    case 'switch': {
      const job = w.agent(action.host).switches[0] as SwitchJob;
      if (job.kind === 'rollback') {
        w.agents[action.host] = {
          ...w.agent(action.host),
          running: job.closure,
          boot: job.closure,
        };
        w.agentStep(action.host, job.rolloutId, {
          type: 'LocalRollbackCompleted',
          revertedToClosure: job.closure,
          exitCode: 0,
          completedAt: 0,
        });
      } else if (action.outcome === 'failure') {
        w.agentStep(action.host, job.rolloutId, {
          type: 'LocalActivationFailed',
          exitCode: 1,
          stderrTail: 'failed',
          failedAt: 0,
        });
      } else if (action.outcome === 'deferral') {
        w.agents[action.host] = { ...w.agent(action.host), boot: job.closure };
        w.agentStep(action.host, job.rolloutId, {
          type: 'LocalActivationDeferred',
          component: 'kernel',
          deferredAt: 0,
        });
      } else {
        w.agents[action.host] = {
          ...w.agent(action.host),
          running: job.closure,
          boot: job.closure,
        };
        w.agentStep(action.host, job.rolloutId, {
          type: 'LocalActivationCompleted',
          observedCurrentClosure: job.closure,
          exitCode: 0,
          completedAt: 0,
        });
      }
      // The lock is released after the outcome is stepped, so a rollback it fired goes next.
      const after = w.agent(action.host);
      w.agents[action.host] = { ...after, switches: after.switches.filter((j) => j !== job) };
      break;
    }
    case 'probe': {
      const a = w.agent(action.host);
      const probe = fleet.hosts[action.host]?.probes.find((p) => p.mode !== 'disabled');
      if (probe === undefined) break;
      const id = action.rolloutId;
      const first = (a.probeRuns[id] ?? 0) === 0;
      const before = a.records[id]?.probes[probe.name]?.status;
      w.agents[action.host] = {
        ...a,
        probeRuns: { ...a.probeRuns, [id]: (a.probeRuns[id] ?? 0) + 1 },
      };
      const mode = probe.mode;
      if (first)
        w.agentStep(action.host, id, {
          type: 'LocalProbeObservedFirst',
          probeName: probe.name,
          mode,
          observedAt: 0,
        });
      w.agentStep(action.host, id, {
        type: 'LocalProbeResult',
        probeName: probe.name,
        mode,
        status: action.pass ? 'pass' : 'fail',
        observedAt: 0,
        failureReason: action.pass ? null : 'failed',
        subResults: null,
      });
      if (!action.pass && before !== 'fail')
        w.agentStep(action.host, id, {
          type: 'LocalProbeFailureFirst',
          probeName: probe.name,
          mode,
          firstFailedAt: 0,
        });
      break;
    }
    case 'tick': {
      const r = w.agent(action.host).records[action.rolloutId] as HostRecord;
      const failing = Object.entries(r.probes)
        .filter(([, p]) => p.mode === 'enforce' && p.status === 'fail')
        .map(([n]) => n);
      const policy =
        fleet.rollout_policies[fleet.channels[r.channel]?.rollout_policy ?? '']
          ?.on_health_failure ?? 'halt';
      if (r.probeFailureFirstAt !== null && failing.length > 0) {
        w.agentStep(action.host, action.rolloutId, {
          type: 'LocalSustainedFailureCrossed',
          failedAt: 0,
          sustainedDurationSecs: 120,
          failingProbes: failing,
          policyApplied: policy,
        });
      } else if (failing.length === 0 && r.currentClosure === r.targetClosure) {
        const declares =
          fleet.hosts[action.host]?.probes.some((p) => p.mode !== 'disabled') ?? false;
        if (
          !profile.flags.require_probe_observation ||
          !declares ||
          r.probeObservedFirstAt !== null
        ) {
          w.agentStep(action.host, action.rolloutId, {
            type: 'LocalConvergedReached',
            convergedAt: 0,
            currentClosure: r.currentClosure as string,
          });
        }
      }
      break;
    }
    case 'hold':
      w.agents[action.host] = { ...w.agent(action.host), held: true };
      break;
    case 'deliver':
      w.agents[action.host] = { ...w.agent(action.host), held: false };
      break;
    case 'heartbeat':
    case 'reboot': {
      if (action.kind === 'reboot') {
        const a = w.agent(action.host);
        w.agents[action.host] = { ...a, running: a.boot, rebooted: true };
      }
      const closure = w.agent(action.host).running;
      for (const id of Object.keys(w.cp)) {
        const r = w.cp[id]?.[action.host];
        if (r === undefined) continue;
        for (const event of recoveryEvents(
          r,
          closure,
          0,
          profile.flags.recovery_stops_at_soaking,
        )) {
          w.cpHostEvent(w.cp[id]?.[action.host] as HostRecord, event);
        }
      }
      if (action.kind === 'reboot') {
        // The boot-recovery handshake: snapshots of the active records, merged on the agent.
        const a = w.agent(action.host);
        const records = { ...a.records };
        for (const id of Object.keys(w.cp)) {
          const snap = w.cp[id]?.[action.host];
          const local = records[id];
          if (
            snap === undefined ||
            !['Pending', 'Activating', 'Deferred', 'Soaking', 'Failed'].includes(snap.state)
          )
            continue;
          records[id] = {
            ...snap,
            hostname: 'self',
            probes: local?.probes ?? {},
            probeObservedFirstAt: local?.probeObservedFirstAt ?? null,
            probeFailureFirstAt: local?.probeFailureFirstAt ?? null,
          };
        }
        w.agents[action.host] = { ...a, records };
      }
      break;
    }
    case 'retention': {
      const row = w.row(action.rolloutId);
      if (row === undefined) break;
      if (profile.flags.retention_expired) {
        w.rolloutEvent(action.rolloutId, {
          type: 'RetentionExpired',
          rolloutId: action.rolloutId,
          at: 0,
        });
      } else if (row.terminalAt !== null || row.supersededAt !== null) {
        // The physical prune: the row and its host records are gone.
        w.rollouts.splice(w.rollouts.indexOf(row), 1);
        delete w.cp[action.rolloutId];
      }
      break;
    }
  }
  // The planner runs after every change: it runs every 15 s, and a run in between that
  // changes nothing adds states without adding behaviour. A run that opened a rollout is
  // followed by the next one, which plans its dispatches.
  // On a prompt wire, what an agent emits reaches the control plane before anything else
  // happens; only a held host's events wait (the queue drains in order).
  for (const host of Object.keys(w.agents)) w.flush(host);
  const rows = w.rollouts.length;
  w.plan();
  if (w.rollouts.length !== rows) w.plan();
  return { state: w.state(), seen: w.seen };
}

/** Where exploration starts: the first planning run has opened every channel's rollout. */
export function openingState(
  model: ExploreModel,
  profile: Profile,
  s: WorldState,
): { state: WorldState; seen: Observation } {
  return apply(model, profile, s, { kind: 'plan' });
}
