import type { Int64 } from '../int64.ts';
import type { RolloutId } from '../rollout/state.ts';
import type { Instant, Timestamp } from '../time.ts';
import type { OutboundAgentEvent } from './outbound.ts';
import type { ClosureHash, HostState } from './state.ts';

export const LOG_LEVELS = ['Trace', 'Debug', 'Info', 'Warn', 'Error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Host `Effect`, spec §3.5: four agent-only, five CP-only, three shared. Several are
 * never produced (RemoteQueueDispatch, RemoteOpenRolloutRecord, EmitMetric, EmitLog) but
 * keep their types for fidelity with the upstream enum.
 */
export type HostEffect<T extends Timestamp = Instant, I extends Int64 = number> =
  | {
      readonly type: 'LocalFireSwitch';
      readonly rolloutId: RolloutId;
      readonly target: ClosureHash;
    }
  | {
      readonly type: 'LocalFireRollbackTo';
      readonly rolloutId: RolloutId;
      readonly closure: ClosureHash;
    }
  | { readonly type: 'LocalResetProbeCache'; readonly rolloutId: RolloutId }
  | {
      readonly type: 'LocalEmitEvent';
      readonly rolloutId: RolloutId;
      readonly payload: OutboundAgentEvent<T, I>;
      readonly durable: boolean;
    }
  | {
      readonly type: 'RemoteQueueDispatch';
      readonly host: string;
      readonly rolloutId: RolloutId;
      readonly targetClosure: ClosureHash;
      readonly soakDueAt: T;
    }
  | {
      readonly type: 'RemoteInsertQuarantine';
      readonly channel: string;
      readonly closure: ClosureHash;
    }
  | {
      readonly type: 'RemoteOpenRolloutRecord';
      readonly rolloutId: RolloutId;
      readonly channel: string;
      readonly host: string;
    }
  | {
      readonly type: 'RemoteAppendEventLog';
      readonly host: string;
      readonly rolloutId: RolloutId;
      readonly payload: OutboundAgentEvent<T, I>;
    }
  | {
      readonly type: 'RecordTransition';
      readonly host: string;
      readonly rolloutId: RolloutId;
      readonly from: HostState;
      readonly to: HostState;
      readonly at: T;
    }
  | {
      readonly type: 'EmitMetric';
      readonly name: string;
      readonly labels: readonly (readonly [string, string])[];
      readonly value: number;
    }
  | {
      readonly type: 'EmitLog';
      readonly level: LogLevel;
      readonly target: string;
      readonly message: string;
      readonly fields: readonly (readonly [string, string])[];
    };
