import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { makeFleet } from '../../sim/fleet/build.ts';
import {
  channelEdgesInto,
  channelWaveIndex,
  channelWaves,
  type Fleet,
} from '../../sim/fleet/fleet.ts';

/*
 * The fleet queries the control plane, the spec model and the invariants all read: a
 * channel's waves (its policy's waves, holding only its own hosts) and the channel edges
 * into it. They are built once for every channel of a fleet (a policy shared by 200,000
 * one-host channels was filtered once per channel), so they are checked here against
 * the plain filters they stand for: with all three readers sharing them, a wrong wave here
 * would be invisible to `check` and `explore` (a mistake putting every wave past the second
 * into the second passed 1,000 runs a profile and explore).
 */

const fleetArbitrary = fc
  .record({
    hosts: fc.integer({ min: 1, max: 8 }),
    channels: fc.integer({ min: 1, max: 4 }),
    policies: fc.integer({ min: 1, max: 2 }),
    waves: fc.integer({ min: 1, max: 4 }),
  })
  .chain((n) =>
    fc.record({
      n: fc.constant(n),
      channelOf: fc.array(fc.nat(n.channels - 1), { minLength: n.hosts, maxLength: n.hosts }),
      policyOf: fc.array(fc.nat(n.policies - 1), {
        minLength: n.channels,
        maxLength: n.channels,
      }),
      // For each policy, each host's wave in it, or -1 for none.
      waveOf: fc.array(
        fc.array(fc.integer({ min: -1, max: n.waves - 1 }), {
          minLength: n.hosts,
          maxLength: n.hosts,
        }),
        { minLength: n.policies, maxLength: n.policies },
      ),
      edges: fc.array(fc.tuple(fc.nat(n.channels - 1), fc.nat(n.channels - 1)), { maxLength: 6 }),
    }),
  )
  .map(({ n, channelOf, policyOf, waveOf, edges }): Fleet => {
    const host = (i: number) => `h${i}`;
    const channel = (i: number) => `c${i}`;
    const hosts = Array.from({ length: n.hosts }, (_, i) => host(i));
    return makeFleet({
      name: 'queries',
      channels: Object.fromEntries(
        policyOf.map((p, c) => [
          channel(c),
          { rollout_policy: `p${p}`, initial_ref: 'r0', releases: [] },
        ]),
      ),
      rollout_policies: Object.fromEntries(
        waveOf.map((waves, p) => [
          `p${p}`,
          {
            strategy: 'staged' as const,
            on_health_failure: 'halt' as const,
            waves: Array.from({ length: n.waves }, (_, w) => ({
              hosts: hosts.filter((_, i) => waves[i] === w).sort(),
              soak_minutes: 1,
            })),
          },
        ]),
      ),
      hosts: Object.fromEntries(
        hosts.map((h, i) => [
          h,
          {
            channel: channel(channelOf[i] as number),
            tags: [],
            probes: [],
            initial_closure: `${h}-base`,
          },
        ]),
      ),
      channel_edges: edges.map(([a, b]) => ({ gates: channel(a), gated: channel(b), reason: '' })),
    });
  });

describe('the fleet queries of a channel', () => {
  test.prop([fleetArbitrary], { numRuns: 500 })(
    'are the policy waves and the edges, filtered to the channel',
    (fleet) => {
      for (const name of Object.keys(fleet.channels)) {
        const policy = fleet.rollout_policies[fleet.channels[name]?.rollout_policy ?? ''];
        const own = (policy?.waves ?? []).map((w) =>
          w.hosts.filter((h) => fleet.hosts[h]?.channel === name),
        );
        expect(channelWaves(fleet, name).map((w) => w.hosts)).toEqual(own);
        expect(channelWaves(fleet, name).map((w) => w.soak_minutes)).toEqual(
          (policy?.waves ?? []).map((w) => w.soak_minutes),
        );
        for (const h of Object.keys(fleet.hosts))
          expect(channelWaveIndex(fleet, name, h)).toBe(own.findIndex((w) => w.includes(h)));
        expect(channelEdgesInto(fleet, name)).toEqual(
          fleet.channel_edges.filter((e) => e.gated === name),
        );
      }
    },
  );
});
