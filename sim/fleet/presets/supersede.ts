import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

/** When the second ref is published: mid-rollout of the first (wave 0 is still soaking). */
export const SUPERSEDE_AT_SECONDS = 8 * 60;

/**
 * Supersession: 12 hosts in 3 waves (2, 4, 6; soak 10 min). The channel opens a rollout
 * of `v1` at time 0 and publishes `v2` 8 minutes in, which supersedes the first rollout
 * mid-way.
 */
export function supersedeFleet(): Fleet {
  const hosts = numbered('web-', 1, 12, 2);
  return makeFleet({
    name: 'supersede',
    channels: {
      stable: {
        rollout_policy: 'staged',
        initial_ref: 'v1',
        releases: [{ at_seconds: SUPERSEDE_AT_SECONDS, ref: 'v2' }],
      },
    },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: hosts.slice(0, 2), soak_minutes: 10 },
          { hosts: hosts.slice(2, 6), soak_minutes: 10 },
          { hosts: hosts.slice(6), soak_minutes: 10 },
        ],
      },
    },
    hosts: hostsOf(hosts, { channel: 'stable', tags: ['web'], probes: [probe('http')] }),
  });
}
