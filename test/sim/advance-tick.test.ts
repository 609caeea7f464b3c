import { describe, expect, it } from 'vitest';
import { runCase } from '../../sim/check/property-check.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { RUN_START } from '../../sim/world.ts';
import { fixtureCase, fixtureHeader } from '../fixture-header.ts';

/*
 * A case `check --profile intent` found (examples/fleet.yaml with replays): web-05's
 * observe-mode probe failed at the very instant its advance tick was due, served just
 * before the tick. The agent rescheduled the tick a period on, so the host converged five
 * seconds late (progress.observe-never-holds). A pending tick now stands.
 */

const { profile } = fixtureHeader('tick-at-probe-instant');

describe('the advance tick at a probe result’s instant', () => {
  it('converges web-05 at the tick due, and every invariant holds', () => {
    const converged: number[] = [];
    const r = runCase(
      fixtureCase('tick-at-probe-instant'),
      { profile, settings: {}, invariants: INVARIANTS },
      (record) => {
        if (
          record.type === 'host_transition' &&
          record.side === 'agent' &&
          record.host === 'web-05' &&
          record.rolloutId === 'stable@2026.05.1' &&
          record.to === 'Converged'
        )
          converged.push((record.t - RUN_START) / 1000);
      },
    );
    expect(r.failures.map((f) => f.message)).toEqual([]);
    expect(converged).toEqual([2460.935]);
  });
});
