import type { Instant } from '../time.ts';
import type { RolloutId, RolloutState } from './state.ts';

/** `RolloutEffect`, spec §2.1. The last two are never emitted by the reducer. */
export type RolloutEffect =
  | {
      readonly type: 'RecordRolloutTransition';
      readonly rolloutId: RolloutId;
      readonly from: RolloutState;
      readonly to: RolloutState;
      readonly at: Instant;
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
