import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet, faithfulViolations } from './example-fleet.ts';

/*
 * examples/lost-ack-recovery.yaml: with two faults explore reaches boot-less recovery of
 * a Pending record (a DispatchAck answered and dropped for want of a manifest), the
 * chain whose Converged must be stamped at the soak deadline (spec §3.12). No generated
 * set-up of explore's reached it before, so a wrong stamp there was `check`'s alone.
 */

const fleet = exampleFleet('lost-ack-recovery');

/** Reports a control-plane recovery step on a Pending record. */
const pendingRecovered: Invariant = {
  id: 'test.pending-recovered',
  statement: 'the control plane never recovers a Pending record',
  source: 'this test',
  kind: 'safety',
  create: () => ({
    hostStep: ({ side, before, synthesized }) =>
      side === 'cp' && synthesized && before.state === 'Pending' ? 'recovered' : null,
  }),
};

describe('explore --fleet examples/lost-ack-recovery.yaml --alphabet fleet --faults 2', () => {
  it('faithful: only its known deviations (a Converged lost to a failed manifest poll, §6.17)', () => {
    const r = explore({ fleet, profile: profile('faithful'), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.map((v) => [v.invariant, v.deviation !== null])).toEqual([
      ['host.views-agree', true],
      ['liveness.heals', true],
    ]);
  });

  it('intent: every path clean', () => {
    const r = explore({ fleet, profile: profile('intent'), maxFaults: 2, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it('reaches the recovery of a Pending record with two faults, not with one', () => {
    const run = (maxFaults: number) =>
      faithfulViolations(fleet, maxFaults, pendingRecovered).filter(
        ([id]) => id === pendingRecovered.id,
      );
    expect(run(1)).toEqual([]);
    expect(run(2)).toEqual([['test.pending-recovered', 2]]);
  });
});
