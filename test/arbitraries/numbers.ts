import fc from 'fast-check';

/* The integer widths of the wire types (64-bit ones limited to 2^53 - 1, as the codec is). */

export const u32: fc.Arbitrary<number> = fc.integer({ min: 0, max: 4_294_967_295 });
export const u64: fc.Arbitrary<number> = fc.maxSafeNat();
export const i32: fc.Arbitrary<number> = fc.integer();
export const i64: fc.Arbitrary<number> = fc.maxSafeInteger();

/** A finite `f64` as JSON carries it (no NaN, no infinities, no `-0`). */
export const finiteDouble: fc.Arbitrary<number> = fc
  .double({ noNaN: true, noDefaultInfinity: true })
  .map((value) => (value === 0 ? 0 : value));
