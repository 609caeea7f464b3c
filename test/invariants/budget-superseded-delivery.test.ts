import { describe, expect, it } from 'vitest';
import { runCase } from '../../sim/check/property-check.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { profile as makeProfile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { fixtureCase, fixtureHeader } from '../fixture-header.ts';

/*
 * Found by `npm test`'s property check (intent, seed 1161674495): h2's dispatch of c0@r0
 * is delivered at +75 s, both copies of its acknowledgement are lost, c0@r1 supersedes
 * c0@r0 at +90 s, and h2's third acknowledgement lands at +115 s. Intent used to count
 * the queued-but-unacknowledged hosts of the current rollouts only, so it sent h0 at +90 s:
 * two hosts of a budget of one in flight. It now counts a superseded rollout's host whose
 * newest dispatch was handed out and not shown lost by the agent's next poll.
 */

const { profile } = fixtureHeader('budget-delivered-before-supersession');

function run(p = profile) {
  const records: TraceRecord[] = [];
  const r = runCase(
    fixtureCase('budget-delivered-before-supersession'),
    { profile: p, settings: {}, invariants: INVARIANTS },
    (record) => records.push(record),
  );
  return { ...r, records };
}

describe('intent: a dispatch delivered before supersession, acknowledged after it', () => {
  it('holds the successor’s other hosts until the superseded host is done', () => {
    const { failures, deviations, summary, records } = run();
    expect(failures).toEqual([]);
    expect(deviations).toEqual([]);
    expect(summary.ended).toBe('terminal');
    const heldAt = records.find(
      (r) =>
        r.type === 'gate' &&
        r.rolloutId === 'c0@r1' &&
        r.host === 'h0' &&
        r.gate === 'disruption-budget',
    )?.t;
    const h2Converged = records.find(
      (r) =>
        r.type === 'host_transition' &&
        r.side === 'cp' &&
        r.rolloutId === 'c0@r1' &&
        r.host === 'h2' &&
        r.to === 'Converged',
    )?.t;
    const h0Sent = records.find(
      (r) => r.type === 'dispatch' && r.rolloutId === 'c0@r1' && r.host === 'h0',
    )?.t;
    expect(heldAt).toBeDefined();
    expect(h0Sent).toBeGreaterThan(h2Converged as number);
  });

  it('over-commits without the queued count, and dispatch.budget says so', () => {
    const { failures, deviations } = run(makeProfile('intent', { budget_counts_queued: false }));
    expect(failures).toEqual([]);
    expect(deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      ['dispatch.budget', '2 hosts of budget budget in flight, max 1'],
    ]);
  });
});
