import { describe, expect, it } from 'vitest';
import { expectSettles } from '../fixture-header.ts';

/*
 * Found by `check --profile faithful --runs 3000` (seeds 9112, 9113, 9115) as
 * liveness.settles. h3 and h5 reboot while c1@r1 dispatches them; the boot snapshot (the
 * control plane's Pending record) overwrites the Activating record the agent has just
 * made (spec §3.12 merge, nixfleet's own behaviour), and the activation's completion or
 * failure is refused on it. The control plane's record stays Activating, or is recovered
 * to Soaking by a heartbeat, and nothing can move it again. `quiet()` counted every such
 * record as work to come, so the run idled to its four-hour horizon. Now a record its agent
 * no longer holds in flight is not work, the run ends, and host.views-agree reports the
 * parted views: a known deviation of faithful.
 */

describe('faithful: records a stale boot snapshot left mid-flight on the control plane', () => {
  it('end the run instead of idling to its horizon, and the parted views are reported', () => {
    const r = expectSettles('stuck-after-stale-snapshot', 'terminal');
    const views = r.deviations.find((d) => d.invariant.id === 'host.views-agree');
    expect(views?.message).toMatch(
      /^h[35] on c1@r1: agent Pending, control plane (Activating|Soaking)$/,
    );
  });
});
