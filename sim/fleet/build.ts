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
  /**
   * Every kind of `Fleet['faults']`, by its own type: a kind added there is a kind taken
   * here, so none can be dropped on the way (a spread cannot be checked for extra keys).
   */
  readonly faults?: Omit<Partial<Fleet['faults']>, 'activation' | 'network'> & {
    readonly activation?: Partial<ActivationFaults>;
    readonly network?: Partial<NetworkFaults>;
  };
  readonly operator?: Partial<Operator>;
}

/** A fleet with the defaults of `defaults.ts` for every part not given, in canonical form. */
export function makeFleet(spec: FleetSpec): Fleet {
  const { activation, network, probes, cp_restarts, ...optional } = spec.faults ?? {};
  return canonicalFleet({
    name: spec.name,
    channels: spec.channels,
    rollout_policies: spec.rollout_policies,
    hosts: spec.hosts,
    channel_edges: spec.channel_edges ?? [],
    host_edges: spec.host_edges ?? [],
    disruption_budgets: spec.disruption_budgets ?? [],
    faults: {
      // The optional kinds pass as given; canonicalFleet leaves out those not set, so a
      // fleet without them draws nothing for them.
      ...optional,
      activation: { ...DEFAULT_ACTIVATION_FAULTS, ...activation },
      probes: probes ?? [],
      network: { ...DEFAULT_NETWORK_FAULTS, ...network },
      cp_restarts: cp_restarts ?? [],
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
