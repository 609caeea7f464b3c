import type { HostRecord } from '../../../machines/host/state.ts';
import type { RolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import type { TraceRecord } from '../../trace-record.ts';
import { RUN_START } from '../../world.ts';
import type { Invariant, MonitorContext } from '../invariant.ts';

/*
 * Progress on the agent's side (spec §3.10 run_advance_tick): a soaking host whose fate
 * is decided must meet it by the next advance tick. A verdict the agent never reaches is
 * no safety violation, but the rollout waits on it forever.
 *
 * Probe results leave no trace record, so these monitors sample the agent's record at
 * every record of the run. What they conclude from two samples is only what the record
 * proves: a probe whose status is `fail` at both with the same `last_pass_at` failed the
 * whole time in between, and a probe that starts failing always leaves a `probe_failed`
 * fault record, so no failure onset goes unsampled. The ticks fall on a grid of
 * `advance_tick_secs` whose phase the trace does not show: a window longer than one
 * period holds a tick, whatever the phase.
 */

const key = (host: string, id: RolloutId) => `${host}\u0000${id}`;

/** The soaking agent records worth sampling: one per host, its newest rollout. */
class SoakWatch {
  /** host → rollout of its newest agent record while that record soaks. */
  private readonly soaking = new Map<string, RolloutId>();
  /** host → when its agent is up again after a reboot (its timers were void till then). */
  private readonly downUntil = new Map<string, Instant>();

  constructor(private readonly ctx: MonitorContext) {}

  /** Takes the record in; returns the host whose sampled state must start over, if any. */
  note(record: TraceRecord): string | null {
    if (record.type === 'host_transition' && record.side === 'agent') {
      if (record.to === 'Soaking') this.soaking.set(record.host, record.rolloutId);
      else if (this.soaking.get(record.host) === record.rolloutId) this.soaking.delete(record.host);
    } else if (record.type === 'fault' && record.kind === 'reboot' && record.host !== null) {
      const boot = record.t + this.ctx.settings.reboot_secs * 1000;
      this.downUntil.set(record.host, boot);
      return record.host;
    }
    return null;
  }

  /** The soaking records to judge at `t`: the newest of each host whose agent is up. */
  *records(t: Instant): Generator<[string, RolloutId, HostRecord]> {
    for (const [host, id] of this.soaking) {
      if ((this.downUntil.get(host) ?? 0) >= t) continue;
      // An agent dispatched a newer rollout may leave the older one behind (intent:
      // agent_abandons_superseded); only its newest record is sure to be ticked.
      let newest: RolloutId | null = null;
      for (const rid of this.ctx.inspect.agentRecords(host).keys()) newest = rid;
      if (newest !== id) continue;
      const r = this.ctx.inspect.agentHost(host, id);
      if (r?.state === 'Soaking') yield [host, id, r];
    }
  }
}

const period = (ctx: MonitorContext) => ctx.settings.advance_tick_secs * 1000;
const secs = (t: Instant) => (t - RUN_START) / 1000;

export const sustainedFailureActed: Invariant = {
  id: 'progress.sustained-failure-acted',
  statement:
    'a host whose enforce probe is still failing once the sustained-failure threshold has passed since its first failure goes Failed by the next advance tick',
  source: 'spec §3.10 run_advance_tick (probe_failure_first_at keeps the first failure), §4.13',
  kind: 'liveness',
  create: (ctx) => {
    const watch = new SoakWatch(ctx);
    /** host, rollout, probe → the failing run sampled: its last pass and since when. */
    const failing = new Map<string, { lastPassAt: Instant | null; since: Instant }>();
    const threshold = ctx.settings.sustained_failure_threshold_secs * 1000;
    return {
      observe(record) {
        const restart = watch.note(record);
        if (restart !== null)
          for (const k of [...failing.keys()])
            if (k.startsWith(`${restart}\u0000`)) failing.delete(k);
        for (const [host, id, r] of watch.records(record.t)) {
          if (r.probeFailureFirstAt === null) continue;
          for (const [name, p] of Object.entries(r.probes)) {
            const k = `${key(host, id)}\u0000${name}`;
            if (p.mode !== 'enforce' || p.status !== 'fail') {
              failing.delete(k);
              continue;
            }
            let run = failing.get(k);
            if (run === undefined || run.lastPassAt !== p.lastPassAt) {
              // Failing from its latest result on, at the least.
              run = { lastPassAt: p.lastPassAt, since: p.lastObservedAt };
              failing.set(k, run);
            }
            const due = Math.max(r.probeFailureFirstAt + threshold, run.since);
            if (record.t - due > period(ctx)) {
              return `${host} on ${id} still Soaking at ${secs(record.t)} s: enforce probe ${name} failing since ${secs(run.since)} s, first failure at ${secs(r.probeFailureFirstAt)} s, threshold ${ctx.settings.sustained_failure_threshold_secs} s`;
            }
          }
        }
        return null;
      },
    };
  },
};

function failingProbes(r: HostRecord, enforce: boolean): string[] {
  return Object.entries(r.probes)
    .filter(([, p]) => p.status === 'fail' && (p.mode === 'enforce') === enforce)
    .map(([name]) => name);
}

export const observeNeverHolds: Invariant = {
  id: 'progress.observe-never-holds',
  statement:
    'an observe-mode probe never holds a host back: with only such probes failing it converges by the next advance tick after its soak, and never goes Failed',
  source: 'spec §3.10 (only enforce probes count at the advance tick), RFC-0005 probe modes',
  kind: 'liveness',
  create: (ctx) => {
    const watch = new SoakWatch(ctx);
    /** host, rollout → since when the record has been ready to converge, as sampled. */
    const ready = new Map<string, Instant>();
    const requireObservation = ctx.profile.flags.require_probe_observation;
    return {
      observe(record) {
        if (
          record.type === 'host_transition' &&
          record.side === 'agent' &&
          record.from === 'Soaking' &&
          record.to === 'Failed' &&
          record.event.startsWith('Local')
        ) {
          const r = ctx.inspect.agentHost(record.host, record.rolloutId);
          // A failure with nothing failing at all is host.sustained-threshold's to report.
          const observe = r === undefined ? [] : failingProbes(r, false);
          if (r !== undefined && failingProbes(r, true).length === 0 && observe.length > 0) {
            return `${record.host} Failed on ${record.rolloutId} with only observe-mode ${observe.join(', ')} failing`;
          }
        }
        const restart = watch.note(record);
        if (restart !== null)
          for (const k of [...ready.keys()]) if (k.startsWith(`${restart}\u0000`)) ready.delete(k);
        for (const [host, id, r] of watch.records(record.t)) {
          const probes = ctx.fleet.hosts[host]?.probes ?? [];
          // Hosts that declare an observe probe: the ones it could wrongly hold back.
          if (!probes.some((p) => p.mode === 'observe')) continue;
          const k = key(host, id);
          const eligible =
            r.soakDueAt !== null &&
            record.t >= r.soakDueAt &&
            r.currentClosure !== null &&
            r.currentClosure === r.targetClosure &&
            failingProbes(r, true).length === 0 &&
            (!requireObservation ||
              !probes.some((p) => p.mode !== 'disabled') ||
              r.probeObservedFirstAt !== null);
          if (!eligible) {
            ready.delete(k);
            continue;
          }
          const since = ready.get(k) ?? record.t;
          ready.set(k, since);
          if (record.t - since > period(ctx)) {
            const observe = failingProbes(r, false);
            return `${host} on ${id} still Soaking at ${secs(record.t)} s, ready to converge since ${secs(since)} s${observe.length === 0 ? '' : ` (observe-mode ${observe.join(', ')} failing)`}`;
          }
        }
        return null;
      },
    };
  },
};

export const AGENT_PROGRESS_INVARIANTS = [sustainedFailureActed, observeNeverHolds];
