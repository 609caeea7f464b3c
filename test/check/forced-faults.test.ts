import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forcedFaultsArbitrary } from '../../sim/check/arbitraries/forced-faults.ts';
import { caseChoices } from '../../sim/check/property-check.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * `check` draws, besides the fleet and the seed, the choice points where a fault is forced
 * (DESIGN §4.0: fast-check answers the schedule's choices, so it can shrink them). Forcing
 * nothing is the seeded run itself; forcing a point changes that one decision only.
 */

const preset = PRESETS['bad-release'];
if (preset === undefined) throw new Error('bad-release preset');
const fleet = preset.build();

function trace(forced: readonly number[], taken?: string[]): string {
  const records: TraceRecord[] = [];
  simulate({
    fleet,
    profile: profile('faithful'),
    seed: 7,
    choices: caseChoices({ seed: 7, forced }, taken),
    sink: (r) => records.push(r),
  });
  return JSON.stringify(records.filter((r) => r.type !== 'end'));
}

describe('forced faults', () => {
  it('forcing nothing gives exactly the seeded run', () => {
    const plain: TraceRecord[] = [];
    simulate({ fleet, profile: profile('faithful'), seed: 7, sink: (r) => plain.push(r) });
    expect(trace([])).toBe(JSON.stringify(plain.filter((r) => r.type !== 'end')));
  });

  it('forcing a point changes the run, names the fault, and is deterministic', () => {
    // Point 5 of this run is web-01's switch to the bad release: forced, it takes as long
    // as the fleet allows, and every later record of web-01 moves with it.
    const taken: string[] = [];
    const forced = trace([5], taken);
    expect(forced).not.toBe(trace([]));
    expect(forced).toBe(trace([5]));
    expect(taken).toEqual(['slow switch web-01 stable@v2-bad']);
  });

  it('the arbitrary gives at most two sorted distinct points and shrinks toward none', () => {
    fc.assert(
      fc.property(forcedFaultsArbitrary, (points) => {
        expect(points.length).toBeLessThanOrEqual(2);
        expect([...points].sort((a, b) => a - b)).toEqual(points);
        expect(new Set(points).size).toBe(points.length);
      }),
    );
    const shrunk = fc.check(
      fc.property(forcedFaultsArbitrary, (points) => points.length === 0),
      { seed: 1 },
    );
    expect(shrunk.failed).toBe(true);
    expect(shrunk.counterexample?.[0]).toEqual([0]);
  });
});
