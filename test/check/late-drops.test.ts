import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withLateDrops } from '../../sim/check/arbitraries/late-drops.ts';

/*
 * A property that needs its optional part only while the other part is large: the part is
 * still needed when `fc.option` offers its nil (first), and not once the other has shrunk.
 */
type Pair = [number | null, number];
const plain: fc.Arbitrary<Pair> = fc.tuple(fc.option(fc.nat(10), { nil: null }), fc.nat(100));
const dropped = withLateDrops(plain, [([o, b]): Pair | null => (o === null ? null : [null, b])]);
// The part shrinks no lower than 5, so once dropped its own shrinks would only repeat the case.
const fails = ([o, b]: Pair) => b >= 10 && ((o !== null && o >= 5) || b < 50);
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

const shrunk = (arb: fc.Arbitrary<Pair>, seed: number, path?: string) => {
  const d = fc.check(
    fc.property(arb, (p) => !fails(p)),
    { seed, ...(path === undefined || path === null ? {} : { path }) },
  );
  return { value: d.counterexample?.[0], path: d.counterexamplePath };
};

describe('withLateDrops', () => {
  it('generates what the arbitrary does, draw for draw', () => {
    for (const seed of [1, 2, 3]) {
      expect(fc.sample(dropped, { seed, numRuns: 200 })).toEqual(
        fc.sample(plain, { seed, numRuns: 200 }),
      );
    }
  });

  it('takes the optional part away once it is no longer needed, where fc.option keeps it', () => {
    let kept = 0;
    for (const seed of SEEDS) {
      const before = shrunk(plain, seed);
      if (before.value === undefined) continue;
      if (before.value[0] !== null) kept++;
      expect(shrunk(dropped, seed).value, `seed ${seed}`).toEqual([null, 10]);
    }
    // The reason for the wrapper: fc.option alone leaves the part in some counterexamples.
    expect(kept).toBeGreaterThan(0);
  });

  it('replays a path printed without it to that counterexample or a smaller one', () => {
    for (const seed of SEEDS) {
      const before = shrunk(plain, seed);
      if (before.value === undefined || before.path == null) continue;
      const again = shrunk(dropped, seed, before.path).value as Pair;
      expect(again[1], `seed ${seed}`).toBe(before.value[1]);
      expect(again[0] === null || again[0] === before.value[0], `seed ${seed}`).toBe(true);
    }
  });

  it('once the part is dropped, never offers the case at hand again', () => {
    // An inner arbitrary that shrinks one step at a time whatever it tried before, so the
    // part it kept (o ≥ 5 while o is there) still has shrinks to give once it is dropped.
    class Stepwise extends fc.Arbitrary<Pair> {
      generate(): fc.Value<Pair> {
        return new fc.Value<Pair>([7, 80], undefined);
      }
      canShrinkWithoutContext(v: unknown): v is Pair {
        return Array.isArray(v);
      }
      shrink([o, b]: Pair): fc.Stream<fc.Value<Pair>> {
        const next: Pair[] = [];
        if (o !== null && o > 0) next.push([o - 1, b]);
        if (b > 0) next.push([o, b - 1]);
        return fc.Stream.of(...next.map((v) => new fc.Value(v, undefined)));
      }
    }
    const arb = withLateDrops(new Stepwise(), [
      ([o, b]): Pair | null => (o === null ? null : [null, b]),
    ]);
    const needs = ([o, b]: Pair) => b >= 10 && (o === null ? b < 50 : o >= 5);
    let current: Pair | null = null;
    const offered: Pair[] = [];
    fc.check(
      fc.property(arb, (p) => {
        if (current !== null) offered.push(p);
        if (needs(p)) current = p;
        return !needs(p);
      }),
      { seed: 1, numRuns: 1 },
    );
    expect(current).toEqual([null, 10]);
    const dropAt = offered.findIndex(([o]) => o === null);
    expect(dropAt).toBeGreaterThan(0);
    // After the drop: [null, 9] is the only new case left, offered once.
    expect(offered.slice(dropAt)).toEqual([
      [null, 10],
      [null, 9],
    ]);
  });
});
