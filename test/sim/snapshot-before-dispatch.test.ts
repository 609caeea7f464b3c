import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --runs 3000 --seed 9103` as liveness.settles: h8 was
 * deferred under c1@r0 and rebooted while c1@r1, opened meanwhile, held it Pending
 * undispatched. Its boot heartbeat got a snapshot of that Pending record, whose soak was
 * the placeholder from the opening: intent fixes the soak at dispatch (spec §6 item 10),
 * but LocalActivate ignores the dispatch's soak_due_at on a record the agent already
 * holds. The agent converged 2 s after activating, the control plane refused the early
 * RemoteConverged, and its record stayed Soaking for good, so the run idled to its
 * horizon. Intent's snapshot now leaves out a record not dispatched yet (the run then
 * takes another course: this replays the input, not the old interleaving).
 */

describe('intent: a host rebooted while a rollout holds it undispatched', () => {
  it('converges on both sides or neither, and the run settles', () => {
    const r = fixtureRun('snapshot-before-dispatch');
    const { records } = r;
    expect(r.failures).toEqual([]);
    expect(r.summary.ended).not.toBe('horizon');
    // The old code's h8: Converged on the agent only, the control plane's record Soaking.
    const converged = (side: 'agent' | 'cp') =>
      records
        .flatMap((x) =>
          x.type === 'host_transition' && x.side === side && x.to === 'Converged'
            ? [`${x.rolloutId} ${x.host}`]
            : [],
        )
        .sort();
    expect(converged('agent').length).toBeGreaterThan(0);
    expect(converged('cp')).toEqual(converged('agent'));
  });
});
