import type { AnyStateMachine } from 'xstate';

/**
 * A machine's transitions compiled into plain lookups, for stepping without an actor.
 *
 * XState's pure `transition()` builds a throwaway actor scope per call, which costs more
 * than the reducers themselves. This walks the very same resolved `StateNode`
 * transitions XState would (exact event first, then the `*` wildcard; first passing
 * guard wins), and runs the same named guard and action implementations the machine was
 * set up with. Nothing about the table lives here: change the machine and this follows.
 * Tests check it against `transition()` on every cell and on random sequences.
 */

export type PureGuard<C, E> = (context: C, event: E, params: never) => boolean;
export type PureAction<C, E> = (context: C, event: E, params: never) => C;

type Call<F> = { readonly fn: F; readonly params: unknown };

interface CompiledTransition<C, E> {
  readonly guard: Call<PureGuard<C, E>> | null;
  readonly target: string | null;
  readonly actions: readonly Call<PureAction<C, E>>[];
}

export interface Stepped<C> {
  readonly state: string;
  readonly context: C;
  /** False when no transition matched: XState would have ignored the event. */
  readonly matched: boolean;
}

type Named = string | { readonly type: string; readonly params?: unknown };

function resolve<F>(named: Named, table: Readonly<Record<string, F>>, what: string): Call<F> {
  const type = typeof named === 'string' ? named : named.type;
  const fn = table[type];
  if (fn === undefined)
    throw new Error(`machine names ${what} "${type}" that has no implementation`);
  return { fn, params: typeof named === 'string' ? undefined : named.params };
}

export function compileMachine<C, E extends { readonly type: string }>(
  machine: AnyStateMachine,
  guards: Readonly<Record<string, PureGuard<C, E>>>,
  actions: Readonly<Record<string, PureAction<C, E>>>,
): (state: string, context: C, event: E) => Stepped<C> {
  const table = new Map<string, Map<string, CompiledTransition<C, E>[]>>();
  for (const [stateKey, node] of Object.entries(machine.root.states)) {
    const byEvent = new Map<string, CompiledTransition<C, E>[]>();
    for (const [descriptor, transitions] of node.transitions) {
      if (descriptor !== '*' && descriptor.includes('*')) {
        throw new Error(`partial wildcard "${descriptor}" is not supported by the compiled step`);
      }
      byEvent.set(
        descriptor,
        transitions.map((t) => {
          if (typeof t.guard === 'function') throw new Error('inline guards are not supported');
          return {
            guard: t.guard === undefined ? null : resolve(t.guard as Named, guards, 'guard'),
            target: t.target?.[0]?.key ?? null,
            actions: t.actions.map((a) => {
              if (typeof a === 'function') throw new Error('inline actions are not supported');
              return resolve(a as Named, actions, 'action');
            }),
          };
        }),
      );
    }
    table.set(stateKey, byEvent);
  }

  return (state, context, event) => {
    const byEvent = table.get(state);
    if (byEvent === undefined) throw new Error(`unknown state "${state}"`);
    const chosen =
      pick(byEvent.get(event.type), context, event) ?? pick(byEvent.get('*'), context, event);
    if (chosen === null) return { state, context, matched: false };
    let next = context;
    for (const action of chosen.actions) next = action.fn(next, event, action.params as never);
    return { state: chosen.target ?? state, context: next, matched: true };
  };
}

function pick<C, E>(
  candidates: readonly CompiledTransition<C, E>[] | undefined,
  context: C,
  event: E,
): CompiledTransition<C, E> | null {
  if (candidates === undefined) return null;
  for (const t of candidates) {
    if (t.guard === null || t.guard.fn(context, event, t.guard.params as never)) return t;
  }
  return null;
}
