import type { OnHealthFailure, ProbeMode } from '../../machines/host/state.ts';
import { makeFleet } from '../fleet/build.ts';
import type { Fleet, Host, ProbeFault, RolloutPolicy } from '../fleet/fleet.ts';
import { validateFleet } from '../fleet/validate.ts';

/*
 * What a property check generates: a small fleet, its faults and releases, as plain data
 * fast-check can shrink (fewer hosts, fewer faults, shorter schedules), and the one
 * function that turns it into a fleet the simulator runs.
 */

export interface HostSpec {
  readonly probes: readonly { readonly mode: ProbeMode; readonly intervalSeconds: number }[];
}

export interface ChannelSpec {
  readonly hosts: readonly HostSpec[];
  /** How many waves the channel's hosts are split into, in order. */
  readonly waves: number;
  readonly soakMinutes: readonly number[];
  readonly onHealthFailure: OnHealthFailure;
  /** Minutes after the start at which a new ref is published. */
  readonly releases: readonly number[];
}

export interface ProbeFaultSpec {
  readonly pattern: ProbeFault['pattern'];
  /** Indexes into the fleet's hosts (all channels, in order); empty: every host. */
  readonly hosts: readonly number[];
  /** Which ref of the host's channel: 0 the initial one, 1.. the releases; null: any. */
  readonly ref: number | null;
  readonly rate: number;
  readonly afterSeconds: number;
}

export interface FaultSpec {
  readonly probes: readonly ProbeFaultSpec[];
  readonly activationFailureRate: number;
  readonly deferralRate: number;
  /** Chance the reboot that completes a deferral fails (the host comes back on its old closure). */
  readonly bootFailureRate: number;
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly partition: {
    readonly host: number;
    readonly fromMinutes: number;
    readonly minutes: number;
  } | null;
  readonly cpRestart: { readonly atMinutes: number; readonly downSeconds: number } | null;
  /** Host clocks off by up to this many seconds either way (0: all agree). */
  readonly clockSkewSeconds: number;
  /** Chances a repeated event slips past the route, and a WaveAdvanced comes again. */
  readonly replayRate: number;
  /** Chance a channel's manifest fails to fetch or verify at a poll. */
  readonly manifestFailureRate: number;
}

export interface ScenarioSpec {
  readonly channels: readonly ChannelSpec[];
  /** With two channels: whether the first gates the second. */
  readonly channelEdge: boolean;
  /** [gated, gates] host indexes; kept only when gates comes earlier, in the same channel and not a later wave. */
  readonly hostEdges: readonly (readonly [number, number])[];
  /** Hosts by index, and with `wave` every host of that wave too (a budget per tier). */
  readonly budget: {
    readonly hosts: readonly number[];
    readonly max: number;
    readonly wave: number | null;
  } | null;
  readonly faults: FaultSpec;
}

export interface Scenario {
  readonly spec: ScenarioSpec;
  readonly seed: number;
}

const refName = (i: number) => `r${i}`;

interface Placed {
  readonly name: string;
  readonly channel: string;
  readonly wave: number;
}

/** Host names and their channel and wave: hosts are split into waves in order. */
export function placeHosts(spec: ScenarioSpec): Placed[] {
  const placed: Placed[] = [];
  spec.channels.forEach((c, ci) => {
    const waves = Math.max(1, Math.min(c.waves, c.hosts.length));
    c.hosts.forEach((_, hi) => {
      placed.push({
        name: `h${placed.length}`,
        channel: `c${ci}`,
        wave: Math.floor((hi * waves) / c.hosts.length),
      });
    });
  });
  return placed;
}

/** The fleet a scenario describes; it always validates (generation keeps it well-formed). */
export function scenarioFleet(spec: ScenarioSpec, name = 'generated'): Fleet {
  const placed = placeHosts(spec);
  const hosts: Record<string, Host> = {};
  const policies: Record<string, RolloutPolicy> = {};
  const channels: Record<string, Fleet['channels'][string]> = {};
  spec.channels.forEach((c, ci) => {
    const channel = `c${ci}`;
    const mine = placed.filter((p) => p.channel === channel);
    const waveCount = Math.max(...mine.map((p) => p.wave)) + 1;
    policies[`p${ci}`] = {
      strategy: 'staged',
      on_health_failure: c.onHealthFailure,
      waves: Array.from({ length: waveCount }, (_, w) => ({
        hosts: mine.filter((p) => p.wave === w).map((p) => p.name),
        soak_minutes: c.soakMinutes[w] ?? 0,
      })),
    };
    const times = [...new Set(c.releases.map((m) => Math.max(1, Math.round(m))))].sort(
      (a, b) => a - b,
    );
    channels[channel] = {
      rollout_policy: `p${ci}`,
      initial_ref: refName(0),
      releases: times.map((m, i) => ({ at_seconds: m * 60, ref: refName(i + 1) })),
    };
    c.hosts.forEach((h, hi) => {
      const p = mine[hi] as Placed;
      hosts[p.name] = {
        channel,
        tags: [],
        probes: h.probes.map((probe, i) => ({
          name: `p${i}`,
          kind: 'http',
          mode: probe.mode,
          interval_seconds: probe.intervalSeconds,
          run_once: false,
        })),
        initial_closure: `${p.name}-base`,
      };
    });
  });
  const at = (i: number) => placed[i % placed.length] as Placed;
  // Edges only point from an earlier host (in an earlier or the same wave) to a later one,
  // so the generated fleet can never deadlock on its own ordering.
  const hostEdges = [
    ...new Map(
      spec.hostEdges
        .map(([gated, gates]) => [gated % placed.length, gates % placed.length] as const)
        .filter(([a, b]) => b < a && at(a).channel === at(b).channel && at(b).wave <= at(a).wave)
        .map(
          ([a, b]) =>
            [`${a}>${b}`, { gated: at(a).name, gates: at(b).name, reason: null }] as const,
        ),
    ).values(),
  ];
  const f = spec.faults;
  const refsOf = (p: Placed, ref: number | null) => {
    if (ref === null) return [];
    const releases = channels[p.channel]?.releases.length ?? 0;
    return [refName(Math.min(ref, releases))];
  };
  const fleet = makeFleet({
    name,
    channels,
    rollout_policies: policies,
    hosts,
    channel_edges:
      spec.channels.length > 1 && spec.channelEdge
        ? [{ gates: 'c0', gated: 'c1', reason: null }]
        : [],
    host_edges: hostEdges,
    disruption_budgets:
      spec.budget === null
        ? []
        : [
            {
              selector: 'budget',
              hosts: [
                ...new Set([
                  ...spec.budget.hosts.map((i) => at(i).name),
                  ...placed.filter((p) => p.wave === spec.budget?.wave).map((p) => p.name),
                ]),
              ].sort(),
              max_in_flight: spec.budget.max,
              max_in_flight_pct: null,
            },
          ],
    faults: {
      activation: {
        failure_rate: f.activationFailureRate,
        deferral_rate: f.deferralRate,
        // Left out when off, as the fleet files leave it.
        ...(f.bootFailureRate === 0 ? {} : { boot_failure_rate: f.bootFailureRate }),
      },
      probes: f.probes.map((r) => {
        const targets = r.hosts.map(at);
        return {
          pattern: r.pattern,
          refs:
            targets.length === 0
              ? r.ref === null
                ? []
                : [refName(0)]
              : [...new Set(targets.flatMap((p) => refsOf(p, r.ref)))],
          hosts: [...new Set(targets.map((p) => p.name))].sort(),
          probe: null,
          rate: r.pattern === 'flaky' ? Math.max(r.rate, 0.01) : r.rate,
          after_seconds: r.afterSeconds,
        };
      }),
      network: {
        drop_rate: f.dropRate,
        duplicate_rate: f.duplicateRate,
        partitions:
          f.partition === null
            ? []
            : [
                {
                  hosts: [at(f.partition.host).name],
                  from_seconds: f.partition.fromMinutes * 60,
                  to_seconds: (f.partition.fromMinutes + Math.max(1, f.partition.minutes)) * 60,
                },
              ],
      },
      cp_restarts:
        f.cpRestart === null
          ? []
          : [{ at_seconds: f.cpRestart.atMinutes * 60, down_seconds: f.cpRestart.downSeconds }],
      // Left out when off: a fleet without them draws nothing for them.
      ...(f.clockSkewSeconds === 0
        ? {}
        : { clock_skew_seconds: [-f.clockSkewSeconds, f.clockSkewSeconds] as const }),
      ...(f.replayRate === 0
        ? {}
        : { replays: { events_past_route: f.replayRate, wave_advances: f.replayRate } }),
      ...(f.manifestFailureRate === 0 ? {} : { manifest_failure_rate: f.manifestFailureRate }),
    },
  });
  const problem = validateFleet(fleet);
  if (problem !== null) throw new Error(`generated an invalid fleet: ${problem}`);
  return fleet;
}
