import { type AnyStateMachine, transition } from 'xstate';
import { compileMachine, type PureAction, type PureGuard } from './compile.ts';

/** What either machine carries through one step (its context). */
export interface StepContext<R extends { readonly state: string }, F, X> {
  readonly record: R;
  readonly effects: readonly F[];
  readonly error: X | null;
}

export type StepResult<R, F, X> =
  | { readonly ok: true; readonly record: R; readonly effects: readonly F[] }
  | { readonly ok: false; readonly error: X };

/**
 * A machine's step, two ways: compiled from its definition (what everything uses), and
 * through XState's own `transition()` (the reference the compiled step is tested
 * against). Both start from the record's state and end in the same result shape.
 */
export function stepper<
  R extends { readonly state: string },
  F,
  X,
  C extends StepContext<R, F, X>,
  E extends { readonly type: string },
>(machine: AnyStateMachine, guards: object, actions: object) {
  const compiled = compileMachine<C, E>(
    machine,
    guards as Record<string, PureGuard<C, E>>,
    actions as Record<string, PureAction<C, E>>,
  );
  const result = (context: C): StepResult<R, F, X> =>
    context.error === null
      ? { ok: true, record: context.record, effects: context.effects }
      : { ok: false, error: context.error };
  return {
    step: (context: C, event: E) => result(compiled(context.record.state, context, event).context),
    viaXState: (context: C, event: E) => {
      const snapshot = machine.resolveState({ value: context.record.state, context });
      const [next] = transition(machine, snapshot, event as never);
      return result(next.context as C);
    },
  };
}
