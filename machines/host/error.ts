import type { Int64 } from '../int64.ts';
import type { HostEventType } from './event.ts';
import type { HostState } from './state.ts';

/** The three convergence invariant messages of spec §3.6, verbatim. */
export const CONVERGED_INVARIANTS = {
  closure: 'Converged event: current_closure != target_closure',
  soak: 'Converged event: converged_at before soak_due_at',
  probes: 'Converged event: at least one enforce-mode probe is not Pass',
} as const;

/** Host `TransitionError`, spec §3.6. `Unimplemented` is never produced. */
export type HostTransitionError<I extends Int64 = number> =
  | {
      readonly type: 'IllegalForState';
      readonly from: HostState;
      readonly event: HostEventType;
      readonly rolloutId: string;
      readonly hostname: string;
    }
  | {
      readonly type: 'SeqRegression';
      readonly got: I;
      readonly last: I;
      readonly rolloutId: string;
      readonly hostname: string;
    }
  | { readonly type: 'Invariant'; readonly message: string }
  | { readonly type: 'Unimplemented'; readonly from: HostState; readonly event: HostEventType };
