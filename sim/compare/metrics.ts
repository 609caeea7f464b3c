import type { Instant } from '../../machines/time.ts';
import type { RunSummary } from '../summary.ts';
import type { TraceRecord } from '../trace-record.ts';

/** What one run of one variant is measured by (README "Comparing variants" defines each). */
export interface RunMetrics {
  /** Seconds from the first rollout opening to the last current rollout's Terminal; null: never. */
  readonly timeToTerminal: number | null;
  /** Distinct hosts that began activating a failing rollout's ref (see `MetricsTracker`). */
  readonly blastRadius: number;
  /** Hosts that rolled back (agent side: → Reverted). */
  readonly rollbacks: number;
  /** Hosts left Failed, plus hosts a stalled run leaves waiting. */
  readonly failedOrStuck: number;
  readonly ended: RunSummary['ended'];
  /** The gates holding hosts when the run stalled (1 per gate present), empty otherwise. */
  readonly stallGates: readonly string[];
  /** Mean seconds a host spent held by each gate before its dispatch (or the end). */
  readonly delayByGate: Readonly<Record<string, number>>;
}

/**
 * Folds a run's trace records into its metrics without keeping them. Blast radius: a
 * rollout is *failing* once any of its hosts reaches Failed on the control plane; its
 * blast radius is every host whose agent began activating its ref (Pending → Activating),
 * before or after the failure — so a policy or profile that stops dispatching sooner
 * has the smaller radius. The run's radius is the sum over its failing rollouts.
 */
export class MetricsTracker {
  private readonly activated = new Map<string, Set<string>>();
  private readonly failing = new Set<string>();
  private rollbacks = 0;
  private firstOpen: Instant | null = null;
  /** Per (rollout, host): the gate holding it and since when. */
  private readonly held = new Map<string, { gate: string; since: Instant }>();
  private readonly heldSeconds = new Map<string, number>();

  observe(r: TraceRecord): void {
    switch (r.type) {
      case 'rollout_opened':
        this.firstOpen ??= r.t;
        return;
      case 'host_transition':
        if (r.side === 'agent' && r.from === 'Pending' && r.to === 'Activating') {
          const set = this.activated.get(r.rolloutId) ?? new Set<string>();
          this.activated.set(r.rolloutId, set);
          set.add(r.host);
        }
        if (r.side === 'agent' && r.to === 'Reverted') this.rollbacks++;
        if (r.side === 'cp' && r.to === 'Failed') this.failing.add(r.rolloutId);
        return;
      case 'gate': {
        const key = `${r.rolloutId} ${r.host}`;
        this.release(key, r.t);
        this.held.set(key, { gate: r.gate, since: r.t });
        return;
      }
      case 'dispatch':
        this.release(`${r.rolloutId} ${r.host}`, r.t);
        return;
      default:
        return;
    }
  }

  private release(key: string, t: Instant): void {
    const h = this.held.get(key);
    if (h === undefined) return;
    this.held.delete(key);
    this.heldSeconds.set(h.gate, (this.heldSeconds.get(h.gate) ?? 0) + (t - h.since) / 1000);
  }

  finish(summary: RunSummary, end: Instant, hosts: number): RunMetrics {
    for (const key of [...this.held.keys()]) this.release(key, end);
    const current = summary.rollouts.filter(
      (r) => r.state !== 'Superseded' && r.state !== 'deleted',
    );
    const done = current.length > 0 && current.every((r) => r.terminalAt !== null);
    const last = Math.max(...current.map((r) => r.terminalAt ?? 0));
    let blast = 0;
    for (const id of this.failing) blast += this.activated.get(id)?.size ?? 0;
    const failed = current.reduce((n, r) => n + (r.hosts.Failed ?? 0), 0);
    const delay: Record<string, number> = {};
    for (const [gate, s] of [...this.heldSeconds].sort(([a], [b]) => a.localeCompare(b)))
      delay[gate] = s / Math.max(1, hosts);
    return {
      timeToTerminal: done && this.firstOpen !== null ? (last - this.firstOpen) / 1000 : null,
      blastRadius: blast,
      rollbacks: this.rollbacks,
      failedOrStuck: failed + (summary.stall?.blockedHosts ?? 0),
      ended: summary.ended,
      stallGates: [...new Set(summary.stall?.groups.map((g) => g.gate) ?? [])].sort(),
      delayByGate: delay,
    };
  }
}
