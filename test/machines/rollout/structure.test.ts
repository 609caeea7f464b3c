/*
 * The shape of the rollout machine definition itself (XState v5 state nodes):
 * the eight states of spec §1.1, one recordTransition per targeted edge (§1.4 legend:
 * "exactly one effect" per state change), and every event handled in every state.
 */
import { describe, expect, test } from 'vitest';
import { rolloutMachine } from '../../../machines/rollout/machine.ts';
import { EVENT_TYPES, STATES } from './fixtures.ts';

type ActionRef = string | { readonly type: string; readonly params?: unknown };

interface TransitionDef {
  readonly target?: readonly { readonly key: string }[] | undefined;
  readonly actions: readonly unknown[];
  readonly guard?: unknown;
}

function nodes() {
  return Object.entries(rolloutMachine.root.states);
}

function transitionsOf(key: string): [string, readonly TransitionDef[]][] {
  const node = rolloutMachine.root.states[key];
  if (node === undefined) throw new Error(`no state node ${key}`);
  return [...node.transitions].map(([descriptor, defs]) => [
    descriptor,
    defs as unknown as readonly TransitionDef[],
  ]);
}

function actionType(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a !== null && typeof a === 'object' && 'type' in a)
    return String((a as ActionRef & object).type);
  return typeof a;
}

describe('rollout machine structure', () => {
  test('exactly the 8 states of spec §1.1, initial Opening', () => {
    expect(Object.keys(rolloutMachine.root.states).sort()).toStrictEqual([...STATES].sort());
    expect(rolloutMachine.root.initial?.target.map((n) => n.key)).toStrictEqual(['Opening']);
  });

  test('every state is a flat atomic state with no entry/exit/always/after/invoke', () => {
    for (const [key, node] of nodes()) {
      expect(node.type, key).toBe('atomic');
      expect(node.entry, key).toStrictEqual([]);
      expect(node.exit, key).toStrictEqual([]);
      expect(node.always ?? [], key).toStrictEqual([]);
      expect(node.after, key).toStrictEqual([]);
      expect(node.invoke, key).toStrictEqual([]);
    }
  });

  describe.each(STATES)('%s', (state) => {
    test('handles every one of the 8 event types, explicitly or via *', () => {
      const descriptors = new Set(transitionsOf(state).map(([d]) => d));
      for (const type of EVENT_TYPES) {
        expect(descriptors.has(type) || descriptors.has('*'), `${state} × ${type}`).toBe(true);
      }
    });

    test('names only the 8 event types or the * wildcard', () => {
      for (const [descriptor] of transitionsOf(state)) {
        expect([...EVENT_TYPES, '*']).toContain(descriptor);
      }
    });

    test('every transition with a target T carries exactly one {recordTransition, {to: T}}; targetless ones carry none', () => {
      for (const [descriptor, defs] of transitionsOf(state)) {
        defs.forEach((def, i) => {
          const where = `${state} on ${descriptor} [${i}]`;
          const records = def.actions.filter((a) => actionType(a) === 'recordTransition');
          if (def.target === undefined) {
            expect(records, where).toStrictEqual([]);
            return;
          }
          expect(def.target.length, where).toBe(1);
          const to = def.target[0]?.key;
          expect(STATES as readonly (string | undefined)[], where).toContain(to);
          expect(to, `${where}: no self-transitions`).not.toBe(state);
          expect(records, where).toStrictEqual([{ type: 'recordTransition', params: { to } }]);
        });
      }
    });

    test('an unguarded transition ends every candidate list (no event falls through unhandled)', () => {
      for (const [descriptor, defs] of transitionsOf(state)) {
        expect(defs.at(-1)?.guard, `${state} on ${descriptor}`).toBeUndefined();
      }
    });

    test('the * wildcard, where present, is targetless and only rejects as IllegalForState', () => {
      for (const [descriptor, defs] of transitionsOf(state)) {
        if (descriptor !== '*') continue;
        for (const def of defs) {
          expect(def.target).toBeUndefined();
          expect(def.guard).toBeUndefined();
          expect(def.actions.map(actionType)).toStrictEqual(['rejectIllegal']);
        }
      }
    });
  });
});
