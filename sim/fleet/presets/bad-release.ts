import { hostsOf, makeFleet, numbered, probeFault } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

export const BAD_REF = 'v2-bad';

/**
 * A bad release: 12 hosts in 3 waves (2, 4, 6; soak 5 min). The channel's initial ref is
 * the bad one: every host's enforce `http` probe fails on it, so the first rollout fails
 * in wave 0 and, under rollback-and-halt, its hosts roll back.
 */
export function badReleaseFleet(): Fleet {
  const hosts = numbered('web-', 1, 12, 2);
  return makeFleet({
    name: 'bad-release',
    channels: { stable: { rollout_policy: 'staged', initial_ref: BAD_REF, releases: [] } },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: hosts.slice(0, 2), soak_minutes: 5 },
          { hosts: hosts.slice(2, 6), soak_minutes: 5 },
          { hosts: hosts.slice(6), soak_minutes: 5 },
        ],
      },
    },
    hosts: hostsOf(hosts, { channel: 'stable', tags: ['web'], probes: [probe('http')] }),
    faults: { probes: [probeFault({ pattern: 'fail', refs: [BAD_REF], probe: 'http' })] },
  });
}
