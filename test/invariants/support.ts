import { expect } from 'vitest';
import type { HostEvent, HostEventType } from '../../machines/host/event.ts';
import {
  type HostRecord,
  type HostState,
  newPendingHost,
  type ProbeStatus,
} from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
  rolloutId,
} from '../../machines/rollout/state.ts';
import { type RolloutStepResult, rolloutStep } from '../../machines/rollout/step.ts';
import type { Instant } from '../../machines/time.ts';
import { type FleetSpec, makeFleet } from '../../sim/fleet/build.ts';
import { probe as probeDecl } from '../../sim/fleet/defaults.ts';
import { channelWaves, type Fleet, hostWaveIndex, targetClosure } from '../../sim/fleet/fleet.ts';
import { type Finding, InvariantChecker } from '../../sim/invariants/checker.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { AgentRefusal, Inspect, Invariant } from '../../sim/invariants/invariant.ts';
import { type Profile, type ProfileFlags, profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../sim/settings.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { type HostStepSeen, RUN_START } from '../../sim/world.ts';

/*
 * Hand-written traces for the invariant monitors. A `Trace` plays the simulator's part:
 * each call emits the records the simulator would emit for that step (rollout events with
 * the reducer's real answer, host transitions with the host records updated first, the
 * way the tables and agents are when the simulator traces them) into an
 * `InvariantChecker`, and keeps a stub `Inspect` in step. A bad trace bends exactly the
 * one thing the real-world bug bent: a tampered reducer result, a record field, a
 * dispatch the planner should have held.
 */

/** A summary's event counts when no run made them (hand-built traces and summaries). */
export const NO_EVENTS: RunSummary['events'] = {
  hostSteps: 0,
  rolloutSteps: 0,
  scheduled: 0,
  dispatches: 0,
  deferredDispatches: 0,
  faults: 0,
  droppedErrors: 0,
};
/** `RUN_START + n` seconds: every timestamp of these traces. */
export const at = (n: number): Instant => RUN_START + n * 1000;

/** One host step as the world shows it to step monitors: `event` stepped on `before` by the machine. */
export function stepSeen(
  side: HostStepSeen['side'],
  host: string,
  before: HostRecord,
  event: HostEvent,
  synthesized = false,
): HostStepSeen {
  const policy = { onHealthFailure: 'rollback-and-halt' } as const;
  return {
    side,
    host,
    before,
    event,
    policy,
    result: hostStep(before, event, policy),
    synthesized,
  };
}

export const FAITHFUL = profile('faithful');
export const INTENT = profile('intent');

/** The stub the monitors inspect: host records on both sides and what each host runs. */
export class StubInspect implements Inspect {
  readonly cp = new Map<string, HostRecord>();
  readonly agents = new Map<string, Map<RolloutId, HostRecord>>();
  readonly runs = new Map<string, string>();
  /** The control plane's quarantine table, `${channel}\u0000${closure}`. */
  readonly quarantineTable = new Set<string>();
  /** Agent steps their own reducer refused, as the checker's watch records them. */
  readonly refusals: AgentRefusal[] = [];
  /** The control plane's `probe_failures` rows: the enforce controls that ever failed. */
  readonly probeFailures = new Map<string, Set<string>>();
  /** `${host}\u0000${rollout}`: records an agent left for a newer dispatch. */
  readonly leftRecords = new Set<string>();

  agentLeft(host: string, id: RolloutId): boolean {
    return this.leftRecords.has(`${host}\u0000${id}`);
  }

  failingControls(id: RolloutId, host: string): number {
    return this.probeFailures.get(`${id}\u0000${host}`)?.size ?? 0;
  }

  quarantine(): ReadonlySet<string> {
    return this.quarantineTable;
  }
  agentRefusals(): readonly AgentRefusal[] {
    return this.refusals;
  }

  cpHost(id: RolloutId, host: string): HostRecord | undefined {
    return this.cp.get(`${id}\u0000${host}`);
  }
  agentHost(host: string, id: RolloutId): HostRecord | undefined {
    return this.agents.get(host)?.get(id);
  }
  agentRecords(host: string): ReadonlyMap<RolloutId, HostRecord> {
    return this.agents.get(host) ?? new Map();
  }
  running(host: string): string {
    return this.runs.get(host) ?? '';
  }
  setCp(r: HostRecord): void {
    this.cp.set(`${r.rolloutId}\u0000${r.hostname}`, r);
  }
  setAgent(host: string, r: HostRecord): void {
    let mine = this.agents.get(host);
    if (mine === undefined) {
      mine = new Map();
      this.agents.set(host, mine);
    }
    mine.set(r.rolloutId, r);
  }
}

type Side = 'cp' | 'agent';

/** The event each side's machine names for a state change (spec §3.8). */
const EVENTS: Record<Side, Record<string, HostEventType>> = {
  cp: {
    'Pending>Activating': 'RemoteDispatchAck',
    'Activating>Soaking': 'RemoteActivationCompleted',
    'Activating>Deferred': 'RemoteActivationDeferred',
    'Activating>Failed': 'RemoteActivationFailed',
    'Deferred>Soaking': 'RemoteActivationCompleted',
    'Deferred>Failed': 'RemoteActivationFailed',
    'Soaking>Failed': 'RemoteFailed',
    'Soaking>Converged': 'RemoteConverged',
    'Failed>Reverted': 'RemoteRollbackComplete',
  },
  agent: {
    'Pending>Activating': 'LocalActivate',
    'Activating>Soaking': 'LocalActivationCompleted',
    'Activating>Deferred': 'LocalActivationDeferred',
    'Activating>Failed': 'LocalActivationFailed',
    'Deferred>Soaking': 'LocalActivationCompleted',
    'Deferred>Failed': 'LocalActivationFailed',
    'Soaking>Failed': 'LocalSustainedFailureCrossed',
    'Soaking>Converged': 'LocalConvergedReached',
    'Failed>Reverted': 'LocalRollbackCompleted',
  },
};

export interface TraceOptions {
  readonly invariants?: readonly Invariant[];
  readonly settings?: Partial<Settings>;
  /** The run's horizon in seconds, as a simulated run knows it; absent: not known (a log). */
  readonly horizon?: number;
}

/**
 * One hand-written run: the simulator's records, step by step, fed straight into a
 * checker. Times are set with `at(n)` (seconds since the start) and stay until changed.
 */
export class Trace {
  readonly inspect = new StubInspect();
  readonly checker: InvariantChecker;
  readonly records: TraceRecord[] = [];
  /** The control plane's rollout rows, as the effects of the recorded results shape them. */
  readonly rows = new Map<RolloutId, RolloutRecord>();
  /** Rows faithful's retention sweep deleted: the summary shows them `deleted`. */
  private readonly deleted = new Set<RolloutId>();
  now: Instant = RUN_START;
  ended = false;
  /** When each (rollout, host) was first dispatched, keyed like `StubInspect.cp`. */
  private readonly firstDispatch = new Map<string, Instant>();

  constructor(
    readonly fleet: Fleet,
    readonly profile: Profile,
    options: TraceOptions = {},
  ) {
    for (const [name, h] of Object.entries(fleet.hosts))
      this.inspect.runs.set(name, h.initial_closure);
    this.checker = new InvariantChecker(
      {
        fleet,
        profile,
        settings: { ...DEFAULT_SETTINGS, ...options.settings },
        inspect: this.inspect,
        ...(options.horizon === undefined ? {} : { horizon: at(options.horizon) }),
      },
      options.invariants ?? INVARIANTS,
    );
  }

  get flags(): ProfileFlags {
    return this.profile.flags;
  }

  /** Move the clock to `RUN_START + n` seconds. */
  at(n: number): this {
    this.now = at(n);
    return this;
  }

  emit(record: TraceRecord): this {
    if (record.type === 'wave_cursor') {
      // faithful's advance_current_waves writes the row's cursor directly (spec §4.4).
      const row = this.rows.get(record.rolloutId);
      if (row !== undefined && record.to > row.currentWave)
        this.rows.set(record.rolloutId, { ...row, currentWave: record.to });
    }
    this.records.push(record);
    this.checker.observe(record);
    return this;
  }

  row(id: RolloutId): RolloutRecord {
    const row = this.rows.get(id);
    if (row === undefined) throw new Error(`trace script: ${id} was never opened`);
    return row;
  }

  /**
   * A new ref on `channel`: `rollout_opened`, then `SuccessorOpened` for every live
   * predecessor (spec §4.2 step 4), then `HostJoined` for every host of the channel.
   */
  open(
    channel: string,
    ref: string,
    options: { supersede?: boolean; join?: boolean } = {},
  ): RolloutId {
    const id = rolloutId(channel, ref);
    const live = [...this.rows.values()].filter(
      (r) =>
        r.channel === channel &&
        r.rolloutId !== id &&
        r.state !== 'Superseded' &&
        r.state !== 'Pruned',
    );
    this.rows.set(id, openRolloutRecord(channel, ref, this.now));
    this.emit({ type: 'rollout_opened', t: this.now, rolloutId: id, channel, targetRef: ref });
    if (options.supersede ?? true) {
      for (const p of live) {
        this.event({
          type: 'SuccessorOpened',
          supersededRolloutId: p.rolloutId,
          successorRolloutId: id,
          at: this.now,
        });
      }
    }
    if (options.join ?? true) this.join(id);
    return id;
  }

  /** `HostJoined` for every host of the rollout's channel, wave by wave. */
  join(id: RolloutId): this {
    const row = this.row(id);
    channelWaves(this.fleet, row.channel).forEach((w, wave) => {
      for (const hostId of w.hosts)
        this.event({ type: 'HostJoined', rolloutId: id, hostId, wave, at: this.now });
    });
    return this;
  }

  /** A rollout event with the reducer's own answer, applied to the row (spec §2.1). */
  event(event: RolloutEvent): this {
    const id = event.type === 'SuccessorOpened' ? event.supersededRolloutId : event.rolloutId;
    return this.recorded(id, event, rolloutStep(this.row(id), event));
  }

  /**
   * Retention's turn for a finished rollout (spec §4.12, §6 item 6): intent steps
   * `RetentionExpired`; faithful's sweep deletes the row, which no trace record shows.
   */
  prune(id: RolloutId): this {
    if (!this.flags.retention_expired) return this;
    return this.event({ type: 'RetentionExpired', rolloutId: id, at: this.now });
  }

  /** Faithful's hourly sweep deletes the row now (§4.12): only the end summary shows it. */
  sweep(id: RolloutId): this {
    this.deleted.add(id);
    return this;
  }

  /** A rollout event with the given result, real or not; its effects shape the row. */
  recorded(id: RolloutId, event: RolloutEvent, result: RolloutStepResult): this {
    let row = this.row(id);
    if (result.ok) {
      for (const effect of result.effects) {
        if (effect.type === 'RecordRolloutTransition' && row.state !== effect.to) {
          row = {
            ...row,
            state: effect.to,
            terminalAt: effect.to === 'Terminal' ? effect.at : row.terminalAt,
            supersededAt: effect.to === 'Superseded' ? effect.at : row.supersededAt,
          };
        } else if (effect.type === 'UpdateCurrentWave' && effect.wave > row.currentWave) {
          row = { ...row, currentWave: effect.wave };
        }
      }
    }
    this.rows.set(id, row);
    return this.emit({
      type: 'rollout_event',
      t: this.now,
      rolloutId: id,
      event,
      result,
      currentWave: row.currentWave,
    });
  }

  /**
   * The planner sends `host` its target: a Pending record on the control plane, its soak
   * due as compute_soak_due_at has it (spec §3.10, §6 item 10): its wave's soak (60
   * minutes for none) from the rollout's opening, or with soak_from_dispatch from the
   * host's first dispatch. A bad trace may `bend` that deadline.
   */
  dispatch(
    id: RolloutId,
    host: string,
    wave = hostWaveIndex(this.fleet, host),
    bend: (due: Instant) => Instant = (due) => due,
  ): this {
    const row = this.row(id);
    const soak = channelWaves(this.fleet, row.channel)[Math.max(wave, 0)]?.soak_minutes ?? 60;
    const key = `${id}\u0000${host}`;
    const first = this.firstDispatch.get(key) ?? this.now;
    this.firstDispatch.set(key, first);
    const start = this.flags.soak_from_dispatch ? first : row.openedAt;
    const prior = this.inspect.cpHost(id, host);
    this.inspect.setCp({
      ...(prior ??
        newPendingHost(
          id,
          host,
          row.channel,
          targetClosure(host, row.targetRef),
          this.now,
          this.now,
        )),
      dispatchedAt: this.now,
      soakDueAt: bend(start + soak * 60_000),
    });
    return this.emit({ type: 'dispatch', t: this.now, rolloutId: id, host, wave });
  }

  /**
   * The cursor moves: through `WaveAdvanced` when the profile does that (spec §6.2),
   * then the `wave_cursor` record either way.
   */
  cursor(id: RolloutId, from: number, to = from + 1): this {
    if (this.flags.wave_advanced_event) {
      this.event({ type: 'WaveAdvanced', rolloutId: id, fromWave: from, toWave: to, at: this.now });
    }
    return this.emit({ type: 'wave_cursor', t: this.now, rolloutId: id, from, to });
  }

  /** The planner's `RolloutTerminal`, after `WaveAdvanced{last, last}` when the profile emits it. */
  terminal(id: RolloutId): this {
    const row = this.row(id);
    if (this.flags.converging_on_last_wave && row.state === 'Active') {
      this.event({
        type: 'WaveAdvanced',
        rolloutId: id,
        fromWave: row.currentWave,
        toWave: row.currentWave,
        at: this.now,
      });
    }
    return this.event({ type: 'RolloutTerminal', rolloutId: id, at: this.now });
  }

  private policy(channel: string) {
    const c = this.fleet.channels[channel];
    return c === undefined ? undefined : this.fleet.rollout_policies[c.rollout_policy];
  }

  /** The record after a change to `to`, with the fields the machine stamps on the way. */
  private advanced(r: HostRecord, host: string, to: HostState): HostRecord {
    const now = this.now;
    const next: { -readonly [K in keyof HostRecord]: HostRecord[K] } = {
      ...r,
      state: to,
      lastEventSeq: r.lastEventSeq + 1,
    };
    if (to === 'Activating') {
      next.dispatchAckedAt = now;
      next.activationStartedAt = now;
      next.currentClosureAtDispatch = this.inspect.running(host);
    } else if (to === 'Soaking') {
      next.activationCompletedAt = now;
      next.currentClosure = r.targetClosure;
    } else if (to === 'Converged') {
      next.convergedAt = now;
    } else if (to === 'Failed') {
      next.failedAt = now;
      next.policyApplied = this.policy(r.channel)?.on_health_failure ?? null;
      if (r.state !== 'Soaking') next.activationFailedAt = now;
    } else if (to === 'Reverted') {
      next.revertedAt = now;
      next.revertedTo = r.currentClosureAtDispatch;
      next.currentClosure = r.currentClosureAtDispatch;
    }
    return next;
  }

  private transition(
    side: Side,
    id: RolloutId,
    host: string,
    from: HostState,
    to: HostState,
  ): void {
    const event = EVENTS[side][`${from}>${to}`];
    if (event === undefined)
      throw new Error(`trace script: no ${side} event takes ${from} to ${to}`);
    this.emit({ type: 'host_transition', t: this.now, side, rolloutId: id, host, event, from, to });
  }

  /** The agent's record changes (and what the host runs with it), then its record is traced. */
  agent(id: RolloutId, host: string, to: HostState, patch: Partial<HostRecord> = {}): this {
    const row = this.row(id);
    const cp = this.inspect.cpHost(id, host);
    const prior =
      this.inspect.agentHost(host, id) ??
      newPendingHost(
        id,
        host,
        row.channel,
        targetClosure(host, row.targetRef),
        cp?.dispatchedAt ?? this.now,
        cp?.soakDueAt ?? this.now,
      );
    const next = { ...this.advanced(prior, host, to), ...patch };
    this.inspect.setAgent(host, next);
    if (to === 'Soaking' || to === 'Reverted')
      this.inspect.runs.set(host, next.currentClosure ?? '');
    this.transition('agent', id, host, prior.state, to);
    return this;
  }

  /**
   * A boot snapshot merged over the agent's record (spec §3.12 merge): its state becomes
   * the snapshot's, traced under the label the agent gives such a merge.
   */
  snapshot(id: RolloutId, host: string, to: HostState): this {
    const prior = this.inspect.agentHost(host, id);
    if (prior === undefined) throw new Error(`trace script: ${host} holds no record of ${id}`);
    this.inspect.setAgent(host, { ...prior, state: to });
    this.emit({
      type: 'host_transition',
      t: this.now,
      side: 'agent',
      rolloutId: id,
      host,
      event: 'RemoteActivationCompleted',
      from: prior.state,
      to,
    });
    return this;
  }

  /**
   * The control plane's record changes, then its `host_transition`, then the
   * `HostStateChanged` it forwards to the rollout (not `to == Failed` under
   * rollback-and-halt when the profile lets `Reverted` land, spec §6.3).
   */
  cp(id: RolloutId, host: string, to: HostState, patch: Partial<HostRecord> = {}): this {
    const prior = this.inspect.cpHost(id, host);
    if (prior === undefined) throw new Error(`trace script: ${host} was never dispatched on ${id}`);
    this.inspect.setCp({ ...this.advanced(prior, host, to), ...patch });
    // RemoteRollbackComplete's RemoteInsertQuarantine, applied before the transition is traced.
    if (prior.state === 'Failed' && to === 'Reverted')
      this.inspect.quarantineTable.add(`${prior.channel}\u0000${prior.targetClosure}`);
    this.transition('cp', id, host, prior.state, to);
    const withheld =
      to === 'Failed' &&
      this.flags.rollback_reverts_rollout &&
      this.policy(prior.channel)?.on_health_failure === 'rollback-and-halt';
    if (!withheld) {
      this.event({
        type: 'HostStateChanged',
        rolloutId: id,
        hostId: host,
        from: prior.state,
        to,
        at: this.now,
      });
    }
    return this;
  }

  /** Both sides, the agent first (its report reaches the control plane). */
  host(id: RolloutId, host: string, to: HostState, patch: Partial<HostRecord> = {}): this {
    return this.agent(id, host, to, patch).cp(id, host, to, patch);
  }

  /** A probe result on the agent's record, reported to the control plane's too. */
  probe(id: RolloutId, host: string, name: string, status: ProbeStatus): this {
    const mode = this.fleet.hosts[host]?.probes.find((p) => p.name === name)?.mode ?? 'enforce';
    const update = (r: HostRecord): HostRecord => ({
      ...r,
      probeObservedFirstAt: r.probeObservedFirstAt ?? this.now,
      probeFailureFirstAt: status === 'fail' ? (r.probeFailureFirstAt ?? this.now) : null,
      probes: {
        ...r.probes,
        [name]: {
          status,
          mode,
          lastObservedAt: this.now,
          lastPassAt: status === 'pass' ? this.now : (r.probes[name]?.lastPassAt ?? null),
          failureReason: status === 'fail' ? 'HTTP 500' : null,
        },
      },
    });
    const agent = this.inspect.agentHost(host, id);
    if (agent !== undefined) this.inspect.setAgent(host, update(agent));
    const cp = this.inspect.cpHost(id, host);
    if (cp !== undefined) this.inspect.setCp(update(cp));
    if (cp !== undefined && status === 'fail' && mode === 'enforce') {
      const k = `${id}\u0000${host}`;
      this.inspect.probeFailures.set(k, new Set(this.inspect.probeFailures.get(k)).add(name));
    }
    return this;
  }

  /**
   * The hosts' whole uneventful life in a rollout from `start`, side by side: dispatched,
   * activating at +1 s, soaking at +10 s, their probes passing at +15 s, converged at
   * +70 s (soak 1 min from the dispatch).
   */
  converge(id: RolloutId, hosts: string | readonly string[], start: number): this {
    const all = typeof hosts === 'string' ? [hosts] : hosts;
    this.at(start);
    for (const h of all) this.dispatch(id, h);
    this.at(start + 1);
    for (const h of all) this.host(id, h, 'Activating');
    this.at(start + 10);
    for (const h of all) this.host(id, h, 'Soaking');
    this.at(start + 15);
    for (const h of all)
      for (const p of this.fleet.hosts[h]?.probes ?? []) this.probe(id, h, p.name, 'pass');
    this.at(start + 70);
    for (const h of all) this.host(id, h, 'Converged');
    return this;
  }

  summary(ended: RunSummary['ended']): RunSummary {
    return {
      fleet: this.fleet.name,
      profile: this.profile.name,
      seed: 0,
      rollouts: [...this.rows.values()].map((row) => {
        const hosts: Partial<Record<HostState, number>> = {};
        for (const w of channelWaves(this.fleet, row.channel)) {
          for (const h of w.hosts) {
            const state = this.inspect.cpHost(row.rolloutId, h)?.state ?? 'Pending';
            hosts[state] = (hosts[state] ?? 0) + 1;
          }
        }
        return {
          rolloutId: row.rolloutId,
          channel: row.channel,
          targetRef: row.targetRef,
          state: this.deleted.has(row.rolloutId) ? 'deleted' : row.state,
          currentWave: row.currentWave,
          openedAt: row.openedAt,
          terminalAt: row.terminalAt,
          supersededAt: row.supersededAt,
          hosts,
        };
      }),
      simSeconds: (this.now - RUN_START) / 1000,
      wallSeconds: null,
      ended,
      events: NO_EVENTS,
      quarantined: [],
      stall: null,
      unsettled: null,
    };
  }

  /** The run ends: the `end` record goes through the monitors, then the end-of-run checks. */
  end(
    ended: RunSummary['ended'] = 'terminal',
    why: Partial<Pick<RunSummary, 'stall' | 'unsettled'>> = {},
  ): this {
    const summary = { ...this.summary(ended), ...why };
    this.emit({ type: 'end', t: this.now, summary });
    this.checker.finish(summary, this.now);
    this.ended = true;
    return this;
  }
}

export type Script = (trace: Trace) => void;

/** Play `script` under `prof`, ending the run (settled) unless the script did. */
export function play(
  fleet: Fleet,
  prof: Profile,
  script: Script,
  options: TraceOptions = {},
): Trace {
  const trace = new Trace(fleet, prof, options);
  script(trace);
  if (!trace.ended) trace.end();
  return trace;
}

/** Every finding of a run, failures and deviations alike, by invariant id. */
export function findings(trace: Trace): Finding[] {
  return [...trace.checker.failures, ...trace.checker.deviations];
}

export function ids(trace: Trace): string[] {
  return findings(trace)
    .map((f) => f.invariant.id)
    .sort();
}

/** What a clean run looks like: no failure, no deviation (messages shown when not). */
export function expectClean(trace: Trace): void {
  expect(findings(trace).map((f) => `${f.invariant.id}: ${f.message}`)).toEqual([]);
}

/** Whether `inv` is a known deviation under `prof` (a flag it requires is off). */
export function isDeviationUnder(inv: Invariant, prof: Profile): boolean {
  return inv.requires?.flags.some((f) => !prof.flags[f]) ?? false;
}

/**
 * The finding of `id` in `trace`, classified as the profile says: a failure when the
 * invariant needs nothing the profile lacks, else a deviation carrying its text.
 */
export function expectFinding(trace: Trace, id: string): Finding {
  const all = findings(trace);
  const found = all.find((f) => f.invariant.id === id);
  expect(
    found,
    `${id} not reported; reported: ${all.map((f) => `${f.invariant.id}: ${f.message}`).join(' | ')}`,
  ).toBeDefined();
  const f = found as Finding;
  if (isDeviationUnder(f.invariant, trace.profile)) {
    expect(trace.checker.deviations).toContain(f);
    expect(trace.checker.failures).not.toContain(f);
    expect(f.deviation).toBe(f.invariant.requires?.deviation);
  } else {
    expect(trace.checker.failures).toContain(f);
    expect(trace.checker.deviations).not.toContain(f);
    expect(f.deviation).toBeNull();
  }
  return f;
}

const http = probeDecl('http', { interval_seconds: 15 });

export interface FleetOptions {
  readonly onHealthFailure?: 'halt' | 'rollback-and-halt';
  readonly hostEdges?: FleetSpec['host_edges'];
  readonly budgets?: FleetSpec['disruption_budgets'];
  readonly faults?: FleetSpec['faults'];
  readonly probes?: boolean;
}

/**
 * The fleet most traces run on: channel `stable`, ref `v1`, three waves (a | b c | d),
 * soak 1 min each, every host with an enforce `http` probe.
 */
export function stagedFleet(options: FleetOptions = {}): Fleet {
  const probes = options.probes === false ? [] : [http];
  const host = (name: string) => ({
    channel: 'stable',
    tags: [],
    probes,
    initial_closure: `${name}-base`,
  });
  return makeFleet({
    name: 'staged-test',
    channels: { stable: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] } },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: options.onHealthFailure ?? 'rollback-and-halt',
        waves: [
          { hosts: ['a'], soak_minutes: 1 },
          { hosts: ['b', 'c'], soak_minutes: 1 },
          { hosts: ['d'], soak_minutes: 1 },
        ],
      },
    },
    hosts: { a: host('a'), b: host('b'), c: host('c'), d: host('d') },
    ...(options.hostEdges === undefined ? {} : { host_edges: options.hostEdges }),
    ...(options.budgets === undefined ? {} : { disruption_budgets: options.budgets }),
    ...(options.faults === undefined ? {} : { faults: options.faults }),
  });
}

/** Two channels, `canary` (host k) gating `stable` (host s), one wave each, soak 1 min. */
export function twoChannelFleet(): Fleet {
  const host = (channel: string, name: string) => ({
    channel,
    tags: [],
    probes: [http],
    initial_closure: `${name}-base`,
  });
  return makeFleet({
    name: 'two-channel-test',
    channels: {
      canary: { rollout_policy: 'one', initial_ref: 'v1', releases: [] },
      stable: { rollout_policy: 'one', initial_ref: 'v1', releases: [] },
    },
    rollout_policies: {
      one: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [{ hosts: ['k', 's'], soak_minutes: 1 }],
      },
    },
    hosts: { k: host('canary', 'k'), s: host('stable', 's') },
    channel_edges: [{ gates: 'canary', gated: 'stable', reason: null }],
  });
}

/**
 * The whole uneventful rollout `id` of `stagedFleet` from `start`: wave 0 (a) converges,
 * the cursor moves, wave 1 (b, c) converges, then wave 2 (d), and the planner offers
 * `RolloutTerminal` at `start + 220`.
 */
export function rollThrough(s: Trace, id: RolloutId, start: number): void {
  s.converge(id, 'a', start);
  s.at(start + 75).cursor(id, 0);
  s.converge(id, ['b', 'c'], start + 75);
  s.at(start + 150).cursor(id, 1);
  s.converge(id, 'd', start + 150);
  s.at(start + 220).terminal(id);
}

/** The realistic good run of `stagedFleet`: `v1` rolled through, Terminal at 220 s, the run settles at 300 s. */
export const happyPath: Script = (s) => {
  rollThrough(s, s.open('stable', 'v1'), 0);
  s.at(300);
};

/** A bad trace: the fleet, the script, and what else it breaks as a consequence. */
export interface Bad {
  readonly fleet: Fleet;
  readonly script: Script;
  readonly settings?: Partial<Settings>;
  readonly horizon?: number;
  /** Other invariants the same trace breaks (consequences of the bug), if any. */
  readonly also?: readonly string[];
}

/**
 * The profiles a bad trace is judged under: faithful, intent, and for an invariant that
 * depends on profile flags, intent with each of them off and faithful with all of them on.
 */
export function judgingProfiles(inv: Invariant): Profile[] {
  const flags = inv.requires?.flags ?? [];
  return [
    FAITHFUL,
    INTENT,
    ...flags.map((f) => profile('intent', { [f]: false })),
    ...(flags.length === 0
      ? []
      : [profile('faithful', Object.fromEntries(flags.map((f) => [f, true])))]),
  ];
}

function without(id: string): readonly Invariant[] {
  // A bad trace stops right after the bug, mid-rollout: in a fault-free fleet
  // liveness.terminal would report every one of them. And a script writes the rollout
  // results it records by hand, wrong ones included, which model.steps-agree would report
  // beside the invariant under test. Each has its own bad traces (liveness.test.ts,
  // spec-model.test.ts).
  // Bad traces also prune when they like, under either profile: rollout.retention has its
  // own (retention.test.ts). And they move the cursor when the story needs it, not at the
  // next planning run: progress.cursor-advances has its own (cursor-progress.test.ts).
  const aside = [
    'liveness.terminal',
    'model.steps-agree',
    'rollout.retention',
    'progress.cursor-advances',
  ].filter((x) => x !== id);
  return INVARIANTS.filter((i) => !aside.includes(i.id));
}

/**
 * Play `bad` under every judging profile; each time exactly `id` (and `also`) must be
 * reported, `id` as a failure or as a known deviation as the profile says (with its
 * deviation text). Returns the finding of `id` under intent and every trace.
 */
export function expectViolation(id: string, bad: Bad): { finding: Finding; traces: Trace[] } {
  const inv = INVARIANTS.find((i) => i.id === id);
  if (inv === undefined) throw new Error(`no invariant ${id}`);
  const traces = judgingProfiles(inv).map((prof) =>
    play(bad.fleet, prof, bad.script, {
      invariants: without(id),
      ...(bad.settings === undefined ? {} : { settings: bad.settings }),
      ...(bad.horizon === undefined ? {} : { horizon: bad.horizon }),
    }),
  );
  for (const trace of traces) {
    expect(ids(trace), `under ${JSON.stringify(trace.profile.flags)}`).toEqual(
      [id, ...(bad.also ?? [])].sort(),
    );
    expectFinding(trace, id);
  }
  const [faithful, intent] = traces as [Trace, Trace];
  // Spelled out for the two presets: faithful breaks a flag-dependent invariant by
  // construction (a known deviation), intent never may.
  const idsOf = (fs: readonly Finding[]) => fs.map((f) => f.invariant.id);
  if (inv.requires !== undefined) {
    expect(idsOf(faithful.checker.deviations)).toContain(id);
    expect(idsOf(faithful.checker.failures)).not.toContain(id);
    expect(faithful.checker.deviations.find((f) => f.invariant.id === id)?.deviation).toBe(
      inv.requires.deviation,
    );
  } else {
    expect(idsOf(faithful.checker.failures)).toContain(id);
  }
  expect(idsOf(intent.checker.failures)).toContain(id);
  expect(idsOf(intent.checker.deviations)).not.toContain(id);
  return { finding: expectFinding(intent, id), traces };
}

/** A good trace: clean under both profiles. */
export function expectPasses(fleet: Fleet, script: Script, settings?: Partial<Settings>): void {
  for (const prof of [FAITHFUL, INTENT]) {
    expectClean(play(fleet, prof, script, settings === undefined ? {} : { settings }));
  }
}
