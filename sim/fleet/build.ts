import { canonicalFleet } from './canonical.ts';
import {
  DEFAULT_ACTIVATION_FAULTS,
  DEFAULT_NETWORK_FAULTS,
  DEFAULT_OPERATOR,
  defaultInitialClosure,
} from './defaults.ts';
import type {
  ActivationFaults,
  Channel,
  ChannelEdge,
  DisruptionBudget,
  Fleet,
  Host,
  HostEdge,
  NetworkFaults,
  Operator,
  Probe,
  ProbeFault,
  RolloutPolicy,
} from './fleet.ts';

/*
 * Small helpers for building fleets in code (presets, the generator, tests): numbered
 * host names, hosts with defaults, and `makeFleet`, which fills in every part not given
 * and returns the canonical form.
 */

/** `prefix` + i zero-padded to `width`, for i in [from, to]: `numbered('web-', 1, 3, 2)` → web-01…web-03. */
export function numbered(prefix: string, from: number, to: number, width: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}${String(i).padStart(width, '0')}`);
  return out;
}

export interface HostSpec {
  readonly channel: string;
  readonly tags?: readonly string[];
  readonly probes?: readonly Probe[];
  readonly initial_closure?: string;
}

/** The same declaration for every name; the initial closure defaults to `<name>-base`. */
export function hostsOf(names: readonly string[], spec: HostSpec): Record<string, Host> {
  const out: Record<string, Host> = {};
  for (const name of names) {
    out[name] = {
      channel: spec.channel,
      tags: spec.tags ?? [],
      probes: spec.probes ?? [],
      initial_closure: spec.initial_closure ?? defaultInitialClosure(name),
    };
  }
  return out;
}

export interface FleetSpec {
  readonly name: string;
  readonly channels: Readonly<Record<string, Channel>>;
  readonly rollout_policies: Readonly<Record<string, RolloutPolicy>>;
  readonly hosts: Readonly<Record<string, Host>>;
  readonly channel_edges?: readonly ChannelEdge[];
  readonly host_edges?: readonly HostEdge[];
  readonly disruption_budgets?: readonly DisruptionBudget[];
  readonly faults?: {
    readonly activation?: Partial<ActivationFaults>;
    readonly probes?: readonly ProbeFault[];
    readonly network?: Partial<NetworkFaults>;
    readonly cp_restarts?: Fleet['faults']['cp_restarts'];
    readonly cp_crashes?: Fleet['faults']['cp_crashes'];
    readonly successor_releases?: Fleet['faults']['successor_releases'];
    readonly clock_skew_seconds?: Fleet['faults']['clock_skew_seconds'];
    readonly replays?: Fleet['faults']['replays'];
  };
  readonly operator?: Partial<Operator>;
}

/** A fleet with the defaults of `defaults.ts` for every part not given, in canonical form. */
export function makeFleet(spec: FleetSpec): Fleet {
  return canonicalFleet({
    name: spec.name,
    channels: spec.channels,
    rollout_policies: spec.rollout_policies,
    hosts: spec.hosts,
    channel_edges: spec.channel_edges ?? [],
    host_edges: spec.host_edges ?? [],
    disruption_budgets: spec.disruption_budgets ?? [],
    faults: {
      activation: { ...DEFAULT_ACTIVATION_FAULTS, ...spec.faults?.activation },
      probes: spec.faults?.probes ?? [],
      network: { ...DEFAULT_NETWORK_FAULTS, ...spec.faults?.network },
      cp_restarts: spec.faults?.cp_restarts ?? [],
      // Optional kinds stay absent unless given: a fleet without them draws nothing for them.
      ...(spec.faults?.cp_crashes === undefined ? {} : { cp_crashes: spec.faults.cp_crashes }),
      ...(spec.faults?.successor_releases === undefined
        ? {}
        : { successor_releases: spec.faults.successor_releases }),
      ...(spec.faults?.clock_skew_seconds === undefined
        ? {}
        : { clock_skew_seconds: spec.faults.clock_skew_seconds }),
      ...(spec.faults?.replays === undefined ? {} : { replays: spec.faults.replays }),
    },
    operator: { ...DEFAULT_OPERATOR, ...spec.operator },
  });
}

/** A probe-fault rule with neutral values for everything not given. */
export function probeFault(rule: Pick<ProbeFault, 'pattern'> & Partial<ProbeFault>): ProbeFault {
  return {
    pattern: rule.pattern,
    refs: rule.refs ?? [],
    hosts: rule.hosts ?? [],
    probe: rule.probe ?? null,
    rate: rule.rate ?? 1,
    after_seconds: rule.after_seconds ?? 0,
  };
}
