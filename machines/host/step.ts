import { transition } from 'xstate';
import { compileMachine, type PureAction, type PureGuard } from '../compile.ts';
import { hostActions } from './actions.ts';
import type { HostContext } from './context.ts';
import type { HostEffect } from './effect.ts';
import type { HostTransitionError } from './error.ts';
import type { HostEvent } from './event.ts';
import { hostGuards } from './guards.ts';
import { hostMachine } from './machine.ts';
import type { HostPolicy, HostRecord } from './state.ts';

export type HostStepResult =
  | { readonly ok: true; readonly record: HostRecord; readonly effects: readonly HostEffect[] }
  | { readonly ok: false; readonly error: HostTransitionError };

const compiled = compileMachine<HostContext, HostEvent>(
  hostMachine,
  hostGuards as unknown as Record<string, PureGuard<HostContext, HostEvent>>,
  hostActions as unknown as Record<string, PureAction<HostContext, HostEvent>>,
);

function result(context: HostContext): HostStepResult {
  return context.error === null
    ? { ok: true, record: context.record, effects: context.effects }
    : { ok: false, error: context.error };
}

/**
 * `step(state, event, policy)`: the host machine's answer to one event, effects in
 * emitted order, or the refusal. Never throws for a domain reason; a refused event
 * leaves the caller's record as it was.
 */
export function hostStep(record: HostRecord, event: HostEvent, policy: HostPolicy): HostStepResult {
  return result(
    compiled(record.state, { record, policy, effects: [], error: null }, event).context,
  );
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function hostStepViaXState(
  record: HostRecord,
  event: HostEvent,
  policy: HostPolicy,
): HostStepResult {
  const snapshot = hostMachine.resolveState({
    value: record.state,
    context: { record, policy, effects: [], error: null },
  });
  const [next] = transition(hostMachine, snapshot, event);
  return result(next.context);
}
