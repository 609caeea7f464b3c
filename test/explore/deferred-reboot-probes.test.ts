import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/deferred-reboot-probes.yaml: deferred-reboot-partition.yaml's host, deferring
 * a kernel change while cut off and booting into it as the network heals, with a health
 * probe. At two faults (a lost message and a successor release) a Soaking record's probe
 * restarts after a boot snapshot brought the record back, so the probe worker's first
 * report meets a record that already says when the probe was first seen. Two mistakes
 * no set-up before stop 38 reached are reported here: ProbeObservedFirst overwriting that
 * time (`stop35-observed-first-overwrites`, model.steps-agree under both profiles) and
 * the snapshot merge taking the control plane's probe results over the agent's
 * (`stop33-agent-merge-takes-cp-probes`, host.merge-keeps-own under faithful).
 */

const fleet = withFaultAlphabet(exampleFleet('deferred-reboot-probes'), 'all');

describe('explore --fleet examples/deferred-reboot-probes.yaml --faults 2', () => {
  it('faithful: only its known deviations', () => {
    const r = explore({ fleet, profile: profile('faithful'), maxFaults: 2, maxRuns: 20_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations.length).toBeGreaterThan(0);
    for (const v of r.violations) expect(v.deviation, v.invariant).not.toBeNull();
  });

  it('intent: every path is clean', () => {
    const r = explore({ fleet, profile: profile('intent'), maxFaults: 2, maxRuns: 20_000 });
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });
});
