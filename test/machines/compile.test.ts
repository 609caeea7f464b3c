import { describe, expect, it } from 'vitest';
import { setup, transition } from 'xstate';
import { compileMachine, type PureAction, type PureGuard } from '../../machines/compile.ts';

/*
 * compileMachine on small machines of its own, for what the two real machines never
 * exercise: an event no transition takes (both real machines end every state with `*`),
 * the returned state (their steps read only the context), a transition that falls
 * through to `*`, and the configurations it refuses at compile time.
 */

interface Ctx {
  readonly log: readonly string[];
}
type Ev = { readonly type: 'go' } | { readonly type: 'stay' } | { readonly type: 'other' };

const guards: Record<string, PureGuard<Ctx, Ev>> = {
  never: () => false,
  always: () => true,
};
const actions: Record<string, PureAction<Ctx, Ev>> = {
  note: (c, e, params: never) => ({
    log: [...c.log, `${e.type}:${(params as { tag?: string } | undefined)?.tag ?? '-'}`],
  }),
};

/** A machine whose config names guards and actions only; the implementations are dummies. */
const base = setup({
  types: { context: {} as Ctx, events: {} as Ev },
  guards: { never: () => false, always: () => true },
  actions: { note: () => {} },
});

const machine = base.createMachine({
  id: 'toy',
  initial: 'A',
  context: { log: [] },
  states: {
    A: {
      on: {
        go: [
          { guard: 'never', target: 'C', actions: [{ type: 'note', params: { tag: 'wrong' } }] },
          {
            guard: 'always',
            target: 'B',
            actions: ['note', { type: 'note', params: { tag: 'x' } }],
          },
        ],
        stay: { actions: { type: 'note', params: { tag: 'kept' } } },
      },
    },
    B: {
      on: {
        go: { guard: 'never', target: 'C' },
        '*': { target: 'A', actions: { type: 'note', params: { tag: 'wild' } } },
      },
    },
    C: {},
  },
});

const step = compileMachine<Ctx, Ev>(machine, guards, actions);
const empty: Ctx = { log: [] };

describe('compileMachine', () => {
  it('takes the first transition whose guard passes, moves to its target and runs its actions in order', () => {
    expect(step('A', empty, { type: 'go' })).toEqual({
      state: 'B',
      context: { log: ['go:-', 'go:x'] },
      matched: true,
    });
  });

  it('keeps the state on a transition without a target', () => {
    expect(step('A', empty, { type: 'stay' })).toEqual({
      state: 'A',
      context: { log: ['stay:kept'] },
      matched: true,
    });
  });

  it('falls through to `*` when every guard of the exact event fails, and when the event is not listed', () => {
    expect(step('B', empty, { type: 'go' })).toEqual({
      state: 'A',
      context: { log: ['go:wild'] },
      matched: true,
    });
    expect(step('B', empty, { type: 'other' })).toEqual({
      state: 'A',
      context: { log: ['other:wild'] },
      matched: true,
    });
  });

  it('reports an event no transition takes as unmatched, leaving state and context as they were', () => {
    const context: Ctx = { log: ['before'] };
    const out = step('A', context, { type: 'other' });
    expect(out).toEqual({ state: 'A', context, matched: false });
    expect(out.context).toBe(context);
    expect(step('C', context, { type: 'go' })).toEqual({ state: 'C', context, matched: false });
  });

  it('treats an empty target list as no target, as XState does', () => {
    const empties = base.createMachine({
      initial: 'A',
      context: { log: [] },
      states: { A: { on: { go: { target: [], actions: 'note' } } }, B: {} },
    });
    const out = compileMachine<Ctx, Ev>(empties, guards, actions)('A', empty, { type: 'go' });
    expect(out).toEqual({ state: 'A', context: { log: ['go:-'] }, matched: true });
    const [next] = transition(empties, empties.resolveState({ value: 'A', context: empty }), {
      type: 'go',
    });
    expect(next.value).toBe('A');
  });

  it('refuses a state the machine does not have', () => {
    expect(() => step('Z', empty, { type: 'go' })).toThrow('unknown state "Z"');
  });

  it('refuses a guard or an action named in the machine but missing from the tables', () => {
    expect(() =>
      compileMachine<Ctx, Ev>(machine, { always: guards.always as never }, actions),
    ).toThrow('machine names guard "never" that has no implementation');
    expect(() => compileMachine<Ctx, Ev>(machine, guards, {})).toThrow(
      'machine names action "note" that has no implementation',
    );
  });

  it('refuses partial wildcards, inline guards and inline actions', () => {
    const partial = base.createMachine({
      initial: 'A',
      context: { log: [] },
      // XState's types reject a partial wildcard for these events; the runtime accepts it.
      states: { A: { on: { 'go.*': { target: 'A' } } as never } },
    });
    expect(() => compileMachine<Ctx, Ev>(partial, guards, actions)).toThrow(
      'partial wildcard "go.*" is not supported by the compiled step',
    );
    const inlineGuard = base.createMachine({
      initial: 'A',
      context: { log: [] },
      states: { A: { on: { go: { guard: () => true, target: 'A' } } } },
    });
    expect(() => compileMachine<Ctx, Ev>(inlineGuard, guards, actions)).toThrow(
      'inline guards are not supported',
    );
    const inlineAction = base.createMachine({
      initial: 'A',
      context: { log: [] },
      states: { A: { on: { go: { actions: () => {} } } } },
    });
    expect(() => compileMachine<Ctx, Ev>(inlineAction, guards, actions)).toThrow(
      'inline actions are not supported',
    );
  });
});
