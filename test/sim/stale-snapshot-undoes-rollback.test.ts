import { describe, expect, it } from 'vitest';
import { profile } from '../../sim/profile.ts';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile faithful --runs 3000 --seed 9225` as host.rollback-policy
 * ("h2 on c1@r1 is still Failed under rollback-and-halt"). h2 reboots into a deferred
 * c1@r0 and the reply to its first boot-recovery heartbeat is lost, so it keeps asking for
 * snapshots. Meanwhile c1@r1 dispatches it: the activation fails, the agent rolls back
 * and its record is Reverted (seq 4), while the control plane has heard only up to the
 * failure (seq 3). The next boot-shape heartbeat's reply carries the control plane's
 * Failed record, and nixfleet's merge (spec §3.12 merge_snapshot_into_state) takes the
 * state from it: the agent's record is Failed again, and rehydration fires only
 * LocalResetProbeCache, never the rollback. The control plane then hears the rollback and
 * ends Reverted. This is nixfleet's behaviour: host.rollback-kept reports it as a known
 * deviation of faithful; intent's snapshot_keeps_newer keeps the agent's newer record.
 */

describe("faithful: a stale boot snapshot takes back the agent's finished rollback", () => {
  it('is a known deviation (host.rollback-kept), not a failure of host.rollback-policy', () => {
    const r = fixtureRun('stale-snapshot-undoes-rollback');
    expect(r.summary.ended).toBe('terminal');
    expect(r.failures.map((f) => `${f.invariant.id}: ${f.message}`)).toEqual([]);
    expect(r.deviations.map((f) => `${f.invariant.id}: ${f.message}`)).toEqual([
      'dispatch.halt: h3 dispatched by Failed c1@r0',
      "host.rollback-kept: h2 on c1@r1: a snapshot took the agent's Reverted record back to Failed",
      'host.views-agree: h2 on c1@r1: agent Failed, control plane Reverted',
    ]);
  });

  it('with snapshot_keeps_newer the agent keeps its Reverted record and both views agree', () => {
    const r = fixtureRun(
      'stale-snapshot-undoes-rollback',
      profile('faithful', { snapshot_keeps_newer: true }),
    );
    expect(r.failures).toEqual([]);
    expect(r.deviations.map((f) => f.invariant.id)).toEqual(['dispatch.halt']);
    const h2 = r.summary.rollouts.find((x) => x.rolloutId === 'c1@r1');
    expect(h2?.hosts.Reverted).toBeGreaterThanOrEqual(1);
  });
});
