import fc from 'fast-check';
import { expect, test } from 'vitest';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { presetFleet } from './support.ts';

/*
 * The clock counts whole milliseconds, and so must every instant a trace holds: a period
 * between two of them (`--set plan_tick_secs=0.0011`) once put records at 1.10009765625 ms,
 * and an `--until` of a fraction of one ended in "not an Instant".
 */

test('any setting or horizon in seconds keeps every record on the millisecond grid', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('plan_tick_secs', 'advance_tick_secs', 'heartbeat_secs', 'reboot_secs'),
      fc.integer({ min: 1001, max: 20_000 }).map((n) => n / 1000 + 0.0003),
      fc.integer({ min: 1, max: 600_000 }).map((n) => n / 1000 + 0.0004),
      (name, seconds, until) => {
        const times: number[] = [];
        simulate({
          fleet: presetFleet('demo'),
          profile: profile('faithful'),
          seed: 1,
          settings: { ...DEFAULT_SETTINGS, [name]: seconds },
          untilSeconds: until,
          sink: (r: TraceRecord) => times.push(r.t),
        });
        expect(times.filter((t) => !Number.isInteger(t))).toEqual([]);
      },
    ),
    { numRuns: 20 },
  );
});
