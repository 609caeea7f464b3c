import type { RolloutId } from '../../machines/rollout/state.ts';
import type { Instant } from '../../machines/time.ts';

/**
 * Why a run ended (DESIGN §4.5): every rollout settled, the horizon, or nothing more can
 * happen; or it was cut short (`interrupted` by a signal, or an `error`). The simulator
 * never ends a run those two ways: only a trace's last record of a run stopped from
 * outside says them.
 */
export type EndReason = 'terminal' | 'horizon' | 'stalled' | Unfinished;

/** How a run that did not finish ended. */
export type Unfinished = 'interrupted' | 'error';

/**
 * Hosts of one rollout held by the same gate for the same reason (DESIGN §4.5 `stall`).
 * `permanent` says whether the hold can ever clear under the run's profile: a root cause
 * (append-only compliance count, halted rollout, predecessor that never terminates, cycle,
 * deferred host no one reboots) or a hold that waits, directly or not, on one of those.
 */
export interface StallGroup {
  readonly rolloutId: RolloutId;
  /** The gate's discriminator (spec §4.5), or `deferred` / `wave-incomplete` / `idle`. */
  readonly gate: string;
  readonly reason: string;
  /** Sorted host names. */
  readonly hosts: readonly string[];
  /** When the earliest of these hosts started being held for this reason. */
  readonly since: Instant;
  readonly permanent: boolean;
  /** One sentence: why it can never clear, or what it waits on. */
  readonly why: string;
  /** The spec sections behind `why`. */
  readonly spec: string;
}

export interface Stall {
  readonly groups: readonly StallGroup[];
  /** Distinct (rollout, host) pairs across the groups. */
  readonly blockedHosts: number;
}

/**
 * What a run that reached its horizon was still doing (DESIGN §4.5 `ended: "horizon"`):
 * the answer to "why did it not end?", as `stall` answers it for a run that can go no
 * further.
 */
export interface Unsettled {
  /**
   * One sentence for each thing that kept the simulator from calling the run settled, in
   * the order it asks: scripted input still to come, busy agents, a change within the
   * settle window, work the control plane still has.
   */
  readonly work: readonly string[];
  /** The hosts a gate held back at the horizon, grouped as a stall's are; null for none. */
  readonly held: Stall | null;
}
