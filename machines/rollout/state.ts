import type { Int64 } from '../int64.ts';
import type { Instant, Timestamp } from '../time.ts';

/** The eight rollout states of spec §1.1, in table order. */
export const ROLLOUT_STATES = [
  'Opening',
  'Active',
  'Converging',
  'Terminal',
  'Reverted',
  'Failed',
  'Superseded',
  'Pruned',
] as const;

export type RolloutState = (typeof ROLLOUT_STATES)[number];

/** `"{channel}@{channel_ref}"`, spec §0.3. */
export type RolloutId = string;

export function rolloutId(channel: string, channelRef: string): RolloutId {
  return `${channel}@${channelRef}`;
}

/** The channel part of a rollout id (everything before the last `@`). */
export function rolloutChannel(id: RolloutId): string {
  const at = id.lastIndexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

/** `RolloutRecord`, spec §1.2. */
export interface RolloutRecord<T extends Timestamp = Instant, I extends Int64 = number> {
  readonly rolloutId: RolloutId;
  readonly channel: string;
  readonly targetRef: string;
  readonly state: RolloutState;
  readonly currentWave: number;
  readonly openedEventLogSeq: I | null;
  readonly lastTransitionEventLogSeq: I | null;
  readonly openedAt: T;
  readonly terminalAt: T | null;
  readonly supersededAt: T | null;
}

/** A row as the control plane creates it (spec §4.2 step 2): `Opening`, wave 0. */
export function openRolloutRecord(
  channel: string,
  targetRef: string,
  openedAt: Instant,
): RolloutRecord {
  return {
    rolloutId: rolloutId(channel, targetRef),
    channel,
    targetRef,
    state: 'Opening',
    currentWave: 0,
    openedEventLogSeq: null,
    lastTransitionEventLogSeq: null,
    openedAt,
    terminalAt: null,
    supersededAt: null,
  };
}

/** `is_terminal_for_ordering()`: Terminal or Superseded (spec §1.1). */
export function isTerminalForOrdering(state: RolloutState): boolean {
  return state === 'Terminal' || state === 'Superseded';
}

/**
 * Retention-eligible ("terminal for pruning", spec §1.3): the states whose reducer arm
 * accepts `RetentionExpired → Pruned`.
 */
export function isRetentionEligible(state: RolloutState): boolean {
  return (
    state === 'Terminal' || state === 'Superseded' || state === 'Failed' || state === 'Reverted'
  );
}
