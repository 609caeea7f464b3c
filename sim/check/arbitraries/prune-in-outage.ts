import fc from 'fast-check';
import type { Fleet } from '../../fleet/fleet.ts';

type Crashes = NonNullable<Fleet['faults']['cp_crashes']>;

/** A short retention and the outages its prune is meant to fall into. */
export interface PruneInOutage {
  readonly retentionMinutes: number;
  readonly crashes: Crashes;
}

/**
 * One generated case in 8 lets prunes fall due while the control plane is down: a
 * retention of 0–20 minutes, and crashes of three minutes at a tenth of the minutes of the
 * first hour (about a third of it down). A timer that fires during a restart and is lost
 * with the rest of the process's input is a classic; drawn apart, a short retention (1 in
 * 32) and crashes (1 in 8) rarely met in the same case, and as rarely at the same minute.
 * Shrinks to none, which leaves the case's own retention and crashes.
 */
export const pruneInOutageArbitrary: fc.Arbitrary<PruneInOutage | null> = fc.oneof(
  { withCrossShrink: true },
  { arbitrary: fc.constant(null), weight: 7 },
  {
    arbitrary: fc.record({
      retentionMinutes: fc.integer({ min: 0, max: 20 }),
      crashes: fc.constant({
        rate: 0.1,
        every_seconds: 60,
        until_seconds: 3600,
        down_seconds: 180,
      }),
    }),
    weight: 1,
  },
);
