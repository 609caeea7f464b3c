import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainEqual } from '../../sim/plain-equal.ts';

const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.integer({ min: -3, max: 3 }),
    fc.bigInt({ min: -3n, max: 3n }),
    fc.constantFrom('a', 'b', ''),
    fc.array(tie('value'), { maxLength: 3 }),
    // Plain objects only: plainEqual does not compare prototypes (the machines make no
    // other kind), which isDeepStrictEqual does, so a null-prototype twin would differ.
    fc.dictionary(fc.constantFrom('k', 'l', 'm'), tie('value'), {
      maxKeys: 3,
      noNullPrototype: true,
    }),
  ),
})).value;

describe('plainEqual', () => {
  it('agrees with isDeepStrictEqual on plain data', () => {
    fc.assert(
      fc.property(plain, plain, (a, b) => {
        expect(plainEqual(a, b)).toBe(isDeepStrictEqual(a, b));
        expect(plainEqual(a, structuredClone(a))).toBe(true);
      }),
    );
  });

  it('tells a key set to undefined from a missing key, and an array from an object', () => {
    expect(plainEqual({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(plainEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(plainEqual([1], { 0: 1 })).toBe(false);
    expect(plainEqual({ 0: 1 }, [1])).toBe(false);
    expect(plainEqual({ a: [1, { b: 2n }] }, { a: [1, { b: 2n }] })).toBe(true);
    expect(plainEqual({ a: [1, { b: 2n }] }, { a: [1, { b: 2 }] })).toBe(false);
  });
});
