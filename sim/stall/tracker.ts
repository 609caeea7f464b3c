import type { HostState } from '../../machines/host/state.ts';
import type { RolloutId, RolloutState } from '../../machines/rollout/state.ts';
import type { Instant } from '../../machines/time.ts';
import type { TraceRecord } from '../trace-record.ts';

export interface Hold {
  readonly gate: string;
  readonly reason: string;
  readonly since: Instant;
}

export interface TrackedRollout {
  readonly rolloutId: RolloutId;
  readonly channel: string;
  readonly targetRef: string;
  state: RolloutState;
  currentWave: number;
  /** Control-plane host states; a host with no transition yet is Pending. */
  readonly hosts: Map<string, HostState>;
  /**
   * Hosts whose agent reached Converged and whose control-plane record has not: a few at a
   * time while reports travel, so the set stays small at a million hosts.
   */
  readonly agentConverged: Set<string>;
  /** The current gate decision of each host not yet dispatched. */
  readonly holds: Map<string, Hold>;
}

/**
 * What the stall analysis needs, folded from the trace records as they stream by: each
 * rollout's state and cursor, the control plane's host states, and the gate decision that
 * holds each undispatched host. `gate` records are written when a host's decision changes,
 * so the last one since its last dispatch is still in force.
 */
export class StallTracker {
  readonly rollouts = new Map<RolloutId, TrackedRollout>();
  /**
   * Holds by content: a planning run traces the same decision for every host it holds
   * back, and a million-host fleet would keep an object each for what is a handful.
   */
  private readonly sharedHolds = new Map<string, Hold>();

  observe(r: TraceRecord): void {
    switch (r.type) {
      case 'rollout_opened':
        this.rollouts.set(r.rolloutId, {
          rolloutId: r.rolloutId,
          channel: r.channel,
          targetRef: r.targetRef,
          state: 'Opening',
          currentWave: 0,
          hosts: new Map(),
          agentConverged: new Set(),
          holds: new Map(),
        });
        return;
      case 'rollout_event': {
        const row = this.rollouts.get(r.rolloutId);
        if (row === undefined) return;
        if (r.result.ok) row.state = r.result.record.state;
        row.currentWave = r.currentWave;
        return;
      }
      case 'wave_cursor': {
        const row = this.rollouts.get(r.rolloutId);
        if (row !== undefined) row.currentWave = r.to;
        return;
      }
      case 'host_transition': {
        const row = this.rollouts.get(r.rolloutId);
        if (r.side !== 'cp') {
          if (r.to === 'Converged') row?.agentConverged.add(r.host);
          else row?.agentConverged.delete(r.host);
          return;
        }
        if (r.to === 'Converged') row?.agentConverged.delete(r.host);
        row?.hosts.set(r.host, r.to);
        if (r.to !== 'Pending') row?.holds.delete(r.host);
        return;
      }
      case 'dispatch':
        this.rollouts.get(r.rolloutId)?.holds.delete(r.host);
        return;
      case 'gate': {
        const row = this.rollouts.get(r.rolloutId);
        const prev = row?.holds.get(r.host);
        if (row === undefined) return;
        if (prev !== undefined && prev.gate === r.gate && prev.reason === r.reason) return;
        row.holds.set(r.host, this.hold(r.gate, r.reason, r.t));
        return;
      }
      default:
        return;
    }
  }

  private hold(gate: string, reason: string, since: Instant): Hold {
    const key = `${gate}\u0000${reason}\u0000${since}`;
    let hold = this.sharedHolds.get(key);
    if (hold === undefined) {
      hold = { gate, reason, since };
      this.sharedHolds.set(key, hold);
    }
    return hold;
  }
}
