import type { RolloutEventType } from './event.ts';
import type { RolloutId, RolloutState } from './state.ts';

/** `RolloutTransitionError`, spec §2.2. `SupersessionExpected` and `Invariant` are never produced. */
export type RolloutTransitionError =
  | {
      readonly type: 'IllegalForState';
      readonly from: RolloutState;
      readonly event: RolloutEventType;
      readonly rolloutId: RolloutId;
    }
  | {
      readonly type: 'SupersessionExpected';
      readonly rolloutId: RolloutId;
      readonly channel: string;
    }
  | { readonly type: 'Invariant'; readonly message: string }
  | {
      readonly type: 'Unimplemented';
      readonly from: RolloutState;
      readonly event: RolloutEventType;
    };
