import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalFleet } from '../../sim/fleet/canonical.ts';
import { channelWaves } from '../../sim/fleet/fleet.ts';
import { type GenerateOptions, generateFleet, waveEnds } from '../../sim/fleet/generate.ts';
import { validateFleet } from '../../sim/fleet/validate.ts';

const sizes = (ends: readonly number[]): number[] =>
  ends.map((end, i) => end - (i === 0 ? 0 : (ends[i - 1] as number)));

describe('generateFleet', () => {
  it('one channel: geometric waves (1 %, 10 %, the rest), a shared staged policy, one probe per host', () => {
    const fleet = generateFleet({ hosts: 1000, waves: 3, channels: 1 });
    expect(validateFleet(fleet)).toBeNull();
    expect(fleet.name).toBe('generated-1000h-3w-1c');
    expect(Object.keys(fleet.channels)).toEqual(['stable']);
    expect(Object.keys(fleet.hosts)).toHaveLength(1000);
    expect(Object.keys(fleet.hosts)[0]).toBe('host-0001');
    expect(channelWaves(fleet, 'stable').map((w) => w.hosts.length)).toEqual([10, 90, 900]);
    expect(channelWaves(fleet, 'stable').map((w) => w.soak_minutes)).toEqual([5, 5, 5]);
    expect(fleet.rollout_policies.default).toMatchObject({
      strategy: 'staged',
      on_health_failure: 'rollback-and-halt',
    });
    expect(fleet.hosts['host-0001']?.probes).toEqual([
      { name: 'http', kind: 'http', mode: 'enforce', interval_seconds: 30, run_once: false },
    ]);
    expect(fleet.channel_edges).toEqual([]);
    expect(fleet.faults.probes).toEqual([]);
    expect(JSON.stringify(canonicalFleet(fleet))).toBe(JSON.stringify(fleet));
  });

  it('several channels: contiguous host blocks, every wave on every channel, channel edges chaining them', () => {
    const fleet = generateFleet({ hosts: 100, waves: 3, channels: 3 });
    expect(validateFleet(fleet)).toBeNull();
    expect(Object.keys(fleet.channels)).toEqual(['ring-1', 'ring-2', 'ring-3']);
    const perChannel = ['ring-1', 'ring-2', 'ring-3'].map(
      (c) => Object.values(fleet.hosts).filter((h) => h.channel === c).length,
    );
    expect(perChannel).toEqual([34, 33, 33]);
    Object.keys(fleet.channels).forEach((channel, c) => {
      const counts = channelWaves(fleet, channel).map(
        (w) => w.hosts.filter((h) => fleet.hosts[h]?.channel === channel).length,
      );
      expect(counts).toEqual(c === 0 ? [1, 2, 31] : [1, 2, 30]);
    });
    expect(fleet.hosts['host-001']?.channel).toBe('ring-1');
    expect(fleet.hosts['host-035']?.channel).toBe('ring-2');
    expect(fleet.hosts['host-100']?.channel).toBe('ring-3');
    expect(fleet.channel_edges).toEqual([
      { gates: 'ring-1', gated: 'ring-2', reason: null },
      { gates: 'ring-2', gated: 'ring-3', reason: null },
    ]);
  });

  it('pads channel names so they sort in order', () => {
    const fleet = generateFleet({ hosts: 24, waves: 2, channels: 12 });
    expect(Object.keys(fleet.channels).slice(0, 3)).toEqual(['ring-01', 'ring-02', 'ring-03']);
    expect(fleet.channel_edges).toHaveLength(11);
    expect(validateFleet(fleet)).toBeNull();
  });

  it('one wave is all-at-once with every host', () => {
    const fleet = generateFleet({ hosts: 7, waves: 1, channels: 1, soakMinutes: 0 });
    expect(fleet.rollout_policies.default).toEqual({
      strategy: 'all-at-once',
      on_health_failure: 'rollback-and-halt',
      waves: [{ hosts: Object.keys(fleet.hosts), soak_minutes: 0 }],
    });
  });

  it('turns rates into faults, releases into a schedule, and passes the other options through', () => {
    const fleet = generateFleet({
      hosts: 10,
      waves: 2,
      channels: 2,
      soakMinutes: 12,
      probeFailureRate: 0.1,
      activationFailureRate: 0.2,
      deferralRate: 0.3,
      dropRate: 0.04,
      duplicateRate: 0.05,
      onHealthFailure: 'halt',
      releases: 2,
      releaseEveryMinutes: 30,
      name: 'mine',
    });
    expect(validateFleet(fleet)).toBeNull();
    expect(fleet.name).toBe('mine');
    expect(fleet.faults.probes).toEqual([
      { pattern: 'flaky', refs: [], hosts: [], probe: null, rate: 0.1, after_seconds: 0 },
    ]);
    expect(fleet.faults.activation).toMatchObject({ failure_rate: 0.2, deferral_rate: 0.3 });
    expect(fleet.faults.network).toMatchObject({ drop_rate: 0.04, duplicate_rate: 0.05 });
    expect(fleet.rollout_policies.default?.on_health_failure).toBe('halt');
    expect(channelWaves(fleet, 'ring-1').map((w) => w.soak_minutes)).toEqual([12, 12]);
    expect(fleet.channels['ring-2']).toEqual({
      rollout_policy: 'default',
      initial_ref: 'v1',
      releases: [
        { at_seconds: 1800, ref: 'v2' },
        { at_seconds: 3600, ref: 'v3' },
      ],
    });
  });

  it('waveEnds: at least one host per wave, ends increasing to n', () => {
    expect(sizes(waveEnds(1000, 3))).toEqual([10, 90, 900]);
    expect(sizes(waveEnds(1000, 4))).toEqual([10, 36, 169, 785]);
    expect(sizes(waveEnds(10, 3))).toEqual([1, 1, 8]);
    expect(sizes(waveEnds(3, 3))).toEqual([1, 1, 1]);
    expect(waveEnds(5, 1)).toEqual([5]);
  });

  it('any valid options give a valid fleet with every host staged once (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((channels) =>
          fc.integer({ min: 1, max: 6 }).chain((waves) =>
            fc.record({
              channels: fc.constant(channels),
              waves: fc.constant(waves),
              hosts: fc.integer({ min: channels * waves, max: 400 }),
              releases: fc.integer({ min: 0, max: 3 }),
              probeFailureRate: fc.double({ min: 0, max: 1, noNaN: true }),
            }),
          ),
        ),
        (options: GenerateOptions) => {
          const fleet = generateFleet(options);
          expect(validateFleet(fleet)).toBeNull();
          expect(Object.keys(fleet.hosts)).toHaveLength(options.hosts);
          const waves = fleet.rollout_policies.default?.waves ?? [];
          expect(waves).toHaveLength(options.waves);
          expect(waves.reduce((n, w) => n + w.hosts.length, 0)).toBe(options.hosts);
          for (const channel of Object.keys(fleet.channels))
            for (const wave of waves)
              expect(wave.hosts.some((h) => fleet.hosts[h]?.channel === channel)).toBe(true);
          expect(JSON.stringify(generateFleet(options))).toBe(JSON.stringify(fleet));
        },
      ),
      { numRuns: 60 },
    );
  });

  it.each<[Partial<GenerateOptions>, string]>([
    [{ hosts: 0 }, 'hosts must be an integer in [1, 1000000], got 0'],
    [{ hosts: 2.5 }, 'hosts must be an integer in [1, 1000000], got 2.5'],
    [{ hosts: Number.NaN }, 'hosts must be an integer in [1, 1000000], got NaN'],
    [{ waves: 0 }, 'waves must be an integer ≥ 1, got 0'],
    [{ channels: 0 }, 'channels must be an integer ≥ 1, got 0'],
    [
      { hosts: 3, channels: 5 },
      'channels (5) must not exceed hosts (3): every channel needs a host',
    ],
    [
      { hosts: 10, channels: 3, waves: 4 },
      'waves (4) must not exceed the hosts per channel (3): every wave needs a host on every channel',
    ],
    [{ soakMinutes: -1 }, 'soakMinutes must be an integer ≥ 0, got -1'],
    [{ releases: -1 }, 'releases must be an integer in [0, 1000], got -1'],
    [{ releaseEveryMinutes: 0 }, 'releaseEveryMinutes must be > 0, got 0'],
    [{ probeFailureRate: 1.5 }, 'probeFailureRate must be in [0, 1], got 1.5'],
    [{ dropRate: -0.1 }, 'dropRate must be in [0, 1], got -0.1'],
    [{ deferralRate: Number.NaN }, 'deferralRate must be in [0, 1], got NaN'],
    [
      { onHealthFailure: 'panic' as never },
      'onHealthFailure must be one of halt, rollback-and-halt, got panic',
    ],
  ])('rejects %j: %s', (bad, message) => {
    expect(() => generateFleet({ hosts: 100, waves: 3, channels: 1, ...bad })).toThrow(
      new Error(message),
    );
  });
});
