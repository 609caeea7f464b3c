import type { HostEventType } from '../machines/host/event.ts';
import type { HostState } from '../machines/host/state.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import type { RolloutId } from '../machines/rollout/state.ts';
import type { RolloutStepResult } from '../machines/rollout/step.ts';
import type { Instant } from '../machines/time.ts';
import type { RunSummary } from './summary.ts';

/*
 * What a run tells the world, record by record, in simulated-time order (DESIGN §4.5).
 * These are in-memory values; src/trace encodes them as `rollout-sim-trace/1` lines.
 * `t` is the virtual clock (ms since the epoch); the file form writes seconds since start.
 */

export type FaultKind =
  | 'drop'
  | 'duplicate'
  | 'partition_start'
  | 'partition_end'
  | 'activation_failed'
  | 'activation_deferred'
  | 'probe_failed'
  | 'cp_down'
  | 'cp_up'
  | 'reboot'
  | 'boot_failed'
  | 'successor_release'
  | 'manifest_failure';

export type TraceRecord =
  | {
      readonly type: 'rollout_opened';
      readonly t: Instant;
      readonly rolloutId: RolloutId;
      readonly channel: string;
      readonly targetRef: string;
    }
  | {
      readonly type: 'rollout_event';
      readonly t: Instant;
      readonly rolloutId: RolloutId;
      readonly event: RolloutEvent;
      readonly result: RolloutStepResult;
      /** The row's cursor after the effects were applied. */
      readonly currentWave: number;
    }
  | {
      readonly type: 'host_transition';
      readonly t: Instant;
      readonly side: 'cp' | 'agent';
      readonly rolloutId: RolloutId;
      readonly host: string;
      readonly event: HostEventType;
      readonly from: HostState;
      readonly to: HostState;
    }
  | {
      readonly type: 'wave_cursor';
      readonly t: Instant;
      readonly rolloutId: RolloutId;
      readonly from: number;
      readonly to: number;
    }
  | {
      readonly type: 'dispatch';
      readonly t: Instant;
      readonly rolloutId: RolloutId;
      readonly host: string;
      readonly wave: number;
    }
  | {
      readonly type: 'gate';
      readonly t: Instant;
      readonly rolloutId: RolloutId;
      readonly host: string;
      readonly gate: string;
      readonly reason: string;
    }
  | {
      readonly type: 'fault';
      readonly t: Instant;
      readonly kind: FaultKind;
      readonly host: string | null;
      readonly detail: string;
    }
  | { readonly type: 'end'; readonly t: Instant; readonly summary: RunSummary };

export type TraceSink = (record: TraceRecord) => void;
