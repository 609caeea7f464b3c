import type { HostRecord } from '../../../machines/host/state.ts';
import { type RolloutId, rolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import type { GateView } from '../../control-plane/gates.ts';
import { channelWaves } from '../../fleet/fleet.ts';
import { specBlockingGate } from '../../spec-model/gates.ts';
import type { TraceRecord } from '../../trace-record.ts';
import type { Invariant, MonitorContext } from '../invariant.ts';
import {
  type ControlRows,
  controlKey,
  failingEnforce,
  hostOfKey,
  noteProbeFailures,
} from './compliance-count.ts';

/*
 * Progress on the planner's side (spec §4.5–§4.11): a gate that blocks more than the spec
 * says is as wrong as one that blocks less, it just fails quietly. The spec's gate stack
 * is the spec model's (`sim/spec-model/gates.ts`, not the control plane's own, which would
 * agree with any mistake in it); this monitor feeds it the world as the trace and the
 * live records show it at a planning run and asks which hosts it would have sent.
 */

/**
 * One planning run as the trace shows it: its `gate` and `dispatch` records are emitted
 * back to back at one instant (spec §4.1 plan_next; only the wire's drop and duplicate
 * faults of a dispatch handed straight to a waiting long-poll come in between), so a
 * maximal such batch is one run (or two at the same instant, judged together, which only
 * makes the check more lenient). The world is captured at its first record: nothing but
 * the run itself changes the tables before its last one.
 */
interface PlanningRun {
  readonly t: Instant;
  /** Every host record of every current rollout, as the tables held them at the run. */
  readonly records: Map<string, HostRecord>;
  /** The rollouts the run plans for, in the planner's (channel name) order. */
  readonly planned: readonly RolloutId[];
  readonly current: readonly RolloutId[];
  readonly dispatched: Set<string>;
  readonly held: Map<string, string>;
  /** Faithful's compliance count (spec §4.11): a host's distinct enforce controls that ever failed. */
  readonly failingControls: (id: RolloutId, host: string) => number;
}

/**
 * `channel`'s manifest ref as the planner reads it: the cached one, so none while a failed
 * poll has left the channel out (faithful, spec §4.1), and the ref itself, so a rollout
 * the same run opens afterwards is "not opened yet" to an edge, never "no manifest".
 */
function manifestRef(ctx: MonitorContext, channel: string): string | undefined {
  const { view, inspect } = ctx;
  if (inspect.manifestRef !== undefined) return inspect.manifestRef(channel);
  const id = view.current.get(channel);
  return id === undefined ? undefined : view.rollouts.get(id)?.row.targetRef;
}

function capture(ctx: MonitorContext, t: Instant, rows: ControlRows | null): PlanningRun {
  const { view, inspect } = ctx;
  const records = new Map<string, HostRecord>();
  const planned: RolloutId[] = [];
  const current: RolloutId[] = [];
  for (const channel of [...view.current.keys()].sort()) {
    const ref = manifestRef(ctx, channel);
    if (ref === undefined) continue;
    const id = rolloutId(channel, ref);
    const r = view.rollouts.get(id);
    if (r === undefined) continue;
    current.push(id);
    for (const host of r.cp.keys()) {
      const record = inspect.cpHost(id, host);
      if (record !== undefined) records.set(controlKey(id, host), record);
    }
    // A rollout opened in this very run is planned from the next one on (spec §4.1:
    // plan_next dispatches for the rollouts that existed when the run started).
    if (r.row.terminalAt === null && r.row.openedAt < t) planned.push(id);
  }
  // Without steps (a trace replay), the run's own tables, if it can show them.
  const counts = new Map<string, number>();
  if (rows !== null) for (const [k, controls] of rows) counts.set(k, controls.size);
  const failingControls =
    rows === null
      ? (id: RolloutId, host: string) =>
          inspect.failingControls?.(id, host) ?? Number.POSITIVE_INFINITY
      : (id: RolloutId, host: string) => counts.get(controlKey(id, host)) ?? 0;
  return {
    t,
    records,
    planned,
    current,
    dispatched: new Set(),
    held: new Map(),
    failingControls,
  };
}

/**
 * The gate view of `run`. The budget counter is the whole run's dispatches per selector:
 * at a held host's turn the planner had counted at most those, so a host held for the
 * budget is excused whichever order the planner took (D-008 accumulator, spec §4.10).
 */
function gateView(
  ctx: MonitorContext,
  run: PlanningRun,
  dispatchedBefore: ReadonlySet<string>,
  lastDispatched: ReadonlyMap<string, RolloutId>,
): GateView {
  const { fleet, profile, view } = ctx;
  const flags = profile.flags;
  const state = (id: RolloutId, h: string) =>
    run.records.get(controlKey(id, h))?.state ?? view.rollouts.get(id)?.cp.get(h);
  const counters = new Map<string, number>();
  for (const k of run.dispatched) {
    const host = hostOfKey(k);
    for (const b of fleet.disruption_budgets)
      if (b.hosts.includes(host)) counters.set(b.selector, (counters.get(b.selector) ?? 0) + 1);
  }
  return {
    fleet,
    flags,
    manifestRef: (channel) => manifestRef(ctx, channel),
    row: (id) => view.rollouts.get(id)?.row,
    hostRecord: (id, host) => run.records.get(controlKey(id, host)),
    // The quarantine set the profile hands the planner (empty in faithful, spec §6.8).
    quarantined: (channel, closure) =>
      flags.quarantine_from_table && view.quarantined(channel, closure),
    inFlight: (hosts, except) => {
      let n = 0;
      for (const id of run.current) {
        for (const h of hosts) {
          const s = state(id, h);
          if (s === 'Activating' || s === 'Soaking') n++;
          else if (flags.budget_counts_queued && s === 'Deferred') n++;
          else if (flags.budget_counts_queued && s === 'Pending' && h !== except) {
            // Queued by an earlier run, still unacknowledged; this run's are in the counter.
            const k = controlKey(id, h);
            if (dispatchedBefore.has(k) && !run.dispatched.has(k)) n++;
          }
        }
      }
      if (flags.budget_counts_queued)
        n += supersededInFlight(ctx, run, hosts, except, lastDispatched);
      return n;
    },
    // Spec §4.11: every control that ever failed holds later waves, its probe_failures
    // rows are never deleted (the table is the world the gate reads, like the records;
    // without it every later wave may be held); intent (spec §6 item 15): only one whose
    // latest result, on the record, fails.
    failingBefore: (id, wave) => {
      const row = view.rollouts.get(id)?.row;
      if (row === undefined) return 0;
      let sum = 0;
      channelWaves(fleet, row.channel).forEach((w, i) => {
        if (i >= wave) return;
        for (const h of w.hosts)
          sum += flags.compliance_latest_wins
            ? failingEnforce(run.records.get(controlKey(id, h)))
            : run.failingControls(id, h);
      });
      return sum;
    },
    budgetCounter: (selector) => counters.get(selector) ?? 0,
  };
}

/**
 * Intent counts a host whose newest dispatch is for a rollout no longer current (the
 * run's current ones are counted as such) and which may still work for it. Whether a
 * Pending one's dispatch reached its agent is on the wire, not in the trace: it is
 * counted, so the check excuses a hold the planner might have lifted (lenient, never a
 * false alarm).
 */
function supersededInFlight(
  ctx: MonitorContext,
  run: PlanningRun,
  hosts: readonly string[],
  except: string,
  lastDispatched: ReadonlyMap<string, RolloutId>,
): number {
  let n = 0;
  for (const h of hosts) {
    const id = lastDispatched.get(h);
    if (h === except || id === undefined || run.current.includes(id)) continue;
    // No longer current: superseded, or pruned before or after a successor opened.
    const r = ctx.view.rollouts.get(id);
    if (r === undefined) continue;
    const s = r.cp.get(h);
    if (s === 'Activating' || s === 'Soaking' || s === 'Deferred' || s === 'Pending') n++;
  }
  return n;
}

function judge(
  ctx: MonitorContext,
  run: PlanningRun,
  dispatchedBefore: ReadonlySet<string>,
  lastDispatched: ReadonlyMap<string, RolloutId>,
): string | null {
  const gates = gateView(ctx, run, dispatchedBefore, lastDispatched);
  for (const id of run.planned) {
    const r = ctx.view.rollouts.get(id);
    if (r === undefined) continue;
    for (const host of [...r.cp.keys()].sort()) {
      const k = controlKey(id, host);
      const record = run.records.get(k);
      // Only a Pending host never acknowledged is the planner's to send (spec §4.5).
      if (record?.state !== 'Pending' || record.dispatchAckedAt !== null) continue;
      // Sent by an earlier run and not picked up yet: it is on its way; whether the
      // planner sends it again is its own business, not progress.
      if (run.dispatched.has(k) || dispatchedBefore.has(k)) continue;
      if (specBlockingGate(gates, r.row, host, record) !== null) continue;
      const held = run.held.get(k);
      return `${host} on ${id} passes every gate of the spec but was not dispatched${held === undefined ? '' : ` (held at ${held})`}`;
    }
  }
  return null;
}

export const dispatchWhenAllowed: Invariant = {
  id: 'progress.dispatch-when-allowed',
  statement:
    'at every planning run, each Pending unacknowledged host of a current rollout that every gate of the spec passes is dispatched',
  source: 'spec §4.5–§4.11 (evaluate_for_dispatch), §4.10 D-008 same-run budget counter',
  kind: 'liveness',
  create: (ctx) => {
    let run: PlanningRun | null = null;
    let rows: ControlRows | null = null;
    const dispatchedBefore = new Set<string>();
    const lastDispatched = new Map<string, RolloutId>();
    const close = (): string | null => {
      if (run === null) return null;
      const done = run;
      run = null;
      const message = judge(ctx, done, dispatchedBefore, lastDispatched);
      for (const k of done.dispatched) dispatchedBefore.add(k);
      return message;
    };
    return {
      observe(record: TraceRecord) {
        const planning = record.type === 'gate' || record.type === 'dispatch';
        // A dispatch handed to a waiting long-poll goes on the wire at once, and the wire
        // can trace a drop or a duplicate of it: that is still inside the planning run.
        const wire =
          record.type === 'fault' && (record.kind === 'drop' || record.kind === 'duplicate');
        let message: string | null = null;
        if (run !== null && (record.t !== run.t || !(planning || wire))) message = close();
        if (record.type === 'gate' || record.type === 'dispatch') {
          if (run === null) run = capture(ctx, record.t, rows);
          const k = controlKey(record.rolloutId, record.host);
          if (record.type === 'dispatch') {
            run.dispatched.add(k);
            lastDispatched.set(record.host, record.rolloutId);
          } else run.held.set(k, `${record.gate}: ${record.reason}`);
        }
        return message;
      },
      hostStep(step) {
        rows ??= new Map();
        noteProbeFailures(rows, step);
        return null;
      },
      finish: () => close(),
    };
  },
};

export const DISPATCH_PROGRESS_INVARIANTS = [dispatchWhenAllowed];
