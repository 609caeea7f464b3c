import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { settleSecondsArbitrary } from '../../sim/check/arbitraries/settle.ts';
import { caseArbitrary, caseSettings } from '../../sim/check/property-check.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';

/*
 * `check` draws a short settle window for some cases: a run then ends at the first planning
 * run `quiet()` allows, before a heartbeat could move what `quiet()` wrongly called done.
 */

describe('the settle window a check case draws', () => {
  it('is the setting’s own most of the time, else 1–30 s', () => {
    const drawn = fc.sample(settleSecondsArbitrary, { seed: 1, numRuns: 4000 });
    for (const s of drawn)
      if (s !== null) expect(s >= 1 && s <= 30 && Number.isInteger(s)).toBe(true);
    const short = drawn.filter((s) => s !== null).length / drawn.length;
    expect(short).toBeGreaterThan(0.08);
    expect(short).toBeLessThan(0.17);
  });

  it('goes into the case’s settings, and a settle_secs the user set stands', () => {
    expect(caseSettings({ retentionMinutes: null, settleSeconds: 5 }, {})).toEqual({
      settle_secs: 5,
    });
    expect(
      caseSettings({ retentionMinutes: null, settleSeconds: null }, { plan_tick_secs: 30 }),
    ).toEqual({
      plan_tick_secs: 30,
    });
    const users = fc.sample(caseArbitrary({ settings: { settle_secs: 120 } }), {
      seed: 3,
      numRuns: 200,
    });
    expect(users.every((c) => c.settleSeconds === null)).toBe(true);
    const ours = fc.sample(caseArbitrary({}), { seed: 3, numRuns: 200 });
    expect(ours.some((c) => c.settleSeconds !== null)).toBe(true);
  });

  it('ends a settled run sooner, with the same records before the end', () => {
    const fleet = PRESETS.demo?.build();
    if (fleet === undefined) throw new Error('demo preset');
    const run = (settle_secs?: number) => {
      const lines: string[] = [];
      const r = simulate({
        fleet,
        profile: profile('faithful'),
        seed: 1,
        ...(settle_secs === undefined ? {} : { settings: { settle_secs } }),
        sink: (x) => {
          if (x.type !== 'end') lines.push(JSON.stringify(x));
        },
      });
      return { ended: r.summary.ended, seconds: r.summary.simSeconds, lines };
    };
    const long = run();
    const short = run(1);
    expect(short.ended).toBe(long.ended);
    expect(short.seconds).toBeLessThan(long.seconds);
    expect(short.lines).toEqual(long.lines);
  });
});
