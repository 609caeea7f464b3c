import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

/**
 * A large staged fleet: one `stable` channel, hosts `node-…` split into consecutive
 * waves of the given sizes, one enforce probe every 60 s, `soakMinutes` per wave. Linear
 * in the host count (10,000 hosts build in a few milliseconds).
 */
export function stagedFleet(
  name: string,
  waveSizes: readonly number[],
  soakMinutes: number,
): Fleet {
  const total = waveSizes.reduce((a, b) => a + b, 0);
  const hosts = numbered('node-', 1, total, String(total).length);
  const waves = [];
  let start = 0;
  for (const size of waveSizes) {
    waves.push({ hosts: hosts.slice(start, start + size), soak_minutes: soakMinutes });
    start += size;
  }
  return makeFleet({
    name,
    channels: { stable: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] } },
    rollout_policies: {
      staged: { strategy: 'staged', on_health_failure: 'rollback-and-halt', waves },
    },
    hosts: hostsOf(hosts, { channel: 'stable', probes: [probe('http', { interval_seconds: 60 })] }),
  });
}
