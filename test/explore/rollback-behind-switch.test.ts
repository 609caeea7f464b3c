import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { profile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/rollback-behind-switch.yaml: r1's minute-long activation fails while r2's
 * dispatch waits for the switch lock. The rollback must go ahead of r2's switch, which no
 * generated set-up of explore reached: an agent that queued it last was missed by both
 * checkers (stop33-agent-rollback-queued-last) until this fleet and
 * host.rollback-not-over-newer.
 */

const fleet = exampleFleet('rollback-behind-switch');

describe('explore --fleet examples/rollback-behind-switch.yaml', () => {
  it.each(['faithful', 'intent'] as const)(
    '%s, fault-free: r1 fails and reverts before r2 activates, and r2 converges',
    (name) => {
      const records: TraceRecord[] = [];
      const r = checkedRun({
        fleet,
        profile: profile(name),
        seed: 1,
        sink: (x) => records.push(x),
      });
      expect(r.failures).toEqual([]);
      expect(r.summary.ended).toBe('terminal');
      const agent = records
        .filter((x) => x.type === 'host_transition' && x.side === 'agent')
        .map((x) => (x.type === 'host_transition' ? `${x.rolloutId} ${x.from}→${x.to}` : ''));
      expect(agent).toEqual([
        'stable@r1 Pending→Activating',
        'stable@r2 Pending→Activating',
        'stable@r1 Activating→Failed',
        'stable@r1 Failed→Reverted',
        'stable@r2 Activating→Soaking',
        'stable@r2 Soaking→Converged',
      ]);
    },
  );

  // As the README's command runs it: every fault kind, one a path.
  const all = withFaultAlphabet(fleet, 'all');

  it('faithful: with one fault of any kind, only its known deviation', () => {
    const r = explore({ fleet: all, profile: profile('faithful'), maxFaults: 1, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.map((v) => [v.invariant, v.deviation !== null])).toEqual([
      ['host.views-agree', true],
    ]);
  });

  it('intent: with one fault of any kind, every path clean', () => {
    const r = explore({ fleet: all, profile: profile('intent'), maxFaults: 1, maxRuns: 10_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });
});
