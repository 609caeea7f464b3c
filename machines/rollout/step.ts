import type { Int64 } from '../int64.ts';
import { type StepResult, stepper } from '../stepper.ts';
import type { Instant, Timestamp } from '../time.ts';
import { rolloutActions } from './actions.ts';
import type { RolloutContext } from './context.ts';
import type { RolloutEffect } from './effect.ts';
import type { RolloutTransitionError } from './error.ts';
import type { RolloutEvent } from './event.ts';
import { rolloutGuards } from './guards.ts';
import { rolloutMachine } from './machine.ts';
import type { RolloutRecord } from './state.ts';

export type RolloutStepResult<T extends Timestamp = Instant, I extends Int64 = number> = StepResult<
  RolloutRecord<T, I>,
  RolloutEffect<T>,
  RolloutTransitionError
>;

const rollout = stepper<
  RolloutRecord,
  RolloutEffect,
  RolloutTransitionError,
  RolloutContext,
  RolloutEvent
>(rolloutMachine, rolloutGuards, rolloutActions);

/**
 * `rollout::step(record, event)`: the rollout machine's answer to one event, with the
 * effects in emitted order, or the refusal. Never throws for a domain reason; a refused
 * event leaves the caller's record as it was.
 */
/**
 * One rollout step, generic in the time type like `hostStep`: the reducer only copies
 * times (it never compares or adds them), so it runs unchanged on any `Timestamp`; and
 * it only copies the record's event-log seqs, so they may be any `Int64`.
 */
export function rolloutStep<T extends Timestamp = Instant, I extends Int64 = number>(
  record: RolloutRecord<T, I>,
  event: RolloutEvent<T>,
): RolloutStepResult<T, I> {
  return rollout.step(
    { record: record as RolloutRecord, effects: [], error: null },
    event as RolloutEvent,
  ) as RolloutStepResult<T, I>;
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function rolloutStepViaXState<T extends Timestamp = Instant, I extends Int64 = number>(
  record: RolloutRecord<T, I>,
  event: RolloutEvent<T>,
): RolloutStepResult<T, I> {
  return rollout.viaXState(
    { record: record as RolloutRecord, effects: [], error: null },
    event as RolloutEvent,
  ) as RolloutStepResult<T, I>;
}
