import { transition } from 'xstate';
import { compileMachine, type PureAction, type PureGuard } from '../compile.ts';
import { rolloutActions } from './actions.ts';
import type { RolloutContext } from './context.ts';
import type { RolloutEffect } from './effect.ts';
import type { RolloutTransitionError } from './error.ts';
import type { RolloutEvent } from './event.ts';
import { rolloutGuards } from './guards.ts';
import { rolloutMachine } from './machine.ts';
import type { RolloutRecord } from './state.ts';

export type RolloutStepResult =
  | {
      readonly ok: true;
      readonly record: RolloutRecord;
      readonly effects: readonly RolloutEffect[];
    }
  | { readonly ok: false; readonly error: RolloutTransitionError };

const compiled = compileMachine<RolloutContext, RolloutEvent>(
  rolloutMachine,
  rolloutGuards as unknown as Record<string, PureGuard<RolloutContext, RolloutEvent>>,
  rolloutActions as unknown as Record<string, PureAction<RolloutContext, RolloutEvent>>,
);

function result(context: RolloutContext): RolloutStepResult {
  return context.error === null
    ? { ok: true, record: context.record, effects: context.effects }
    : { ok: false, error: context.error };
}

/**
 * `rollout::step(record, event)`: the rollout machine's answer to one event, with the
 * effects in emitted order, or the refusal. Never throws for a domain reason; a refused
 * event leaves the caller's record as it was.
 */
export function rolloutStep(record: RolloutRecord, event: RolloutEvent): RolloutStepResult {
  return result(compiled(record.state, { record, effects: [], error: null }, event).context);
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function rolloutStepViaXState(
  record: RolloutRecord,
  event: RolloutEvent,
): RolloutStepResult {
  const snapshot = rolloutMachine.resolveState({
    value: record.state,
    context: { record, effects: [], error: null },
  });
  const [next] = transition(rolloutMachine, snapshot, event);
  return result(next.context);
}
