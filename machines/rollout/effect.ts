import type { Instant, Timestamp } from '../time.ts';
import type { RolloutId, RolloutState } from './state.ts';

/** `RolloutEffect`, spec §2.1. The last two are never emitted by the reducer. */
export type RolloutEffect<T extends Timestamp = Instant> =
  | {
      readonly type: 'RecordRolloutTransition';
      readonly rolloutId: RolloutId;
      readonly from: RolloutState;
      readonly to: RolloutState;
      readonly at: T;
    }
  | { readonly type: 'UpdateCurrentWave'; readonly rolloutId: RolloutId; readonly wave: number }
  | {
      readonly type: 'InsertQuarantineFromRollout';
      readonly channel: string;
      readonly closureHash: string;
    }
  | {
      readonly type: 'SchedulePruning';
      readonly rolloutId: RolloutId;
      readonly delaySeconds: number;
    };
