import { describe, expect, it } from 'vitest';
import { canonicalFleet } from '../../sim/fleet/canonical.ts';
import { channelWaves, type Fleet } from '../../sim/fleet/fleet.ts';
import { BAD_REF } from '../../sim/fleet/presets/bad-release.ts';
import { BUDGET_MAX_IN_FLIGHT, BUDGET_SELECTOR } from '../../sim/fleet/presets/budget.ts';
import { DEFERRED_REF } from '../../sim/fleet/presets/deferred.ts';
import { DEMO_FAILING_HOST } from '../../sim/fleet/presets/demo.ts';
import { PRESETS, presetNames } from '../../sim/fleet/presets/index.ts';
import { SUPERSEDE_AT_SECONDS } from '../../sim/fleet/presets/supersede.ts';
import { TWO_CHANNELS_FIRST, TWO_CHANNELS_SECOND } from '../../sim/fleet/presets/two-channels.ts';
import { validateFleet } from '../../sim/fleet/validate.ts';

const build = (name: string): Fleet => {
  const preset = PRESETS[name];
  if (preset === undefined) throw new Error(`no preset ${name}`);
  return preset.build();
};
const hostCount = (fleet: Fleet): number => Object.keys(fleet.hosts).length;
const waveSizes = (fleet: Fleet, channel: string): number[] =>
  channelWaves(fleet, channel).map((w) => w.hosts.length);

describe('presets', () => {
  it('lists the advertised presets in order', () => {
    expect(presetNames()).toEqual([
      'demo',
      'canary',
      'staged-1k',
      'staged-10k',
      'two-channels',
      'bad-release',
      'supersede',
      'deferred',
      'budget',
    ]);
    for (const name of presetNames()) expect(PRESETS[name]?.description).toMatch(/^\S.{10,140}$/);
  });

  describe.each(presetNames())('%s', (name) => {
    it('passes validateFleet, is canonical and named after the preset', () => {
      const fleet = build(name);
      expect(validateFleet(fleet)).toBeNull();
      expect(JSON.stringify(canonicalFleet(fleet))).toBe(JSON.stringify(fleet));
      expect(fleet.name).toBe(name);
    });

    it('builds the same fleet every time (deterministic) and fresh objects each call', () => {
      const a = build(name);
      const b = build(name);
      expect(b).not.toBe(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    });

    it('stages every host in exactly one wave of its channel', () => {
      const fleet = build(name);
      for (const channel of Object.keys(fleet.channels)) {
        const count = new Map<string, number>();
        for (const wave of channelWaves(fleet, channel))
          for (const host of wave.hosts) count.set(host, (count.get(host) ?? 0) + 1);
        for (const [host, decl] of Object.entries(fleet.hosts))
          if (decl.channel === channel) expect(count.get(host), host).toBe(1);
      }
    });
  });

  it('demo: 24 hosts, one staged channel of 3 waves (3, 9, 12), probes, one failing host in the last wave', () => {
    const fleet = build('demo');
    expect(hostCount(fleet)).toBe(24);
    expect(Object.keys(fleet.channels)).toEqual(['stable']);
    expect(fleet.channels.stable?.releases).toEqual([]);
    const policy = fleet.rollout_policies[fleet.channels.stable?.rollout_policy ?? ''];
    expect(policy?.strategy).toBe('staged');
    expect(policy?.on_health_failure).toBe('rollback-and-halt');
    expect(waveSizes(fleet, 'stable')).toEqual([3, 9, 12]);
    expect(policy?.waves.every((w) => w.soak_minutes === 5)).toBe(true);
    for (const host of Object.values(fleet.hosts)) {
      expect(host.probes.map((p) => [p.mode, p.interval_seconds])).toContainEqual(['enforce', 30]);
      expect(host.probes.some((p) => p.mode === 'observe')).toBe(true);
      expect(host.probes.find((p) => p.mode === 'enforce')?.kind).toBe('http');
    }
    expect(fleet.faults.probes).toEqual([
      {
        pattern: 'fail',
        refs: [],
        hosts: [DEMO_FAILING_HOST],
        probe: null,
        rate: 1,
        after_seconds: 0,
      },
    ]);
    expect(policy?.waves[2]?.hosts).toContain(DEMO_FAILING_HOST);
    expect(Object.keys(fleet.hosts).filter((h) => h.startsWith('web-'))).toHaveLength(16);
  });

  it('canary: 11 hosts, one canary host soaking 10 min, then the rest soaking 5', () => {
    const fleet = build('canary');
    expect(hostCount(fleet)).toBe(11);
    const policy = fleet.rollout_policies.canary;
    expect(policy?.strategy).toBe('canary');
    expect(policy?.waves.map((w) => [w.hosts.length, w.soak_minutes])).toEqual([
      [1, 10],
      [10, 5],
    ]);
  });

  it.each([
    ['staged-1k', 1000, [10, 90, 400, 500]],
    ['staged-10k', 10_000, [100, 900, 4000, 5000]],
  ])('%s: %i hosts in waves %j, one 60 s enforce probe, 30 min soaks', (name, hosts, sizes) => {
    const fleet = build(name);
    expect(hostCount(fleet)).toBe(hosts);
    expect(waveSizes(fleet, 'stable')).toEqual(sizes);
    expect(channelWaves(fleet, 'stable').every((w) => w.soak_minutes === 30)).toBe(true);
    for (const host of Object.values(fleet.hosts))
      expect(host.probes).toEqual([
        { name: 'http', kind: 'http', mode: 'enforce', interval_seconds: 60, run_once: false },
      ]);
    // waves are consecutive blocks of the sorted host names
    expect(channelWaves(fleet, 'stable').flatMap((w) => w.hosts)).toEqual(Object.keys(fleet.hosts));
  });

  it('two-channels: two channels of 6 hosts, the first gating the second', () => {
    const fleet = build('two-channels');
    expect(Object.keys(fleet.channels).sort()).toEqual(
      [TWO_CHANNELS_FIRST, TWO_CHANNELS_SECOND].sort(),
    );
    for (const channel of [TWO_CHANNELS_FIRST, TWO_CHANNELS_SECOND]) {
      const onChannel = Object.keys(fleet.hosts).filter((h) => fleet.hosts[h]?.channel === channel);
      expect(onChannel).toHaveLength(6);
      const staged = channelWaves(fleet, channel).map(
        (w) => w.hosts.filter((h) => onChannel.includes(h)).length,
      );
      expect(staged).toEqual([2, 4]);
    }
    expect(fleet.channel_edges).toEqual([
      { gates: TWO_CHANNELS_FIRST, gated: TWO_CHANNELS_SECOND, reason: expect.any(String) },
    ]);
  });

  it('bad-release: the initial ref fails every enforce probe on every host', () => {
    const fleet = build('bad-release');
    expect(hostCount(fleet)).toBe(12);
    expect(waveSizes(fleet, 'stable')).toEqual([2, 4, 6]);
    expect(fleet.channels.stable?.initial_ref).toBe(BAD_REF);
    expect(fleet.faults.probes).toEqual([
      { pattern: 'fail', refs: [BAD_REF], hosts: [], probe: 'http', rate: 1, after_seconds: 0 },
    ]);
    for (const host of Object.values(fleet.hosts))
      expect(host.probes.find((p) => p.name === 'http')?.mode).toBe('enforce');
  });

  it('supersede: a second ref mid-rollout, 3 waves soaking 10 min', () => {
    const fleet = build('supersede');
    expect(hostCount(fleet)).toBe(12);
    expect(channelWaves(fleet, 'stable').map((w) => w.soak_minutes)).toEqual([10, 10, 10]);
    expect(fleet.channels.stable?.releases).toEqual([
      { at_seconds: SUPERSEDE_AT_SECONDS, ref: 'v2' },
    ]);
    expect(SUPERSEDE_AT_SECONDS).toBe(480);
  });

  it('deferred: the initial ref defers (kernel) and the operator reboots after 10–15 min', () => {
    const fleet = build('deferred');
    expect(hostCount(fleet)).toBe(8);
    expect(waveSizes(fleet, 'stable')).toEqual([2, 6]);
    expect(fleet.channels.stable?.initial_ref).toBe(DEFERRED_REF);
    expect(fleet.faults.activation.deferring_refs).toEqual([DEFERRED_REF]);
    expect(fleet.faults.activation.deferral_components).toEqual(['kernel']);
    expect(fleet.operator.reboot_deferred_after_seconds).toEqual([600, 900]);
  });

  it('budget: 12 hosts in one wave under a max-2-in-flight budget over all of them', () => {
    const fleet = build('budget');
    expect(hostCount(fleet)).toBe(12);
    expect(fleet.rollout_policies['all-at-once']?.strategy).toBe('all-at-once');
    expect(waveSizes(fleet, 'stable')).toEqual([12]);
    expect(fleet.disruption_budgets).toEqual([
      {
        selector: BUDGET_SELECTOR,
        hosts: Object.keys(fleet.hosts),
        max_in_flight: BUDGET_MAX_IN_FLIGHT,
        max_in_flight_pct: null,
      },
    ]);
    expect(BUDGET_MAX_IN_FLIGHT).toBe(2);
  });
});
