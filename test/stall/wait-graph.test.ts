import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { answerWaits, type WaitNode } from '../../sim/stall/wait-graph.ts';

/*
 * The stall's wait graph answered in linear time must answer as the plain definitions do:
 * a breadth-first walk per group for its first root cause, a depth-first one with a stack
 * for "can never clear", and "reaches itself" for a cycle. These are the walks the stall
 * analysis used before, each a group at a time.
 */

function referenceFirstRoot(from: string, nodes: ReadonlyMap<string, WaitNode>): string | null {
  const seen = new Set<string>([from]);
  const todo = [...(nodes.get(from)?.waitsOn ?? [])];
  while (todo.length > 0) {
    const k = todo.shift() as string;
    if (seen.has(k)) continue;
    seen.add(k);
    const d = nodes.get(k);
    if (d === undefined) continue;
    if (d.isRoot) return d.key;
    todo.push(...d.waitsOn);
  }
  return null;
}

function referencePermanent(nodes: ReadonlyMap<string, WaitNode>): (key: string) => boolean {
  const known = new Map<string, boolean>();
  const resolve = (key: string, stack: Set<string>): boolean => {
    const memo = known.get(key);
    if (memo !== undefined) return memo;
    const d = nodes.get(key);
    if (d === undefined) return false;
    if (d.isRoot) return true;
    if (stack.has(key)) return true;
    stack.add(key);
    const result = d.waitsOn.some((k) => resolve(k, stack));
    stack.delete(key);
    known.set(key, result);
    return result;
  };
  return (key) => resolve(key, new Set());
}

function referenceReachesItself(from: string, nodes: ReadonlyMap<string, WaitNode>): boolean {
  const seen = new Set<string>();
  const todo = [...(nodes.get(from)?.waitsOn ?? [])];
  while (todo.length > 0) {
    const k = todo.pop() as string;
    if (k === from) return true;
    if (seen.has(k)) continue;
    seen.add(k);
    todo.push(...(nodes.get(k)?.waitsOn ?? []));
  }
  return false;
}

/** Graphs of up to 9 groups; a wait may name a group that is not there (k9). */
const graphArbitrary = fc
  .integer({ min: 1, max: 9 })
  .chain((n) =>
    fc.array(
      fc.record({
        isRoot: fc.boolean(),
        waitsOn: fc.array(fc.integer({ min: 0, max: n }), { maxLength: 3 }),
      }),
      { minLength: n, maxLength: n },
    ),
  )
  .map(
    (specs) =>
      new Map<string, WaitNode>(
        specs.map((s, i) => [
          `k${i}`,
          { key: `k${i}`, isRoot: s.isRoot, waitsOn: s.waitsOn.map((j) => `k${j}`) },
        ]),
      ),
  );

describe('the wait graph of a stall', () => {
  test.prop([graphArbitrary], { numRuns: 2000 })(
    'answers as the walks a group at a time do',
    (nodes) => {
      const waits = answerWaits(nodes);
      const permanent = referencePermanent(nodes);
      // Asked in an order of its own, so answers remembered for one group are tried on others.
      for (const key of [...nodes.keys()].reverse()) {
        expect(waits.firstRoot(key)?.key ?? null).toBe(referenceFirstRoot(key, nodes));
        expect(waits.permanent(key)).toBe(permanent(key));
        expect(waits.cyclic(key)).toBe(referenceReachesItself(key, nodes));
      }
    },
  );

  test('a chain 200,000 groups long is answered without running out of stack', () => {
    const n = 200_000;
    const nodes = new Map<string, WaitNode>();
    for (let i = 0; i < n; i++)
      nodes.set(`k${i}`, { key: `k${i}`, isRoot: i === 0, waitsOn: i === 0 ? [] : [`k${i - 1}`] });
    const waits = answerWaits(nodes);
    expect(waits.permanent(`k${n - 1}`)).toBe(true);
    expect(waits.cyclic(`k${n - 1}`)).toBe(false);
    expect(waits.firstRoot(`k${n - 1}`)?.key).toBe('k0');
    expect(waits.firstRoot('k1')?.key).toBe('k0');
  });
});
