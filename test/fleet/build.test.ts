import { describe, expect, it } from 'vitest';
import { hostsOf, makeFleet } from '../../sim/fleet/build.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';

const base = {
  name: 'f',
  channels: { stable: { rollout_policy: 'all', initial_ref: 'r1', releases: [] } },
  rollout_policies: {
    all: {
      strategy: 'all-at-once' as const,
      on_health_failure: 'halt' as const,
      waves: [{ hosts: ['a'], soak_minutes: 0 }],
    },
  },
  hosts: hostsOf(['a'], { channel: 'stable' }),
};

describe('makeFleet', () => {
  it('keeps every optional fault kind it is given', () => {
    const optional: Required<
      Omit<Fleet['faults'], 'activation' | 'network' | 'probes' | 'cp_restarts'>
    > = {
      cp_crashes: { rate: 0.1, every_seconds: 60, until_seconds: 600, down_seconds: 30 },
      successor_releases: { rate: 0.2, every_seconds: 120, until_seconds: 900 },
      clock_skew_seconds: [-30, 30],
      replays: { events_past_route: 0.1, wave_advances: 0.2 },
      manifest_failure_rate: 0.05,
    };
    const fleet = makeFleet({ ...base, faults: optional });
    expect(fleet.faults).toMatchObject(optional);
  });

  it('leaves out the optional kinds not given, so a fleet without them draws nothing for them', () => {
    const fleet = makeFleet(base);
    expect(Object.keys(fleet.faults).sort()).toEqual([
      'activation',
      'cp_restarts',
      'network',
      'probes',
    ]);
  });
});
