import { explore } from '../../sim/explore/explore.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { loadFleetFile } from '../../src/fleet-file/index.ts';

/** A fleet of `examples/`, as `explore --fleet examples/NAME.yaml --alphabet fleet` reads it. */
export function exampleFleet(name: string): Fleet {
  const loaded = loadFleetFile(new URL(`../../examples/${name}.yaml`, import.meta.url).pathname);
  if (!loaded.ok) throw new Error(loaded.error);
  return loaded.fleet;
}

/**
 * The violations explore finds under faithful with at most `maxFaults` faults, the library
 * and `extra` watching: [invariant, faults on its shortest path].
 */
export function faithfulViolations(fleet: Fleet, maxFaults: number, extra: Invariant) {
  return explore({
    fleet,
    profile: profile('faithful'),
    maxFaults,
    maxRuns: 10_000,
    invariants: [...INVARIANTS, extra],
  }).violations.map((v) => [v.invariant, v.path.length]);
}
