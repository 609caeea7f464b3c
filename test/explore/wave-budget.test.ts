import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet, faithfulViolations } from './example-fleet.ts';

/*
 * examples/wave-budget.yaml: a budget of one inside wave 1, so web-03 waits out web-02's
 * soak. With one fault (a probe run of web-02 fails), explore reaches the world a
 * compliance gate that counts the host's own wave gets wrong (spec §4.11: earlier waves
 * only): a host dispatched while a peer of its own wave has a failing control. No
 * generated fleet of `check` or other explore set-up reached it.
 */

const fleet = exampleFleet('wave-budget');

/** Reports a dispatch beside a failing peer of the same wave: the world that matters. */
const besideFailingPeer: Invariant = {
  id: 'test.beside-failing-peer',
  statement: 'no host of a later wave is dispatched while a peer of its wave has a failing control',
  source: 'this test',
  kind: 'safety',
  create: ({ view, inspect }) => ({
    observe(record) {
      if (record.type !== 'dispatch' || record.wave === 0) return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined) return null;
      for (const peer of r.cp.keys())
        if (
          peer !== record.host &&
          view.wave(peer) === record.wave &&
          (inspect.failingControls?.(record.rolloutId, peer) ?? 0) > 0
        )
          return `${record.host} dispatched while ${peer} has a failing control`;
      return null;
    },
  }),
};

describe('explore --fleet examples/wave-budget.yaml --alphabet fleet', () => {
  it.each(['faithful', 'intent'] as const)('%s: every path clean', (p) => {
    const r = explore({ fleet, profile: profile(p), maxFaults: 1, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it('reaches a dispatch beside a failing peer of the same wave with one fault', () => {
    const run = (maxFaults: number) => faithfulViolations(fleet, maxFaults, besideFailingPeer);
    expect(run(0)).toEqual([]);
    expect(run(1)).toEqual([['test.beside-failing-peer', 1]]);
  });
});
