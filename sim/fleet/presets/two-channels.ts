import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

export const TWO_CHANNELS_FIRST = 'canary-ring';
export const TWO_CHANNELS_SECOND = 'stable';

/**
 * Two channels ordered by a channel edge: `canary-ring` (canary-01…06) gates `stable`
 * (prod-01…06), so stable's hosts are held back until the canary ring's rollout is
 * Terminal. Both channels share one staged policy of 2 waves (2 + 4 hosts per channel).
 */
export function twoChannelsFleet(): Fleet {
  const canary = numbered('canary-', 1, 6, 2);
  const prod = numbered('prod-', 1, 6, 2);
  const probes = [probe('http')];
  return makeFleet({
    name: 'two-channels',
    channels: {
      [TWO_CHANNELS_FIRST]: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] },
      [TWO_CHANNELS_SECOND]: { rollout_policy: 'staged', initial_ref: 'v1', releases: [] },
    },
    rollout_policies: {
      staged: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: [...canary.slice(0, 2), ...prod.slice(0, 2)], soak_minutes: 5 },
          { hosts: [...canary.slice(2), ...prod.slice(2)], soak_minutes: 5 },
        ],
      },
    },
    hosts: {
      ...hostsOf(canary, { channel: TWO_CHANNELS_FIRST, tags: ['canary'], probes }),
      ...hostsOf(prod, { channel: TWO_CHANNELS_SECOND, tags: ['prod'], probes }),
    },
    channel_edges: [
      {
        gates: TWO_CHANNELS_FIRST,
        gated: TWO_CHANNELS_SECOND,
        reason: 'stable follows the canary ring',
      },
    ],
  });
}
