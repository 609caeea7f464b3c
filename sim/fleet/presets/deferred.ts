import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

export const DEFERRED_REF = 'v2-kernel';

/**
 * Deferred activation: 8 hosts in 2 waves (2, 6; soak 5 min). The initial ref changes
 * the kernel, so its activation is deferred until a reboot (`deferring_refs`, which
 * applies to every host that activates that ref); Deferred hosts count as done for
 * wave promotion, and the operator reboots each 10–15 minutes after it defers.
 */
export function deferredFleet(): Fleet {
  const hosts = numbered('node-', 1, 8, 2);
  return makeFleet({
    name: 'deferred',
    channels: { stable: { rollout_policy: 'staged', initial_ref: DEFERRED_REF, releases: [] } },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: hosts.slice(0, 2), soak_minutes: 5 },
          { hosts: hosts.slice(2), soak_minutes: 5 },
        ],
      },
    },
    hosts: hostsOf(hosts, { channel: 'stable', probes: [probe('http')] }),
    faults: { activation: { deferring_refs: [DEFERRED_REF], deferral_components: ['kernel'] } },
    operator: { reboot_deferred_after_seconds: [600, 900] },
  });
}
