import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/duplicate-poll.yaml: one host on a wire that duplicates and loses nothing, and
 * a release a minute in. With two faults (the first dispatch poll doubled, its original
 * copy delivered late) the late copy reaches the control plane after the agent's next
 * poll. A control plane that held it as the open poll (stop37-cp-stale-poll-held) sent
 * r1's dispatch to a request the agent had given up on, and r1 stayed Active: explore
 * reports that as liveness.heals under intent. Here, with the control plane as it is,
 * every path is clean under both profiles.
 */

const fleet = exampleFleet('duplicate-poll');

describe('explore --fleet examples/duplicate-poll.yaml --alphabet fleet --faults 2', () => {
  it.each(['faithful', 'intent'] as const)('%s: every path converges r1', (name) => {
    const r = explore({ fleet, profile: profile(name), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.runs).toBeGreaterThan(1000);
    expect(r.violations).toEqual([]);
  });
});
