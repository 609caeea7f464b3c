import fc from 'fast-check';

/**
 * A short retention for a case, in minutes, or null for the setting's own (90 days, which
 * no four-hour case reaches): one case in 32 prunes what it finishes. Up to 90
 * minutes, so that a prune can fall past faithful's next hourly sweep, where a wrong
 * period shows. Shrinks to none.
 */
export const retentionMinutesArbitrary: fc.Arbitrary<number | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 31 },
  { arbitrary: fc.integer({ min: 0, max: 90 }), weight: 1 },
);
