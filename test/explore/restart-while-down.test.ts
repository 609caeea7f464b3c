import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/restart-while-down.yaml: one host and a planned control-plane restart 90 s in.
 * With every fault kind possible, one crash at the one-minute mark has the process down
 * when the restart falls due. A run that skipped that restart but still counted it as
 * input to come (cp-restart-while-down-still-counted) never took the world as settled,
 * and explore reports it as liveness.settles under both profiles with that one fault; no
 * set-up before stop 37 declared a planned restart on a fleet small enough to explore.
 */

const fleet = withFaultAlphabet(exampleFleet('restart-while-down'), 'all');

describe('explore --fleet examples/restart-while-down.yaml (every fault kind)', () => {
  it('faithful: only its known deviations', () => {
    const r = explore({ fleet, profile: profile('faithful'), maxFaults: 1, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.length).toBeGreaterThan(0);
    for (const v of r.violations) expect(v.deviation, v.invariant).not.toBeNull();
  });

  it('intent: every path settles', () => {
    const r = explore({ fleet, profile: profile('intent'), maxFaults: 1, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });
});
