import { describe, expect, test } from 'vitest';
import type { HostEventType } from '../../../machines/host/event.ts';
import { hostMachine } from '../../../machines/host/machine.ts';
import type { HostState } from '../../../machines/host/state.ts';
import { SPEC_LEGAL_PAIRS, SPEC_STATES, specCell } from '../../../sim/spec-model/host.ts';

/*
 * The XState machine's own shape: seven flat states; every transition that changes state
 * records exactly one RecordTransition to that state; every event list starts with the
 * seq pre-check (§3.7: SeqRegression before legality).
 */

type Named = string | { readonly type: string; readonly params?: unknown };
interface Candidate {
  readonly target: readonly { readonly key: string }[] | undefined;
  readonly actions: readonly Named[];
  readonly guard: Named | undefined;
}

const states = hostMachine.root.states as Record<
  string,
  {
    readonly key: string;
    readonly transitions: Map<string, readonly Candidate[]>;
    readonly states: object;
  }
>;

const nameOf = (n: Named | undefined) =>
  n === undefined ? undefined : typeof n === 'string' ? n : n.type;

const ALL = Object.entries(states).flatMap(([state, node]) =>
  [...node.transitions].map(([descriptor, candidates]) => ({ state, descriptor, candidates })),
);

describe('host machine structure', () => {
  test('exactly the 7 spec states, flat, initial Pending', () => {
    expect(Object.keys(states)).toEqual([...SPEC_STATES]);
    for (const node of Object.values(states)) expect(Object.keys(node.states)).toEqual([]);
    expect(hostMachine.root.initial?.target?.[0]?.key).toBe('Pending');
  });

  test.each(SPEC_STATES)('%s has a "*" fallback list', (state) => {
    expect(states[state]?.transitions.has('*')).toBe(true);
  });

  test('every targeted transition has exactly one recordTransition{to: target}; untargeted ones none', () => {
    let targeted = 0;
    for (const { candidates } of ALL) {
      for (const c of candidates) {
        const rts = c.actions.filter((a) => nameOf(a) === 'recordTransition');
        if (c.target === undefined) {
          expect(rts).toEqual([]);
          continue;
        }
        targeted++;
        expect(c.target).toHaveLength(1);
        expect(rts).toHaveLength(1);
        expect(rts[0]).toEqual({ type: 'recordTransition', params: { to: c.target[0]?.key } });
      }
    }
    expect(targeted).toBeGreaterThan(0);
  });

  test('no transition targets its own state (self-loops would record a transition)', () => {
    for (const { state, candidates } of ALL) {
      for (const c of candidates) expect(c.target?.[0]?.key).not.toBe(state);
    }
  });

  test('the first candidate of every event list (and "*") is the seqRegressed guard, and it only rejects', () => {
    for (const { state, descriptor, candidates } of ALL) {
      const first = candidates[0];
      expect(nameOf(first?.guard), `${state} / ${descriptor}`).toBe('seqRegressed');
      expect(first?.target).toBeUndefined();
      expect(first?.actions.map(nameOf)).toEqual(['rejectSeqRegression']);
    }
  });

  test('no other candidate uses the seqRegressed guard', () => {
    for (const { candidates } of ALL) {
      expect(candidates.slice(1).filter((c) => nameOf(c.guard) === 'seqRegressed')).toEqual([]);
    }
  });

  test('the "*" list is [seqRegressed, rejectIllegal] in every state', () => {
    for (const node of Object.values(states)) {
      const star = node.transitions.get('*') ?? [];
      expect(star.map((c) => [nameOf(c.guard), c.target, c.actions.map(nameOf)])).toEqual([
        ['seqRegressed', undefined, ['rejectSeqRegression']],
        [undefined, undefined, ['rejectIllegal']],
      ]);
    }
  });

  test('the explicit event lists are exactly the 28 legal pairs of §3.8, with the spec targets', () => {
    const explicit = ALL.filter((t) => t.descriptor !== '*').map((t) => [t.state, t.descriptor]);
    expect(explicit).toHaveLength(28);
    expect(new Set(explicit.map((p) => p.join(' × ')))).toEqual(
      new Set(SPEC_LEGAL_PAIRS.map((p) => p.join(' × '))),
    );
    for (const { state, descriptor, candidates } of ALL) {
      if (descriptor === '*') continue;
      const to = specCell(state as HostState, descriptor as HostEventType)?.to;
      const accepting = candidates.filter(
        (c) => !c.actions.map(nameOf).some((n) => n?.startsWith('reject')),
      );
      expect(accepting.length, `${state} × ${descriptor}`).toBeGreaterThan(0);
      for (const c of accepting) {
        expect(c.target?.[0]?.key, `${state} × ${descriptor}`).toBe(to === state ? undefined : to);
      }
    }
  });

  test('every explicit list ends in an unguarded candidate (no event falls through to "*")', () => {
    for (const { descriptor, candidates } of ALL) {
      if (descriptor === '*') continue;
      expect(candidates.at(-1)?.guard, descriptor).toBeUndefined();
    }
  });

  test('successful candidates start with markSeq; rejecting candidates never mark the seq', () => {
    for (const { candidates } of ALL) {
      for (const c of candidates) {
        const names = c.actions.map(nameOf);
        const rejects = names.some((n) => n?.startsWith('reject'));
        if (rejects) {
          expect(names).toHaveLength(1);
          expect(c.target).toBeUndefined();
        } else {
          expect(names[0]).toBe('markSeq');
        }
      }
    }
  });

  test('Converged and Reverted accept nothing but the fallback', () => {
    for (const s of ['Converged', 'Reverted'] as HostState[]) {
      expect([...(states[s]?.transitions.keys() ?? [])]).toEqual(['*']);
    }
  });
});
