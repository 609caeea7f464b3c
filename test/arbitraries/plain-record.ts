import fc from 'fast-check';

/**
 * `fc.record` that always builds ordinary objects (fast-check otherwise sometimes returns
 * null-prototype objects, which are not what decoders or the machines produce).
 */
export function plainRecord<T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>;
}
