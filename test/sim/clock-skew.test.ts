import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * A host whose clock runs ahead judges its soak on that clock, so it converges early by
 * the control plane's; one behind converges late. The CP accepts both: it compares the
 * agent's own timestamps with soak_due_at (spec §3.8), never its arrival time.
 */

const demo = PRESETS.demo?.build() as Fleet;
const skewed = (seconds: number): Fleet => ({
  ...demo,
  faults: { ...demo.faults, clock_skew_seconds: [seconds, seconds] },
});

/** When (world time) each host's agent reached Converged, and the run's end. */
function converged(fleet: Fleet) {
  const at = new Map<string, number>();
  const records: TraceRecord[] = [];
  const sim = simulate({
    fleet,
    profile: profile('faithful'),
    seed: 4,
    sink: (r) => {
      records.push(r);
      if (r.type === 'host_transition' && r.side === 'agent' && r.to === 'Converged')
        at.set(r.host, r.t);
    },
  });
  return { at, summary: sim.summary, records };
}

describe('clock skew (faults.clock_skew_seconds)', () => {
  const base = converged(demo);
  const soak = Math.max(
    ...(Object.values(demo.rollout_policies)[0]?.waves.map((w) => w.soak_minutes) ?? []),
  );

  it('the demo soaks at all (or the comparison below says nothing)', () => {
    expect(soak).toBeGreaterThan(0);
    expect(base.summary.ended).toBe('terminal');
  });

  it('a clock 60 s ahead converges the first host about 60 s earlier; 60 s behind, later', () => {
    const ahead = converged(skewed(60));
    const behind = converged(skewed(-60));
    const [first] = [...base.at.keys()];
    if (first === undefined) throw new Error('nothing converged');
    const t0 = base.at.get(first) as number;
    expect((ahead.at.get(first) as number) - t0).toBeLessThan(-50_000);
    expect((behind.at.get(first) as number) - t0).toBeGreaterThan(50_000);
    expect(ahead.summary.ended).toBe('terminal');
    expect(behind.summary.ended).toBe('terminal');
  });

  it('every invariant holds under skew either way', () => {
    for (const s of [-90, 90]) {
      const r = checkedRun({ fleet: skewed(s), profile: profile('intent'), seed: 4 });
      expect(r.failures.map((f) => f.message)).toEqual([]);
    }
  });
});
