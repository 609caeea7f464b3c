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

export type RolloutStepResult<T extends Timestamp = Instant> = StepResult<
  RolloutRecord<T>,
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
 * times (it never compares or adds them), so it runs unchanged on any `Timestamp`.
 */
export function rolloutStep<T extends Timestamp = Instant>(
  record: RolloutRecord<T>,
  event: RolloutEvent<T>,
): RolloutStepResult<T> {
  return rollout.step(
    { record: record as RolloutRecord, effects: [], error: null },
    event as RolloutEvent,
  ) as RolloutStepResult<T>;
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function rolloutStepViaXState<T extends Timestamp = Instant>(
  record: RolloutRecord<T>,
  event: RolloutEvent<T>,
): RolloutStepResult<T> {
  return rollout.viaXState(
    { record: record as RolloutRecord, effects: [], error: null },
    event as RolloutEvent,
  ) as RolloutStepResult<T>;
}
