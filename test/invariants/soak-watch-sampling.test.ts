import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { caseArbitrary, runCase } from '../../sim/check/property-check.ts';
import type { Invariant, MonitorContext } from '../../sim/invariants/invariant.ts';
import {
  observeNeverHolds,
  sustainedFailureActed,
} from '../../sim/invariants/rules/agent-progress.ts';
import { profile } from '../../sim/profile.ts';

/*
 * The soak monitors judge a host again only when its agent took a message, a record
 * about it arrived or the instant its judge named has passed (Inspect.onAgentDelivery).
 * That must give exactly the verdicts of judging every soaking host at every record,
 * which is what the same monitor does when the run does not say who took a message.
 *
 * A correct run seldom breaks these invariants, so the monitors here are told a shorter
 * threshold and tick than the run uses: their verdicts then fall mid-soak, at records of
 * every kind, which is where skipping a host could go wrong.
 */

function variant(invariant: Invariant, sampled: 'changed' | 'every record'): Invariant {
  return {
    ...invariant,
    id: `${invariant.id} (${sampled})`,
    create: (ctx: MonitorContext) =>
      invariant.create({
        ...ctx,
        settings: { ...ctx.settings, sustained_failure_threshold_secs: 20, advance_tick_secs: 1 },
        inspect:
          sampled === 'changed' ? ctx.inspect : { ...ctx.inspect, onAgentDelivery: undefined },
      }),
  };
}

const PAIRS = [sustainedFailureActed, observeNeverHolds].map((i) => [
  variant(i, 'changed'),
  variant(i, 'every record'),
]);

describe('soak monitors: judging only changed hosts is judging every host at every record', () => {
  let fired = 0;
  // Half the runs with skewed agent clocks: a judge's instant is on the host's clock, and
  // waking a host with the skew the wrong way round is only seen there.
  test.prop(
    [caseArbitrary({ bounds: { maxHosts: 8, maxChannels: 2 } }), fc.boolean(), fc.boolean()],
    {
      numRuns: 150,
    },
  )('same first violation (record, time, message) or none, both monitors', (c, intent, skew) => {
    const fleet =
      skew && c.fleet.faults.clock_skew_seconds === undefined
        ? { ...c.fleet, faults: { ...c.fleet.faults, clock_skew_seconds: [-60, 60] as const } }
        : c.fleet;
    const r = runCase(
      { ...c, fleet },
      {
        profile: profile(intent ? 'intent' : 'faithful'),
        settings: {},
        invariants: PAIRS.flat(),
      },
    );
    const found = [...r.failures, ...r.deviations];
    for (const [changed, every] of PAIRS) {
      const a = found.find((f) => f.invariant.id === changed?.id);
      const b = found.find((f) => f.invariant.id === every?.id);
      expect(a === undefined).toBe(b === undefined);
      if (a === undefined || b === undefined) continue;
      fired++;
      expect({ record: a.record, t: a.t, message: a.message }).toEqual({
        record: b.record,
        t: b.t,
        message: b.message,
      });
    }
  });

  // The property above means little if the monitors never fire in it.
  test('the stricter monitors do fire in these runs', () => {
    expect(fired).toBeGreaterThan(10);
  });
});
