import { describe, expect, it } from 'vitest';
import { profile } from '../../sim/profile.ts';
import { expectSettles, fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --runs 3000 --seed 9202` as liveness.settles. h2
 * converges on c0@r1 just as the control plane crashes; its agent resends the event until
 * the control plane is back, and the first resend lands before the restarted process has
 * cached a manifest. The route acknowledges it (204) and the reducer drops it (spec §3.11,
 * step 3), so the control plane's record stays Soaking for good. c0@r1 is superseded, h2
 * is held by the halted c0@r2, and intent's budget counts h2 as in flight for c0@r1, so
 * `quiet()` counted the record as work and the run idled to its four-hour horizon. Now a
 * record whose agent is done with it is work only while a heartbeat's replay is due.
 * Since intent's events_wait_for_manifest the route leaves that resend unanswered and the
 * next one, after the manifest poll, is stepped: nothing is lost, the run ends Terminal.
 */

describe('intent: a Converged event lost to a cold manifest cache after a restart', () => {
  it('without events_wait_for_manifest: ends the run, stalled on the halted successor, instead of idling to the horizon', () => {
    const r = fixtureRun(
      'lost-converged-superseded',
      profile('intent', { events_wait_for_manifest: false }),
    );
    expect(r.failures).toEqual([]);
    expect(r.summary.ended).toBe('stalled');
    expect(r.summary.simSeconds).toBeLessThan(3600);
    expect(r.summary.stall?.groups.map((g) => [g.rolloutId, g.gate, g.hosts])).toEqual([
      ['c0@r2', 'halt', ['h2']],
    ]);
    const h2 = r.summary.rollouts.find((x) => x.rolloutId === 'c0@r1');
    expect(h2?.hosts).toEqual({ Deferred: 1, Soaking: 1, Converged: 1 });
  });

  it('intent: the resend waits for the manifest, h2 is heard Converged and the run ends Terminal', () => {
    const r = expectSettles('lost-converged-superseded', 'terminal');
    const h2 = r.summary.rollouts.find((x) => x.rolloutId === 'c0@r1');
    expect(h2?.hosts).toEqual({ Deferred: 1, Converged: 2 });
  });
});

/*
 * Found by `check --profile faithful --runs 3000 --seed 9227` as liveness.settles: the
 * same lost report under faithful, where the agent keeps its superseded records and
 * `quiet()` judged every superseded rollout's records as the live ones'.
 */
describe('faithful: a report lost to a cold manifest cache on a superseded rollout', () => {
  it('ends the run instead of idling to the horizon', () => {
    expectSettles('lost-converged-faithful', 'terminal');
  });
});
