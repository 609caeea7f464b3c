import { describe, expect, it } from 'vitest';
import { expectSettles } from '../fixture-header.ts';

/*
 * Found by `check --profile faithful --runs 3000 --seed 9334` as liveness.settles. h1,
 * just rebooted, is dispatched c0@r1; its boot heartbeat's snapshot (the control plane's
 * record right after the DispatchAck, last_event_seq 1) lands after the agent has sent
 * ActivationStarted as seq 2, and the merge takes last_event_seq from the snapshot (spec
 * §3.12). The deferral that follows goes out as seq 2 again, and the route drops it as a
 * retry (§3.11). The control plane's record stays Activating, the agent's Deferred; c0@r2
 * then switches h1 to r2-h1, so no reboot ever boots the deferred r1-h1. `quiet()` counted
 * the agent's Deferred record as work, so the run idled to its four-hour horizon. Now a
 * deferred record is the agent's work only while the host runs its target.
 */

describe('faithful: a deferral lost to a seq the boot snapshot rewound', () => {
  it('ends the run instead of idling to the horizon', () => {
    const r = expectSettles('deferral-report-lost', 'terminal');
    expect(r.summary.rollouts.find((x) => x.rolloutId === 'c0@r1')?.hosts.Activating).toBe(1);
  });
});

/*
 * Found by `check --profile faithful --runs 3000`, seeds 9421 and 9432, as
 * liveness.settles, once the rule above held. 9421: a superseded rollout's record stays
 * Activating on both sides after a newer rollout switched the host; the agent has no
 * activation under way, so nothing moves it. 9432: the host booted its deferred target and
 * the control plane recovered the record to Soaking, but the agent's boot recovery was
 * answered already, so no snapshot brings it the recovered record. Both idled to the
 * horizon; now an agent's Activating or Deferred record is work only while the host runs
 * its target and its boot heartbeats still ask for snapshots.
 */
describe('faithful: agent records nothing will move any more', () => {
  it.each([
    ['activation-overtaken-superseded', 'terminal'],
    ['snapshot-came-and-went', 'stalled'],
  ] as const)('%s ends the run instead of idling to the horizon', (name, ended) => {
    expectSettles(name, ended);
  });
});
