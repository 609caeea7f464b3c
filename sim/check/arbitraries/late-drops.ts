import fc from 'fast-check';

/** Takes an optional part out of a value, or returns null when it has none to take. */
export type Drop<T> = (value: T) => T | null;

interface Context {
  /** The value the inner arbitrary knows, before any drop. */
  readonly raw: unknown;
  readonly inner: unknown;
  /** Indices into the drops, in the order they were taken. */
  readonly taken: readonly number[];
}

/**
 * `arb`, whose shrinks end with each drop that still takes something out, at every step.
 *
 * `fc.option` offers its nil only as the first shrink of its value: if the case still
 * needed the part then (a fault not yet shrunk away), the shrinker never offers it again,
 * and a counterexample keeps a budget or a partition it does not need. Generation is
 * `arb`'s own draw for draw, and the drops come after `arb`'s shrinks, so a seed's cases
 * stay as they were, and a `--path` printed before still reaches its counterexample (the
 * replay may then shrink it further).
 */
export function withLateDrops<T>(arb: fc.Arbitrary<T>, drops: readonly Drop<T>[]): fc.Arbitrary<T> {
  return new LateDrops(arb, drops);
}

class LateDrops<T> extends fc.Arbitrary<T> {
  constructor(
    private readonly arb: fc.Arbitrary<T>,
    private readonly drops: readonly Drop<T>[],
  ) {
    super();
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<T> {
    const v = this.arb.generate(mrng, biasFactor);
    return new fc.Value(v.value_, { raw: v.value_, inner: v.context, taken: [] } satisfies Context);
  }

  canShrinkWithoutContext(_value: unknown): _value is T {
    return false;
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    if (context === undefined) return fc.Stream.nil();
    const { raw, inner, taken } = context as Context;
    const apply = (v: T, indices: readonly number[]): T =>
      indices.reduce((out, i) => (this.drops[i] as Drop<T>)(out) ?? out, v);
    const seen = taken.length === 0 ? null : JSON.stringify(value);
    // The inner shrinks with the drops taken so far applied; one that only changed a part
    // already dropped is the same case again, and is skipped.
    const own = this.arb
      .shrink(raw as T, inner)
      .map((s) => ({ s, v: apply(s.value_, taken) }))
      .filter(({ v }) => seen === null || JSON.stringify(v) !== seen)
      .map(
        ({ s, v }) => new fc.Value(v, { raw: s.value_, inner: s.context, taken } satisfies Context),
      );
    const late = this.drops.flatMap((drop, i) => {
      if (taken.includes(i) || drop(value) === null) return [];
      const next = [...taken, i];
      return [new fc.Value(apply(raw as T, next), { raw, inner, taken: next } satisfies Context)];
    });
    return own.join(late[Symbol.iterator]());
  }
}
