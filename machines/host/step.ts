import { type StepResult, stepper } from '../stepper.ts';
import { hostActions } from './actions.ts';
import type { HostContext } from './context.ts';
import type { HostEffect } from './effect.ts';
import type { HostTransitionError } from './error.ts';
import type { HostEvent } from './event.ts';
import { hostGuards } from './guards.ts';
import { hostMachine } from './machine.ts';
import type { HostPolicy, HostRecord } from './state.ts';

export type HostStepResult = StepResult<HostRecord, HostEffect, HostTransitionError>;

const host = stepper<HostRecord, HostEffect, HostTransitionError, HostContext, HostEvent>(
  hostMachine,
  hostGuards,
  hostActions,
);

/**
 * `step(state, event, policy)`: the host machine's answer to one event, effects in
 * emitted order, or the refusal. Never throws for a domain reason; a refused event
 * leaves the caller's record as it was.
 */
export function hostStep(record: HostRecord, event: HostEvent, policy: HostPolicy): HostStepResult {
  return host.step({ record, policy, effects: [], error: null }, event);
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function hostStepViaXState(
  record: HostRecord,
  event: HostEvent,
  policy: HostPolicy,
): HostStepResult {
  return host.viaXState({ record, policy, effects: [], error: null }, event);
}
