import { type StepResult, stepper } from '../stepper.ts';
import { rolloutActions } from './actions.ts';
import type { RolloutContext } from './context.ts';
import type { RolloutEffect } from './effect.ts';
import type { RolloutTransitionError } from './error.ts';
import type { RolloutEvent } from './event.ts';
import { rolloutGuards } from './guards.ts';
import { rolloutMachine } from './machine.ts';
import type { RolloutRecord } from './state.ts';

export type RolloutStepResult = StepResult<RolloutRecord, RolloutEffect, RolloutTransitionError>;

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
export function rolloutStep(record: RolloutRecord, event: RolloutEvent): RolloutStepResult {
  return rollout.step({ record, effects: [], error: null }, event);
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function rolloutStepViaXState(
  record: RolloutRecord,
  event: RolloutEvent,
): RolloutStepResult {
  return rollout.viaXState({ record, effects: [], error: null }, event);
}
