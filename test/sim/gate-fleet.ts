import { hostsOf, makeFleet } from '../../sim/fleet/build.ts';
import type { ChannelEdge, DisruptionBudget, Fleet, HostEdge } from '../../sim/fleet/fleet.ts';

/*
 * The gate tests' fleet: channel `stable` (policy `staged`: wave 0 = s0, wave 1 = s1a s1b,
 * wave 2 = s2; `s9` is in no wave), channel `edge` (policy `flat`: no waves; e1 e2 e3) and
 * channel `lab` (policy `staged` too, but none of its hosts is in a wave of it).
 */

export interface FleetParts {
  readonly channel_edges?: readonly ChannelEdge[];
  readonly host_edges?: readonly HostEdge[];
  readonly disruption_budgets?: readonly DisruptionBudget[];
}

export function gateFleet(parts: FleetParts = {}): Fleet {
  const channel = (rollout_policy: string) => ({ rollout_policy, initial_ref: 'r1', releases: [] });
  return makeFleet({
    name: 'gates',
    channels: { stable: channel('staged'), edge: channel('flat'), lab: channel('staged') },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: ['s0'], soak_minutes: 0 },
          { hosts: ['s1a', 's1b'], soak_minutes: 0 },
          { hosts: ['s2'], soak_minutes: 0 },
        ],
      },
      flat: { strategy: 'all-at-once', on_health_failure: 'halt', waves: [] },
    },
    hosts: {
      ...hostsOf(['s0', 's1a', 's1b', 's2', 's9'], { channel: 'stable' }),
      ...hostsOf(['e1', 'e2', 'e3'], { channel: 'edge' }),
      ...hostsOf(['l1'], { channel: 'lab' }),
    },
    ...parts,
  });
}
