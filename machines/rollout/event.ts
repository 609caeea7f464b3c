import type { HostState } from '../host/state.ts';
import type { Instant, Timestamp } from '../time.ts';
import type { RolloutId } from './state.ts';

/** The eight `RolloutEvent` variants of spec §1.3; `type` is the variant name. */
export type RolloutEvent<T extends Timestamp = Instant> =
  | {
      readonly type: 'RolloutOpened';
      readonly rolloutId: RolloutId;
      readonly channel: string;
      readonly targetRef: string;
      readonly at: T;
    }
  | {
      readonly type: 'HostJoined';
      readonly rolloutId: RolloutId;
      readonly hostId: string;
      readonly wave: number;
      readonly at: T;
    }
  | {
      readonly type: 'HostStateChanged';
      readonly rolloutId: RolloutId;
      readonly hostId: string;
      readonly from: HostState;
      readonly to: HostState;
      readonly at: T;
    }
  | {
      readonly type: 'WaveAdvanced';
      readonly rolloutId: RolloutId;
      readonly fromWave: number;
      readonly toWave: number;
      readonly at: T;
    }
  | { readonly type: 'RolloutTerminal'; readonly rolloutId: RolloutId; readonly at: T }
  | {
      readonly type: 'SuccessorOpened';
      readonly supersededRolloutId: RolloutId;
      readonly successorRolloutId: RolloutId;
      readonly at: T;
    }
  | { readonly type: 'RetentionExpired'; readonly rolloutId: RolloutId; readonly at: T }
  | {
      readonly type: 'OperatorClearance';
      readonly rolloutId: RolloutId;
      readonly operator: string;
      readonly reason: string;
      readonly at: T;
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
