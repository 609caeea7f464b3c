import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import type { Timestamp } from '../../machines/time.ts';
import { type Codec, i64, nullable, safeI64, string, u32 } from './codec.ts';
import { hostState, rolloutEventType, rolloutState } from './enums.ts';
import { struct } from './struct.ts';
import { newtype, tagged } from './tagged.ts';
import { timestamp } from './timestamp.ts';

/* The rollout machine's wire types, spec §1.2, §1.3, §2.1, §2.2, fields in upstream order. */

/** `RolloutRecord`, spec §1.2. */
export const rolloutRecord: Codec<RolloutRecord<Timestamp, Int64>> = struct({
  rolloutId: string,
  channel: string,
  targetRef: string,
  state: rolloutState,
  currentWave: u32,
  openedEventLogSeq: nullable(i64),
  lastTransitionEventLogSeq: nullable(i64),
  openedAt: timestamp,
  terminalAt: nullable(timestamp),
  supersededAt: nullable(timestamp),
});

/** `RolloutEvent`, spec §1.3. */
export const rolloutEvent: Codec<RolloutEvent<Timestamp>> = tagged('RolloutEvent', {
  RolloutOpened: { rolloutId: string, channel: string, targetRef: string, at: timestamp },
  HostJoined: { rolloutId: string, hostId: string, wave: u32, at: timestamp },
  HostStateChanged: {
    rolloutId: string,
    hostId: string,
    from: hostState,
    to: hostState,
    at: timestamp,
  },
  WaveAdvanced: { rolloutId: string, fromWave: u32, toWave: u32, at: timestamp },
  RolloutTerminal: { rolloutId: string, at: timestamp },
  SuccessorOpened: { supersededRolloutId: string, successorRolloutId: string, at: timestamp },
  RetentionExpired: { rolloutId: string, at: timestamp },
  OperatorClearance: { rolloutId: string, operator: string, reason: string, at: timestamp },
});

/** `RolloutEffect`, spec §2.1. */
export const rolloutEffect: Codec<RolloutEffect<Timestamp>> = tagged('RolloutEffect', {
  RecordRolloutTransition: {
    rolloutId: string,
    from: rolloutState,
    to: rolloutState,
    at: timestamp,
  },
  UpdateCurrentWave: { rolloutId: string, wave: u32 },
  InsertQuarantineFromRollout: { channel: string, closureHash: string },
  SchedulePruning: { rolloutId: string, delaySeconds: safeI64 },
});

/** `RolloutTransitionError`, spec §2.2; `Invariant` is a newtype variant (a bare string). */
export const rolloutTransitionError: Codec<RolloutTransitionError> = tagged(
  'RolloutTransitionError',
  {
    IllegalForState: { from: rolloutState, event: rolloutEventType, rolloutId: string },
    SupersessionExpected: { rolloutId: string, channel: string },
    Invariant: newtype('message', string),
    Unimplemented: { from: rolloutState, event: rolloutEventType },
  },
);
