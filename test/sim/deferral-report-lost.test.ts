import { describe, expect, it } from 'vitest';
import { fixtureRun } from '../fixture-header.ts';

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
    const r = fixtureRun('deferral-report-lost');
    expect(r.summary.ended).toBe('terminal');
    expect(r.summary.simSeconds).toBeLessThan(3600);
    expect(r.failures).toEqual([]);
    expect(r.summary.rollouts.find((x) => x.rolloutId === 'c0@r1')?.hosts.Activating).toBe(1);
  });
});
