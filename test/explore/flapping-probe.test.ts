import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
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

describe('explore --fleet examples/flapping-probe.yaml --faults 2 (every fault kind)', () => {
  // Every pair of faults on one probed host: a duplicated event whose second
  // acknowledgement lands while the next request is in flight is among them (the outbox
  // must not pop for it), which no one-fault set-up reaches.
  const all = withFaultAlphabet(fleet, 'all');
  it('faithful: only its known deviations (the §3.12 merge; a Converged lost to a failed manifest poll)', () => {
    const r = explore({ fleet: all, profile: profile('faithful'), maxFaults: 2, maxRuns: 20_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.map((v) => [v.invariant, v.deviation !== null])).toEqual([
      ['host.views-agree', true],
      ['liveness.heals', true],
    ]);
  });

  it('intent: every path clean', () => {
    const r = explore({ fleet: all, profile: profile('intent'), maxFaults: 2, maxRuns: 20_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });
});
