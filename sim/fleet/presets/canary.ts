import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

/**
 * A canary rollout: 11 hosts; wave 0 is one canary host soaking 10 minutes, wave 1 the
 * other 10 soaking 5. No faults.
 */
export function canaryFleet(): Fleet {
  const hosts = numbered('app-', 1, 11, 2);
  return makeFleet({
    name: 'canary',
    channels: { stable: { rollout_policy: 'canary', initial_ref: 'v1', releases: [] } },
    rollout_policies: {
      canary: {
        strategy: 'canary',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: hosts.slice(0, 1), soak_minutes: 10 },
          { hosts: hosts.slice(1), soak_minutes: 5 },
        ],
      },
    },
    hosts: {
      ...hostsOf(hosts.slice(0, 1), {
        channel: 'stable',
        tags: ['app', 'canary'],
        probes: [probe('http')],
      }),
      ...hostsOf(hosts.slice(1), { channel: 'stable', tags: ['app'], probes: [probe('http')] }),
    },
  });
}
