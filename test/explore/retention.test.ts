import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * `explore --fleet examples/budget-supersede.yaml --set retention_days=0.001`: a retention
 * of 86.4 s, so prunes fall inside a path (the default 90 days is past every one). It is
 * the set-up of `npm run mistakes` that judges retention: intent's `RetentionExpired`
 * with every fault kind in reach, and faithful's hourly sweep deleting the current
 * rollout, which the next planning run opens again.
 */

const declared = exampleFleet('budget-supersede');
const fleet = withFaultAlphabet(declared, 'all');
const settings = { retention_days: 0.001 };

describe('explore budget-supersede with a retention of 0.001 days', () => {
  it('intent: prunes on the paths, every path clean', () => {
    const r = explore({
      fleet,
      declared,
      profile: profile('intent'),
      settings,
      maxFaults: 1,
      maxRuns: 10_000,
    });
    expect(r.truncated).toBe(false);
    expect(r.coverage.rolloutStates.has('Pruned')).toBe(true);
    expect(r.coverage.rollout.get('Terminal|RetentionExpired')).toEqual(new Set(['Pruned']));
    expect(r.coverage.rollout.get('Superseded|RetentionExpired')).toEqual(new Set(['Pruned']));
    expect(r.violations).toEqual([]);
  });

  it('faithful: the sweep deletes the current rollout and the same id opens again, a known deviation', () => {
    const r = explore({
      fleet,
      declared,
      profile: profile('faithful'),
      settings,
      maxFaults: 0,
      maxRuns: 10_000,
    });
    expect(r.truncated).toBe(false);
    const reopen = r.violations.find((v) => v.invariant === 'rollout.opened-once');
    expect(reopen?.deviation).not.toBeNull();
    expect(reopen?.path).toEqual([]);
    expect(reopen?.message).toBe('stable@r2 opened again');
    // Nothing but known deviations on the fault-free path: the deletions are on time.
    expect(r.violations.filter((v) => v.deviation === null)).toEqual([]);
    expect(r.coverage.rolloutStates.has('Pruned')).toBe(false);
  });
});
