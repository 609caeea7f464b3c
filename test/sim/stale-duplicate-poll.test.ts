import { describe, expect, it } from 'vitest';
import { profile } from '../../sim/profile.ts';
import { expectSettles, fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --seed 3` (run 881) as liveness.heals, with a first
 * version of the slow-switch generator that drew every case anew (the counterexample
 * needs no slow switch: it shrank to the default ones). One host,
 * a wire that duplicates but loses nothing. The agent's first dispatch poll arrives twice:
 * the first copy is answered with c0@r0's dispatch, the agent polls again, and the late
 * copy then took the new poll's place as the host's open poll. c0@r1's dispatch went to
 * that stale request, which the agent ignores; with no loss on the wire the agent keeps no
 * poll timer, so it waited on its open poll for ever and c0@r1 sat Active to the horizon.
 * The control plane now ignores a poll no newer than the last one it heard from the host.
 */

describe('a duplicated dispatch poll that arrives after the next poll', () => {
  it('does not take the open poll’s place: the successor converges', () => {
    const r = expectSettles('stale-duplicate-poll', 'terminal');
    const polls = r.records.filter(
      (x) => x.type === 'fault' && x.kind === 'duplicate' && x.detail === 'dispatch_poll',
    );
    expect(polls.length).toBeGreaterThan(0);
    expect(r.summary.rollouts.map((x) => [x.rolloutId, x.state])).toEqual([
      ['c0@r0', 'Superseded'],
      ['c0@r1', 'Terminal'],
    ]);
  });

  it('the same run under faithful converges too', () => {
    const r = fixtureRun('stale-duplicate-poll', profile('faithful'));
    expect(r.failures).toEqual([]);
    expect(r.summary.rollouts.at(-1)?.state).toBe('Terminal');
  });
});
