import type { HostState } from '../machines/host/state.ts';
import type { RolloutId, RolloutState } from '../machines/rollout/state.ts';
import type { Instant } from '../machines/time.ts';
import type { EndReason, Stall, Unsettled } from './stall/stall.ts';

/** The outcome of one rollout at the end of a run. */
export interface RolloutOutcome {
  readonly rolloutId: RolloutId;
  readonly channel: string;
  readonly targetRef: string;
  /** `deleted` when the faithful retention sweep removed the row. */
  readonly state: RolloutState | 'deleted';
  readonly currentWave: number;
  readonly openedAt: Instant;
  readonly terminalAt: Instant | null;
  readonly supersededAt: Instant | null;
  /** Host records by state, as the control plane sees them. */
  readonly hosts: Readonly<Partial<Record<HostState, number>>>;
}

/** The run summary of DESIGN §4.5: printed by `run --json` and closing every trace. */
export interface RunSummary {
  readonly fleet: string;
  readonly profile: string;
  readonly seed: number;
  readonly rollouts: readonly RolloutOutcome[];
  readonly simSeconds: number;
  /** Null inside traces, so that a trace is byte-identical across machines and runs. */
  readonly wallSeconds: number | null;
  /**
   * Why the run ended: `terminal` every rollout settled, `horizon` the `--until` (or default)
   * horizon was reached, `stalled` nothing more can happen though a host still waits.
   */
  readonly ended: EndReason;
  /** Who waits on what when `ended` is `stalled`; null otherwise. */
  readonly stall: Stall | null;
  /** What it was still doing when `ended` is `horizon`; null otherwise. */
  readonly unsettled: Unsettled | null;
  readonly events: {
    readonly hostSteps: number;
    readonly rolloutSteps: number;
    readonly scheduled: number;
    readonly dispatches: number;
    readonly deferredDispatches: number;
    readonly faults: number;
    readonly droppedErrors: number;
  };
  readonly quarantined: readonly { readonly channel: string; readonly closure: string }[];
}
