import type { RolloutEffect } from './effect.ts';
import type { RolloutTransitionError } from './error.ts';
import type { RolloutRecord } from './state.ts';

/**
 * What the rollout machine carries through one step: the record, the effects emitted
 * so far in this step, and the error if the event was refused.
 */
export interface RolloutContext {
  readonly record: RolloutRecord;
  readonly effects: readonly RolloutEffect[];
  readonly error: RolloutTransitionError | null;
}
