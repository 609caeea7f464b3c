import type { HostState } from '../host/state.ts';
import type { Instant } from '../time.ts';
import type { RolloutId } from './state.ts';

/** The eight `RolloutEvent` variants of spec §1.3; `type` is the variant name. */
export type RolloutEvent =
  | {
      readonly type: 'RolloutOpened';
      readonly rolloutId: RolloutId;
      readonly channel: string;
      readonly targetRef: string;
      readonly at: Instant;
    }
  | {
      readonly type: 'HostJoined';
      readonly rolloutId: RolloutId;
      readonly hostId: string;
      readonly wave: number;
      readonly at: Instant;
    }
  | {
      readonly type: 'HostStateChanged';
      readonly rolloutId: RolloutId;
      readonly hostId: string;
      readonly from: HostState;
      readonly to: HostState;
      readonly at: Instant;
    }
  | {
      readonly type: 'WaveAdvanced';
      readonly rolloutId: RolloutId;
      readonly fromWave: number;
      readonly toWave: number;
      readonly at: Instant;
    }
  | { readonly type: 'RolloutTerminal'; readonly rolloutId: RolloutId; readonly at: Instant }
  | {
      readonly type: 'SuccessorOpened';
      readonly supersededRolloutId: RolloutId;
      readonly successorRolloutId: RolloutId;
      readonly at: Instant;
    }
  | { readonly type: 'RetentionExpired'; readonly rolloutId: RolloutId; readonly at: Instant }
  | {
      readonly type: 'OperatorClearance';
      readonly rolloutId: RolloutId;
      readonly operator: string;
      readonly reason: string;
      readonly at: Instant;
    };

export type RolloutEventType = RolloutEvent['type'];

export const ROLLOUT_EVENT_TYPES = [
  'RolloutOpened',
  'HostJoined',
  'HostStateChanged',
  'WaveAdvanced',
  'RolloutTerminal',
  'SuccessorOpened',
  'RetentionExpired',
  'OperatorClearance',
] as const satisfies readonly RolloutEventType[];
