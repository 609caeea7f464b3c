import fc from 'fast-check';
import type { Fleet } from '../../fleet/fleet.ts';

type Crashes = NonNullable<Fleet['faults']['cp_crashes']>;

/**
 * Control-plane crashes for a generated case, or null: one case in 8 may crash at any
 * minute of its first half hour, down 20 s to 3 min, so a crash lands on instants no
 * planned restart names (a prune falling due, a wave advancing). Shrinks to none.
 */
export const crashesArbitrary: fc.Arbitrary<Crashes | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 7 },
  {
    arbitrary: fc.record({
      rate: fc.constantFrom(0.05, 0.2),
      every_seconds: fc.constant(60),
      until_seconds: fc.constant(1800),
      down_seconds: fc.constantFrom(20, 60, 180),
    }),
    weight: 1,
  },
);
