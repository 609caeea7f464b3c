import { describe, expect, it } from 'vitest';
import { runPlan } from '../../sim/explore/explore.ts';
import { profile as makeProfile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { fixtureHeader } from '../fixture-header.ts';

/*
 * Found by `explore --fleet examples/budget-supersede.yaml --profile intent --faults 2`
 * once dispatch.budget judged hosts working for a superseded rollout: web-01's poll is
 * lost at +60 s, web-02 (dispatched by stable@r1) defers its switch at +75 s and is
 * rebooted at +81 s, stable@r2 supersedes r1 at +90 s. Intent left a superseded rollout's
 * Deferred host out of the budget, so r2 sent web-01 at +90 s, and web-02 came back from
 * its reboot soaking r1's closure beside it: two hosts of a budget of one in flight. A
 * deferred host now counts for the superseded rollout of its newest dispatch, as it does
 * for a current one, so r2 holds web-01 and sends web-02 (a host never counts against
 * its own dispatch).
 */

const { fleet, explorePlan, profile } = fixtureHeader('budget-deferred-under-superseded');

function run(p = profile) {
  const records: TraceRecord[] = [];
  const r = runPlan({
    fleet,
    profile: p,
    plan: explorePlan ?? [],
    sink: (record) => records.push(record),
  });
  return { ...r, records };
}

const at = (records: readonly TraceRecord[], match: (r: TraceRecord) => boolean) =>
  records.find(match)?.t;

describe('intent: a host deferred under a rollout that is then superseded', () => {
  it('sends the deferred host first and holds the others until it is done', () => {
    const { failures, deviations, summary, records } = run();
    expect(failures).toEqual([]);
    expect(deviations).toEqual([]);
    expect(summary.ended).toBe('terminal');
    const cp = (id: string, host: string, to: string) =>
      at(
        records,
        (r) =>
          r.type === 'host_transition' &&
          r.side === 'cp' &&
          r.rolloutId === id &&
          r.host === host &&
          r.to === to,
      );
    const superseded = at(
      records,
      (r) =>
        r.type === 'rollout_event' &&
        r.rolloutId === 'stable@r1' &&
        r.result.ok &&
        r.result.record.state === 'Superseded',
    );
    const successorDispatches = records.flatMap((r) =>
      r.type === 'dispatch' && r.rolloutId === 'stable@r2' ? [r.host] : [],
    );
    const held = records.find(
      (r) =>
        r.type === 'gate' &&
        r.rolloutId === 'stable@r2' &&
        r.host === 'web-01' &&
        r.gate === 'disruption-budget',
    );
    expect(cp('stable@r1', 'web-02', 'Deferred')).toBeLessThan(superseded as number);
    expect(held?.t).toBe(superseded);
    // The successor may send the deferred host itself (it counts once, there), then the rest.
    expect(successorDispatches[0]).toBe('web-02');
    const web01Sent = at(
      records,
      (r) => r.type === 'dispatch' && r.rolloutId === 'stable@r2' && r.host === 'web-01',
    );
    expect(web01Sent).toBeGreaterThan(cp('stable@r2', 'web-02', 'Converged') as number);
  });

  it('over-commits without the queued count, and dispatch.budget says so', () => {
    const { failures, deviations } = run(makeProfile('intent', { budget_counts_queued: false }));
    expect(failures).toEqual([]);
    expect(deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      ['dispatch.budget', '2 hosts of budget web in flight, max 1'],
    ]);
  });
});
