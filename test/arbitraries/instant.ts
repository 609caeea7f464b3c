import fc from 'fast-check';
import type { Instant } from '../../machines/time.ts';

export const INSTANT_MIN: Instant = Date.UTC(2000, 0, 1);
export const INSTANT_MAX: Instant = Date.UTC(2100, 0, 1);

/**
 * An `Instant` (integer ms) in 2000-01-01..2100-01-01; about half are whole seconds, so
 * both encoded forms (`…:00Z` and `…:00.123Z`) show up.
 */
export const instant: fc.Arbitrary<Instant> = fc.oneof(
  fc.integer({ min: INSTANT_MIN, max: INSTANT_MAX }),
  fc.integer({ min: INSTANT_MIN / 1000, max: INSTANT_MAX / 1000 }).map((s) => s * 1000),
);
