import fc from 'fast-check';

/** A switch's duration range in seconds (`faults.activation.duration_seconds`). */
export type SwitchSeconds = readonly [number, number];

/**
 * How long a generated case's switches take, or null for the fleet's default (5–30 s).
 * Half the cases switch for one to three minutes: long enough for a release's dispatch to
 * reach an agent whose switch still holds the lock, where a failed activation's rollback
 * must go before the newer switch waiting behind it. Shrinks to the default.
 */
export const slowSwitchesArbitrary: fc.Arbitrary<SwitchSeconds | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constant([60, 180] as const), weight: 1 },
);
