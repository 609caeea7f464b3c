import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet, faithfulViolations } from './example-fleet.ts';

/*
 * examples/flapping-probe.yaml: one host whose probe may fail at any run. With two
 * faults, explore reaches the cell a sustained-failure clock mistake hides in (a second
 * first-failure report in one soak: Soaking × LocalProbeFailureFirst with the clock
 * already set), which its one-fault alphabet never reaches.
 */

const fleet = exampleFleet('flapping-probe');

/** Reports the step that a clock-resetting machine would get wrong. */
const secondFirstFailure: Invariant = {
  id: 'test.second-first-failure',
  statement: 'no agent steps a second first-failure report in one soak',
  source: 'this test',
  kind: 'safety',
  create: () => ({
    hostStep: ({ side, before, event }) =>
      side === 'agent' &&
      event.type === 'LocalProbeFailureFirst' &&
      before.state === 'Soaking' &&
      before.probeFailureFirstAt !== null
        ? `second first-failure report at ${event.firstFailedAt}`
        : null,
  }),
};

describe('explore --fleet examples/flapping-probe.yaml --alphabet fleet --faults 2', () => {
  it.each(['faithful', 'intent'] as const)('%s: every path clean', (p) => {
    const r = explore({ fleet, profile: profile(p), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it('reaches a second first-failure report with two faults, not with one', () => {
    const run = (maxFaults: number) => faithfulViolations(fleet, maxFaults, secondFirstFailure);
    expect(run(1)).toEqual([]);
    expect(run(2)).toEqual([['test.second-first-failure', 2]]);
  });
});
