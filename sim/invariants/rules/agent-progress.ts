import type { HostRecord } from '../../../machines/host/state.ts';
import type { RolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import type { TraceRecord } from '../../trace-record.ts';
import { secondsIntoRun as secs } from '../../world.ts';
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

/**
 * A judge's answer when it has no verdict: the host-clock instant up to which it will
 * have none as long as the host's records stay as they are (`Infinity`: not before they
 * change), or `EVERY_RECORD` when it must see every record (it notes when it saw what).
 */
const EVERY_RECORD = Number.NEGATIVE_INFINITY;

/**
 * The soaking agent records worth judging: one per host, while its agent is up and has
 * taken no newer dispatch. `visit` hands each to the monitor at every record, and a record that is
 * leaving Soaking once more at the record that shows it leave (how late it left is what
 * counts then).
 *
 * "Every record" is what the verdicts mean; the work is less where the run says which
 * agents took a message (`Inspect.onAgentDelivery`). A host's records change only while
 * its agent takes one, so a host is judged again only when it took one, when a record
 * about it arrives, or when the instant its judge named passes: at every other record its
 * judge would say the same nothing. Without that, a check of a 10k-host fleet sampled
 * every soaking host at every record and spent 70 % of its time there.
 */
class SoakWatch {
  /** host → rollout of its newest agent record while that record soaks. */
  private readonly soaking = new Map<string, RolloutId>();
  /**
   * host → when its agent's record entered Soaking. The record's own timestamps can be
   * older: a snapshot from the control plane (spec §3.12) brings the CP's. This and
   * `downUntil` are on the host's clock, like its records.
   */
  readonly soakingSince = new Map<string, Instant>();
  /** host → when its agent is up again after a reboot (its timers were void till then). */
  readonly downUntil = new Map<string, Instant>();
  /** Whether the run tells which agents took a message; if not, every host at every record. */
  private readonly tracked: boolean;
  /** Soaking hosts to judge at the next record (up ones; a down one waits here). */
  private readonly stale = new Set<string>();
  /** The agent taking a message now: its records may change between two records. */
  private receiving: string | null = null;
  /** host → its place in `soaking`'s order, the order the hosts are judged in. */
  private readonly order = new Map<string, number>();
  private added = 0;
  private readonly wakes = new WakeQueue();

  constructor(private readonly ctx: MonitorContext) {
    const subscribe = ctx.inspect.onAgentDelivery;
    this.tracked = subscribe !== undefined;
    subscribe?.((host, done) => {
      if (!done) this.receiving = host;
      else {
        this.receiving = null;
        if (this.soaking.has(host)) this.stale.add(host);
      }
    });
  }

  /**
   * Whether the agent took a newer dispatch since this record's: it may then leave the
   * older one behind (intent: agent_abandons_superseded), so its verdict is not due.
   */
  private overtaken(host: string, id: RolloutId, r: HostRecord): boolean {
    const { inspect } = this.ctx;
    const ids = inspect.agentRollouts?.(host) ?? [...inspect.agentRecords(host).keys()];
    // Nearly always the host's only record: nothing to rebuild.
    if (ids.length === 1 && ids[0] === id) return false;
    const acked = r.dispatchAckedAt ?? 0;
    for (const other of ids) {
      if (other === id) continue;
      const o = inspect.agentHost(host, other);
      if (o !== undefined && o.state !== 'Pending' && (o.dispatchAckedAt ?? 0) > acked) return true;
    }
    // The newer record may be Pending again, a stale boot snapshot having taken it back
    // (faithful's merge), after its dispatch made the agent leave this one: the trace
    // still shows that dispatch taken (check --profile faithful --set
    // agent_abandons_superseded=true --seed 1, run 129).
    const since = this.firstSeen.get(key(host, id));
    return (
      since !== undefined &&
      (this.freshDispatches.get(host)?.some((d) => d.id !== id && d.at > since) ?? false)
    );
  }

  /** The agent transitions seen so far: the order of the two maps below. */
  private agentSteps = 0;
  /** When (at which agent transition) each (host, rollout) record first showed. */
  private readonly firstSeen = new Map<string, number>();
  /**
   * The dispatches each host's agent took on a Pending record: with
   * `agent_abandons_superseded`, each makes it leave every other record it holds.
   */
  private readonly freshDispatches = new Map<string, { id: RolloutId; at: number }[]>();

  private noteAgentStep(host: string, id: RolloutId, event: string, from: string): void {
    const at = ++this.agentSteps;
    const k = key(host, id);
    if (!this.firstSeen.has(k)) this.firstSeen.set(k, at);
    if (event !== 'LocalActivate' || from !== 'Pending') return;
    if (!this.ctx.profile.flags.agent_abandons_superseded) return;
    const list = this.freshDispatches.get(host);
    if (list === undefined) this.freshDispatches.set(host, [{ id, at }]);
    else list.push({ id, at });
  }

  /** The world's instant `t` on the host's own clock, where its records' times are. */
  local(host: string, t: Instant): Instant {
    return t + this.skew(host);
  }

  /**
   * `judge` gets the record's instant on the host's clock (where record times and
   * deadlines are) and the host's clock skew, to put a host-clock time back on the
   * world's for messages (`worldSecs`). Called at every record: it allocates nothing
   * unless a verdict is due.
   */
  visit(record: TraceRecord, judge: Judge): string | null {
    const t = record.t;
    if (record.type === 'host_transition' && record.side === 'agent') {
      const { host, rolloutId: id } = record;
      this.noteAgentStep(host, id, record.event, record.from);
      let message: string | null = null;
      if (record.from === 'Soaking' && this.soaking.get(host) === id && this.up(host, t)) {
        const r = this.ctx.inspect.agentHost(host, id);
        if (r !== undefined && !this.overtaken(host, id, r)) {
          const v = judge(host, id, r, record.to, t, this.skew(host));
          if (typeof v === 'string') message = v;
        }
      }
      if (record.to === 'Soaking') {
        if (!this.soaking.has(host)) this.order.set(host, this.added++);
        this.soaking.set(host, id);
        this.soakingSince.set(host, this.local(host, t));
        this.stale.add(host);
      } else if (this.soaking.get(host) === id) this.soaking.delete(host);
      if (message !== null) return message;
    } else if (record.type === 'fault' && record.kind === 'reboot' && record.host !== null) {
      this.downUntil.set(
        record.host,
        this.local(record.host, t) + this.ctx.settings.reboot_secs * 1000,
      );
      this.stale.add(record.host);
    }
    return this.tracked ? this.judgeChanged(t, judge) : this.judgeAll(t, judge);
  }

  private judgeAll(t: Instant, judge: Judge): string | null {
    for (const host of this.soaking.keys()) {
      if (!this.up(host, t)) continue;
      const v = this.judgeOne(host, t, judge);
      if (typeof v === 'string') return v;
    }
    return null;
  }

  /** `judgeAll` over the hosts whose verdict may differ from their last: the same answer. */
  private judgeChanged(t: Instant, judge: Judge): string | null {
    for (let host = this.wakes.due(t); host !== null; host = this.wakes.due(t))
      this.stale.add(host);
    if (this.receiving !== null) this.stale.add(this.receiving);
    if (this.stale.size === 0) return null;
    const hosts: string[] = [];
    for (const host of this.stale) {
      if (this.soaking.has(host)) hosts.push(host);
      else this.stale.delete(host);
    }
    if (hosts.length > 1)
      hosts.sort((a, b) => (this.order.get(a) as number) - (this.order.get(b) as number));
    for (const host of hosts) {
      if (!this.up(host, t)) continue;
      if (host !== this.receiving) this.stale.delete(host);
      const v = this.judgeOne(host, t, judge);
      if (typeof v === 'string') return v;
      if (v === EVERY_RECORD) this.stale.add(host);
      else if (v !== null && v !== Number.POSITIVE_INFINITY)
        this.wakes.add(v - this.skew(host), host);
    }
    return null;
  }

  /** A soaking host's judge at `t`, or null when its record is not one to judge now. */
  private judgeOne(host: string, t: Instant, judge: Judge): string | number | null {
    const id = this.soaking.get(host) as RolloutId;
    const r = this.ctx.inspect.agentHost(host, id);
    if (r?.state !== 'Soaking' || this.overtaken(host, id, r)) return null;
    return judge(host, id, r, null, t, this.skew(host));
  }

  private skew(host: string): number {
    return this.ctx.inspect.clockSkew?.(host) ?? 0;
  }

  private up(host: string, t: Instant): boolean {
    return (this.downUntil.get(host) ?? 0) < this.local(host, t);
  }
}

/**
 * Hosts to judge again once the world's clock is past an instant: a binary min-heap.
 * A host may be in it more than once or no longer soak; judging it once more than needed
 * is what judging at every record would have done anyway.
 */
class WakeQueue {
  private readonly at: number[] = [];
  private readonly hosts: string[] = [];

  add(at: number, host: string): void {
    let i = this.at.length;
    this.at.push(at);
    this.hosts.push(host);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((this.at[parent] as number) <= at) break;
      this.at[i] = this.at[parent] as number;
      this.hosts[i] = this.hosts[parent] as string;
      i = parent;
    }
    this.at[i] = at;
    this.hosts[i] = host;
  }

  /** A host whose instant is before `t`, taken out, or null. */
  due(t: number): string | null {
    // A millisecond early: an instant computed with the skew on the other side may round
    // differently, and judging once too often changes nothing.
    if (this.at.length === 0 || (this.at[0] as number) >= t + 1) return null;
    const host = this.hosts[0] as string;
    const lastAt = this.at.pop() as number;
    const lastHost = this.hosts.pop() as string;
    const n = this.at.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && (this.at[r] as number) < (this.at[l] as number) ? r : l;
        if ((this.at[child] as number) >= lastAt) break;
        this.at[i] = this.at[child] as number;
        this.hosts[i] = this.hosts[child] as string;
        i = child;
      }
      this.at[i] = lastAt;
      this.hosts[i] = lastHost;
    }
    return host;
  }
}

/**
 * A monitor's verdict on one soaking record: `t` is the world's instant, `skew` how far
 * the host's clock runs ahead of it (the record's times are on the host's clock). No
 * verdict is a number (see `EVERY_RECORD`).
 */
type Judge = (
  host: string,
  id: RolloutId,
  r: HostRecord,
  to: string | null,
  t: Instant,
  skew: number,
) => string | number;

/** A host-clock instant as seconds into the run on the world's clock. */
const worldSecs = (x: Instant, skew: number) => secs(x - skew);

const period = (ctx: MonitorContext) => ctx.settings.advance_tick_secs * 1000;

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
    const judge: Judge = (host, id, r, to, t, skew) => {
      const now = t + skew;
      // Leaving Soaking for anything but Failed is not this monitor's verdict to judge.
      if (to !== null && to !== 'Failed') return Number.POSITIVE_INFINITY;
      // An enforce probe failing with no first failure recorded is judged from when it
      // was seen failing: an agent that never records the first failure (a probe that
      // passed, then failed) must not escape the threshold.
      const recorded = r.probeFailureFirstAt;
      let wake = Number.POSITIVE_INFINITY;
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
        const first = recorded ?? run.since;
        const due = Math.max(
          first + threshold,
          run.since,
          watch.downUntil.get(host) ?? 0,
          watch.soakingSince.get(host) ?? 0,
        );
        if (now - due > period(ctx)) {
          const when = to === null ? 'still Soaking at' : 'went Failed only at';
          return `${host} on ${id} ${when} ${secs(t)} s: enforce probe ${name} failing since ${worldSecs(run.since, skew)} s, first failure at ${worldSecs(first, skew)} s, threshold ${ctx.settings.sustained_failure_threshold_secs} s`;
        }
        wake = Math.min(wake, due + period(ctx));
      }
      return wake;
    };
    return { observe: (record) => watch.visit(record, judge) };
  },
};

function anyFailing(r: HostRecord, enforce: boolean): boolean {
  for (const name in r.probes) {
    const p = r.probes[name] as HostRecord['probes'][string];
    if (p.status === 'fail' && (p.mode === 'enforce') === enforce) return true;
  }
  return false;
}

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
    /** host, rollout → the last record at which one of its enforce probes was failing. */
    const enforceFailing = new Map<string, Instant>();
    const requireObservation = ctx.profile.flags.require_probe_observation;
    const withObserve = new Map(
      Object.entries(ctx.fleet.hosts)
        .filter(([, h]) => h.probes.some((p) => p.mode === 'observe'))
        .map(([name, h]) => [name, h.probes]),
    );
    const judge: Judge = (host, id, r, to, t, skew) => {
      const now = t + skew;
      // Hosts that declare an observe probe: the ones it could wrongly hold back.
      const probes = withObserve.get(host);
      if (probes === undefined) return Number.POSITIVE_INFINITY;
      if (to !== null && to !== 'Converged') return Number.POSITIVE_INFINITY;
      const k = key(host, id);
      if (anyFailing(r, true)) {
        // When it was last seen failing is what counts: seen at every record, then.
        enforceFailing.set(k, now);
        return EVERY_RECORD;
      }
      const observed = !requireObservation || !probes.some((p) => p.mode !== 'disabled');
      if (
        r.soakDueAt === null ||
        r.activationCompletedAt === null ||
        r.currentClosure !== r.targetClosure ||
        (!observed && r.probeObservedFirstAt === null)
      )
        return Number.POSITIVE_INFINITY;
      // The latest instant the record can have become ready to converge: every start
      // below is a time it was not ready yet, or later. An enforce probe that starts
      // failing always leaves a record (a probe_failed fault), so if one failed since,
      // it passed again no later than the latest enforce result.
      // (Not activation_completed_at: a CP-synthesized one is on the CP's clock; the
      // agent entering Soaking, which is no earlier, stands for it.)
      let ready = Math.max(
        r.soakDueAt,
        watch.downUntil.get(host) ?? 0,
        watch.soakingSince.get(host) ?? 0,
      );
      if (!observed) ready = Math.max(ready, r.probeObservedFirstAt as Instant);
      const lastEnforceFailing = enforceFailing.get(k);
      if (lastEnforceFailing !== undefined) {
        for (const name in r.probes) {
          const p = r.probes[name] as HostRecord['probes'][string];
          if (p.mode === 'enforce') ready = Math.max(ready, p.lastObservedAt);
        }
        ready = Math.max(ready, lastEnforceFailing);
      }
      if (now - ready <= period(ctx)) return ready + period(ctx);
      const observe = failingProbes(r, false);
      const held = observe.length === 0 ? '' : ` (observe-mode ${observe.join(', ')} failing)`;
      return to === 'Converged'
        ? `${host} on ${id} converged only at ${secs(t)} s, ready since ${worldSecs(ready, skew)} s${held}`
        : `${host} on ${id} still Soaking at ${secs(t)} s, ready to converge since ${worldSecs(ready, skew)} s${held}`;
    };
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
          if (r !== undefined && !anyFailing(r, true) && observe.length > 0) {
            return `${record.host} Failed on ${record.rolloutId} with only observe-mode ${observe.join(', ')} failing`;
          }
        }
        return watch.visit(record, judge);
      },
    };
  },
};

export const AGENT_PROGRESS_INVARIANTS = [sustainedFailureActed, observeNeverHolds];
