import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/lost-dispatch-behind-edge.yaml: with two lost messages h1's dispatch answer is
 * lost after c0@r1 opened, so the channel edge holds h1 back while intent's budget still
 * counts its dispatch and h0 of c0@r1 waits, past the settle window. No set-up reached
 * this before: a settle check that forgot the handed-out dispatch
 * (stop32-quiet-forgets-lost-dispatch) was missed by both checkers.
 */

const fleet = exampleFleet('lost-dispatch-behind-edge');

/** Reports h1's dispatch answer lost while the budget holds h0 of c0@r1 back. */
const lostBehindEdge: Invariant = {
  id: 'test.lost-behind-edge',
  statement: "h1's dispatch answer is never lost while h0 of c0@r1 waits for the budget",
  source: 'this test',
  kind: 'safety',
  create: () => {
    let held = false;
    return {
      observe(r) {
        if (r.type === 'gate' && r.rolloutId === 'c0@r1' && r.host === 'h0')
          held = r.gate === 'disruption-budget';
        if (r.type === 'dispatch' && r.rolloutId === 'c0@r1') held = false;
        return held &&
          r.type === 'fault' &&
          r.kind === 'drop' &&
          r.host === 'h1' &&
          r.detail === 'dispatch_response'
          ? 'lost'
          : null;
      },
    };
  },
};

describe('explore --fleet examples/lost-dispatch-behind-edge.yaml --alphabet fleet --faults 2', () => {
  it('faithful: only its known deviation (the budget does not count a queued dispatch, §6 item 16)', () => {
    const r = explore({ fleet, profile: profile('faithful'), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.map((v) => [v.invariant, v.deviation !== null])).toEqual([
      ['dispatch.budget', true],
    ]);
  });

  it('intent: every path clean, the run waiting out the lost answer', () => {
    const r = explore({ fleet, profile: profile('intent'), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it("intent loses h1's answer while the budget holds h0 with two faults, not with one", () => {
    const run = (maxFaults: number) =>
      explore({
        fleet,
        profile: profile('intent'),
        maxFaults,
        maxRuns: 10_000,
        invariants: [...INVARIANTS, lostBehindEdge],
      })
        .violations.filter((v) => v.invariant === lostBehindEdge.id)
        .map((v) => v.path.length);
    expect(run(1)).toEqual([]);
    expect(run(2)).toEqual([2]);
  });
});
