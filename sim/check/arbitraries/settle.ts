import fc from 'fast-check';

/**
 * A short settle window for a case, in seconds, or null for the setting's own (60 s, one
 * heartbeat period): one case in 8 ends at the first planning run `quiet()` allows after
 * at most half a minute without a change. With the long window a heartbeat nearly always
 * moves a record before the run could end, which hides a `quiet()` that calls work done
 * too soon (docs/verification.md: a recovery due at the settle check). Shrinks to none.
 */
export const settleSecondsArbitrary: fc.Arbitrary<number | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 7 },
  { arbitrary: fc.integer({ min: 1, max: 30 }), weight: 1 },
);
