import { hostsOf, makeFleet, numbered, probeFault } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

/** The host whose probes fail in the demo: in the last wave, so two waves converge first. */
export const DEMO_FAILING_HOST = 'db-04';

/**
 * The demo: 24 hosts (16 web, 4 db, 4 cache) on one `stable` channel, a staged policy of
 * 3 waves (3, 9, 12 hosts, soak 5 min, rollback-and-halt), every host with an enforce
 * `http` probe and an observe `latency` probe. One host of the last wave fails its
 * probes on every ref, so it crosses the sustained-failure threshold and rolls back.
 */
export function demoFleet(): Fleet {
  const web = numbered('web-', 1, 16, 2);
  const db = numbered('db-', 1, 4, 2);
  const cache = numbered('cache-', 1, 4, 2);
  const probes = [
    probe('http', { kind: 'http', mode: 'enforce', interval_seconds: 30 }),
    probe('latency', { kind: 'metrics', mode: 'observe', interval_seconds: 60 }),
  ];
  return makeFleet({
    name: 'demo',
    channels: { stable: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] } },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: [...web.slice(0, 2), 'cache-01'], soak_minutes: 5 },
          { hosts: [...web.slice(2, 9), 'cache-02', 'db-01'], soak_minutes: 5 },
          { hosts: [...web.slice(9), 'cache-03', 'cache-04', ...db.slice(1)], soak_minutes: 5 },
        ],
      },
    },
    hosts: {
      ...hostsOf(web, { channel: 'stable', tags: ['web'], probes }),
      ...hostsOf(db, { channel: 'stable', tags: ['db'], probes }),
      ...hostsOf(cache, { channel: 'stable', tags: ['cache'], probes }),
    },
    faults: { probes: [probeFault({ pattern: 'fail', hosts: [DEMO_FAILING_HOST] })] },
  });
}
