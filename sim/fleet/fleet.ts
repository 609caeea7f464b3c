import type { OnHealthFailure, ProbeMode } from '../../machines/host/state.ts';
import { entry } from '../map-entry.ts';

/*
 * A resolved fleet: what a fleet file, a preset or the generator becomes once validated,
 * with every default filled in and every selector expanded to host names. This is what
 * the simulator runs and what a trace header records. Field names are snake_case because
 * this object is written verbatim into traces (DESIGN §4.5). All maps are plain objects
 * whose keys are in sorted order, so the JSON form is canonical.
 */

export const STRATEGIES = ['canary', 'staged', 'all-at-once'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Wave {
  /** Host names, sorted; a host appears in at most one wave of its channel. */
  readonly hosts: readonly string[];
  readonly soak_minutes: number;
}

export interface RolloutPolicy {
  readonly strategy: Strategy;
  readonly on_health_failure: OnHealthFailure;
  /** `all-at-once` with no declared waves is one match-all wave with soak 0 (spec §3.10). */
  readonly waves: readonly Wave[];
}

export interface Release {
  /** Seconds after the start of the run when this ref is published on the channel. */
  readonly at_seconds: number;
  readonly ref: string;
}

export interface Channel {
  readonly rollout_policy: string;
  /** Published at time 0; opens the channel's first rollout. */
  readonly initial_ref: string;
  readonly releases: readonly Release[];
}

export interface Probe {
  readonly name: string;
  readonly kind: string;
  readonly mode: ProbeMode;
  /** Declared interval; the agent runs it every max(interval, 5 s). */
  readonly interval_seconds: number;
  readonly run_once: boolean;
}

export interface Host {
  readonly channel: string;
  readonly tags: readonly string[];
  readonly probes: readonly Probe[];
  /** The closure the host runs before any rollout: its first rollback target. */
  readonly initial_closure: string;
}

export interface ChannelEdge {
  readonly gates: string;
  readonly gated: string;
  readonly reason: string | null;
}

export interface HostEdge {
  /** Held back until `gates` is Converged or Deferred in the same rollout. */
  readonly gated: string;
  readonly gates: string;
  readonly reason: string | null;
}

export interface DisruptionBudget {
  readonly selector: string;
  /** Resolved host names, sorted. */
  readonly hosts: readonly string[];
  readonly max_in_flight: number | null;
  /** Carried for fidelity; the gate ignores it (spec §4.10). */
  readonly max_in_flight_pct: number | null;
}

/** How probes of matching hosts behave on matching releases. The first matching rule wins. */
export interface ProbeFault {
  /**
   * `fail`: every run fails. `flaky`: each run fails with probability `rate`.
   * `breaks`: like flaky, but once a run fails every later one fails too (a service that
   * crashes and stays down: the sustained failure of spec §3.10).
   * `late-fail`: passes until `after_seconds` into the soak, then fails.
   * `recover`: fails until `after_seconds` into the soak, then passes.
   */
  readonly pattern: 'fail' | 'flaky' | 'breaks' | 'late-fail' | 'recover';
  /** Releases (refs) it applies to; empty: all. */
  readonly refs: readonly string[];
  /** Hosts it applies to (already expanded from hosts, tags and waves); empty: all. */
  readonly hosts: readonly string[];
  /** Probe name it applies to; null: every probe of the host. */
  readonly probe: string | null;
  readonly rate: number;
  readonly after_seconds: number;
}

export interface ActivationFaults {
  readonly duration_seconds: readonly [number, number];
  readonly failure_rate: number;
  readonly deferral_rate: number;
  /**
   * A deferred activation's reboot fails to bring the new closure up (the boot loader
   * falls back): the agent reports the activation failed out of Deferred (spec §6 item 13).
   * Absent: never.
   */
  readonly boot_failure_rate?: number;
  /** Components a deferral names, picked at random. */
  readonly deferral_components: readonly string[];
  /** Releases whose activation always fails (a broken build); empty: none. */
  readonly failing_refs: readonly string[];
  /** Releases whose activation is always deferred (e.g. a kernel change). */
  readonly deferring_refs: readonly string[];
}

export interface Partition {
  /** Hosts cut off from the control plane; empty: every host. */
  readonly hosts: readonly string[];
  readonly from_seconds: number;
  readonly to_seconds: number;
}

export interface NetworkFaults {
  readonly latency_ms: readonly [number, number];
  readonly drop_rate: number;
  readonly duplicate_rate: number;
  readonly partitions: readonly Partition[];
}

export interface Operator {
  /** Deferred hosts are rebooted this long after deferring (uniform in the range); null: never. */
  readonly reboot_deferred_after_seconds: readonly [number, number] | null;
  /** `OperatorClearance` issued for the channel's current rollout at these times. */
  readonly clearances: readonly {
    readonly at_seconds: number;
    readonly channel: string;
    readonly reason: string;
  }[];
}

export interface Fleet {
  readonly name: string;
  readonly channels: Readonly<Record<string, Channel>>;
  readonly rollout_policies: Readonly<Record<string, RolloutPolicy>>;
  readonly hosts: Readonly<Record<string, Host>>;
  readonly channel_edges: readonly ChannelEdge[];
  readonly host_edges: readonly HostEdge[];
  readonly disruption_budgets: readonly DisruptionBudget[];
  readonly faults: {
    readonly activation: ActivationFaults;
    readonly probes: readonly ProbeFault[];
    readonly network: NetworkFaults;
    /** Control-plane outages: no planning, requests refused (agents retry), caches lost. */
    readonly cp_restarts: readonly { readonly at_seconds: number; readonly down_seconds: number }[];
    /**
     * Control-plane crashes at no fixed time: every `every_seconds` until `until_seconds`,
     * a control plane that is up crashes with probability `rate` and is down for
     * `down_seconds` (then as after a restart). Absent: only `cp_restarts`.
     */
    readonly cp_crashes?: {
      readonly rate: number;
      readonly every_seconds: number;
      readonly until_seconds: number;
      readonly down_seconds: number;
    };
    /**
     * Unscheduled successor refs: every `every_seconds` until `until_seconds`, each channel
     * may get a new ref with probability `rate` (once per channel), whatever state its
     * rollout is in. Absent: only the scheduled releases.
     */
    readonly successor_releases?: {
      readonly rate: number;
      readonly every_seconds: number;
      readonly until_seconds: number;
    };
    /**
     * How far each host's clock runs from the control plane's, in seconds (negative:
     * behind), drawn once per host. Every timestamp an agent writes and every deadline it
     * compares with (soak due, the sustained-failure threshold) is on its own clock.
     * Absent: every clock agrees.
     */
    readonly clock_skew_seconds?: readonly [number, number];
    /**
     * What a restarted or doubled control plane offers twice: `events_past_route`, the
     * chance a repeated agent event slips past the route's dedup to the reducer;
     * `wave_advances`, the chance a `WaveAdvanced` is offered again a planning tick later.
     * Absent: neither.
     */
    readonly replays?: { readonly events_past_route: number; readonly wave_advances: number };
    /**
     * The chance that one channel's signed rollout manifest fails to fetch or verify at a
     * manifest poll: the channel is left out of that tick's set, so until the next good
     * poll the planner does not act on it and the reducer drops its hosts' events, which
     * the route has already answered. Absent: every poll verifies.
     */
    readonly manifest_failure_rate?: number;
  };
  readonly operator: Operator;
}

/** The closure a host is sent for a ref: distinct per host, as nixfleet's per-host closures are. */
export function targetClosure(host: string, ref: string): string {
  return `${ref}-${host}`;
}

/**
 * A value computed once per fleet and channel. The planner asks about one rollout's
 * channel host after host, so the last answer is kept in front of the cache.
 */
function perChannel<T>(
  make: (fleet: Fleet, channel: string) => T,
): (fleet: Fleet, channel: string) => T {
  const cache = new WeakMap<Fleet, Map<string, T>>();
  let last: { fleet: Fleet; channel: string; value: T } | null = null;
  return (fleet, channel) => {
    if (last !== null && last.fleet === fleet && last.channel === channel) return last.value;
    const byChannel = entry(cache, fleet, () => new Map<string, T>());
    const value = entry(byChannel, channel, () => make(fleet, channel));
    last = { fleet, channel, value };
    return value;
  };
}

/**
 * `fleet.waves[channel]`: the channel's policy waves, each holding only the channel's own
 * hosts (a policy can be shared by several channels).
 */
export const channelWaves: (fleet: Fleet, channel: string) => readonly Wave[] = perChannel(
  (fleet, channel) => {
    const c = fleet.channels[channel];
    const policyWaves =
      c === undefined ? [] : (fleet.rollout_policies[c.rollout_policy]?.waves ?? []);
    const split =
      c === undefined ? undefined : policySplits(fleet).get(c.rollout_policy)?.get(channel);
    return policyWaves.map((w, i) => ({ ...w, hosts: split?.[i] ?? [] }));
  },
);

/** A value computed once per fleet. */
function perFleet<T>(make: (fleet: Fleet) => T): (fleet: Fleet) => T {
  const cache = new WeakMap<Fleet, T>();
  return (fleet) => entry(cache, fleet, () => make(fleet));
}

const edgesByGated = perFleet((fleet) => {
  const by = new Map<string, ChannelEdge[]>();
  for (const e of fleet.channel_edges) entry(by, e.gated, () => []).push(e);
  return by;
});

/** The channel edges whose gated channel is `channel`, in the fleet's order. */
export function channelEdgesInto(fleet: Fleet, channel: string): readonly ChannelEdge[] {
  return edgesByGated(fleet).get(channel) ?? [];
}

/**
 * Each policy's wave hosts split by the host's channel, in wave order: a policy is read
 * once for all the channels that share it, not once per channel (a policy shared by
 * thousands of one-host channels made that quadratic).
 */
const policySplits = perFleet((fleet) => {
  const byPolicy = new Map<string, Map<string, string[][]>>();
  for (const [name, policy] of Object.entries(fleet.rollout_policies)) {
    const split = entry(byPolicy, name, () => new Map<string, string[][]>());
    policy.waves.forEach((w, i) => {
      for (const h of w.hosts) {
        const channel = fleet.hosts[h]?.channel;
        if (channel === undefined) continue;
        entry(split, channel, () => policy.waves.map(() => []))[i]?.push(h);
      }
    });
  }
  return byPolicy;
});

const wavesOfChannel = perChannel((fleet, channel) => {
  const index = new Map<string, number>();
  channelWaves(fleet, channel).forEach((w, i) => {
    for (const h of w.hosts) if (!index.has(h)) index.set(h, i);
  });
  return index;
});

/**
 * The index of the first wave of `channel` that holds `host`, or -1 when the host is in
 * none or belongs to another channel (`wave_promotion`'s lookup, spec §4.5).
 */
export function channelWaveIndex(fleet: Fleet, channel: string, host: string): number {
  return wavesOfChannel(fleet, channel).get(host) ?? -1;
}

/**
 * The index of the first wave of its channel that holds `host`, or -1 when it is in none
 * (`wave_promotion`'s lookup, spec §4.5), read from its channel's index.
 */
export function hostWaveIndex(fleet: Fleet, host: string): number {
  const channel = fleet.hosts[host]?.channel;
  return channel === undefined ? -1 : channelWaveIndex(fleet, channel, host);
}
