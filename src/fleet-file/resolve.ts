import {
  DEFAULT_ACTIVATION_FAULTS,
  DEFAULT_NETWORK_FAULTS,
  DEFAULT_OPERATOR,
  defaultInitialClosure,
} from '../../sim/fleet/defaults.ts';
import type {
  Channel,
  ChannelEdge,
  DisruptionBudget,
  Fleet,
  Host,
  Partition,
  Probe,
  ProbeFault,
  RolloutPolicy,
  Wave,
} from '../../sim/fleet/fleet.ts';
import { targetClosure } from '../../sim/fleet/fleet.ts';
import {
  type FleetIssue,
  type FleetPath,
  formatFleetPath,
  unknownName,
} from '../../sim/fleet/validate.ts';
import { quote } from '../../sim/quote.ts';
import type { FileProbe, FileProbeRule, FleetFile, Selector } from './schema.ts';

/*
 * A schema-checked fleet file → a `Fleet`: defaults filled in, host_defaults merged,
 * minutes turned into seconds, legacy aliases renamed, and every selector (wave
 * selectors, budget matches, fault-rule tags and waves) expanded to host names. Lists
 * keep the file's order here, so a later `validateFleet` problem points at the file's
 * own index; `parse.ts` puts the result in canonical form afterwards.
 */

class Problem {
  constructor(readonly issue: FleetIssue) {}
}

function fail(path: FleetPath, message: string): never {
  throw new Problem({ path, message });
}

/** Seconds from minutes, to the millisecond (so 0.1 min is 6 s, not 6.000000000000001). */
export function minutesToSeconds(minutes: number): number {
  return Math.round(minutes * 60_000) / 1000;
}

function seconds(v: { readonly [k: string]: unknown }, base: string): number {
  const s = v[`${base}_seconds`];
  if (typeof s === 'number') return s;
  return minutesToSeconds(v[`${base}_minutes`] as number);
}

/** A glob on host names: `*` any run of characters, `?` one character, the rest literal. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (const c of glob)
    source += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  return new RegExp(`^${source}$`);
}

/** Hosts of `candidates` (in their order) that `selector` matches: the glob, and every tag. */
export function selectHosts(
  selector: Selector,
  candidates: readonly string[],
  hosts: Readonly<Record<string, Host>>,
): string[] {
  const glob = typeof selector === 'string' ? selector : selector.glob;
  const tags = typeof selector === 'string' ? [] : (selector.tags ?? []);
  const re = glob === undefined ? null : globToRegExp(glob);
  return candidates.filter((name) => {
    if (re !== null && !re.test(name)) return false;
    const hostTags = hosts[name]?.tags ?? [];
    return tags.every((t) => hostTags.includes(t));
  });
}

function probeOf(p: FileProbe): Probe {
  return {
    name: p.name,
    kind: p.kind,
    mode: p.mode,
    interval_seconds: p.interval_seconds,
    run_once: p.run_once,
  };
}

/** Defaults first, then the host's own probes; a host probe replaces a default of the same name. */
function mergeProbes(defaults: readonly FileProbe[], own: readonly FileProbe[]): Probe[] {
  const ownNames = new Set(own.map((p) => p.name));
  return [...defaults.filter((p) => !ownNames.has(p.name)), ...own].map(probeOf);
}

/**
 * A host that gives no `initial_closure` runs `<host>-base`, which is its target closure
 * for a ref named `base` (host `base`, ref `base`: both `base-base`): such a rollout would
 * have nothing to do. `validateFleet` refuses the same for a closure the file gives, at
 * `hosts.X.initial_closure`; a default is written nowhere, so the problem is named at the
 * host, with where the ref is written.
 */
function refuseDefaultClosure(
  host: string,
  channel: string,
  channels: Readonly<Record<string, Channel>>,
): void {
  const c = channels[channel];
  if (c === undefined) return;
  const closure = defaultInitialClosure(host);
  const refs: [string, FleetPath][] = [
    [c.initial_ref, ['channels', channel, 'initial_ref']],
    ...c.releases.map((r, i): [string, FleetPath] => [
      r.ref,
      ['channels', channel, 'releases', i, 'ref'],
    ]),
  ];
  for (const [ref, at] of refs)
    if (targetClosure(host, ref) === closure)
      fail(
        ['hosts', host],
        `its default initial_closure ${quote(closure)} is the host's target closure for ref ${quote(ref)} (${formatFleetPath(at)}): give the host an initial_closure`,
      );
}

export function resolveFleetFile(
  file: FleetFile,
  defaultName: string,
): { ok: true; fleet: Fleet } | { ok: false; issue: FleetIssue } {
  try {
    return { ok: true, fleet: resolve(file, defaultName) };
  } catch (e) {
    if (e instanceof Problem) return { ok: false, issue: e.issue };
    throw e;
  }
}

function resolve(file: FleetFile, defaultName: string): Fleet {
  const policyNames = Object.keys(file.rollout_policies);
  const channelNames = Object.keys(file.channels);

  // Channels.
  const channels: Record<string, Channel> = {};
  for (const [name, c] of Object.entries(file.channels)) {
    if (!Object.hasOwn(file.rollout_policies, c.rollout_policy))
      fail(
        ['channels', name, 'rollout_policy'],
        unknownName('policy', c.rollout_policy, policyNames),
      );
    channels[name] = {
      rollout_policy: c.rollout_policy,
      initial_ref: c.initial_ref,
      releases: c.releases.map((r) => ({ at_seconds: seconds(r, 'at'), ref: r.ref })),
    };
  }

  // Hosts, with host_defaults merged in.
  const defaults = file.host_defaults ?? {};
  const hosts: Record<string, Host> = {};
  for (const [name, declared] of Object.entries(file.hosts)) {
    const h = declared ?? {};
    const channel = h.channel ?? defaults.channel;
    if (channel === undefined)
      fail(['hosts', name, 'channel'], 'missing (set it on the host or in host_defaults)');
    if (!Object.hasOwn(file.channels, channel))
      fail(
        h.channel === undefined ? ['host_defaults', 'channel'] : ['hosts', name, 'channel'],
        unknownName('channel', channel, channelNames),
      );
    if (h.initial_closure === undefined) refuseDefaultClosure(name, channel, channels);
    hosts[name] = {
      channel,
      tags: [...new Set([...(defaults.tags ?? []), ...(h.tags ?? [])])],
      probes: mergeProbes(defaults.probes ?? [], h.probes ?? []),
      initial_closure: h.initial_closure ?? defaultInitialClosure(name),
    };
  }
  const hostNames = Object.keys(hosts);

  // Rollout policies: selectors match hosts of the channels that use the policy.
  const rollout_policies: Record<string, RolloutPolicy> = {};
  for (const [name, p] of Object.entries(file.rollout_policies)) {
    const using = channelNames.filter((c) => channels[c]?.rollout_policy === name);
    const candidates = hostNames.filter((h) => using.includes(hosts[h]?.channel ?? ''));
    let waves: Wave[];
    if (p.waves === undefined || p.waves.length === 0) {
      // spec §3.10: all-at-once without waves is one match-all wave with soak 0.
      waves = [{ hosts: candidates, soak_minutes: 0 }];
    } else {
      // A selector wave takes the matching hosts that no earlier wave has taken.
      const placed = new Set<string>();
      waves = p.waves.map((w, i) => {
        let list = w.hosts;
        if (list === undefined) {
          list = selectHosts(w.selector as Selector, candidates, hosts).filter(
            (h) => !placed.has(h),
          );
          if (list.length === 0)
            fail(
              ['rollout_policies', name, 'waves', i, 'selector'],
              using.length === 0
                ? `matches no host: no channel uses policy "${name}"`
                : `matches no host of ${using.map((c) => `"${c}"`).join(', ')} that is not already in an earlier wave`,
            );
        }
        for (const h of list) placed.add(h);
        return { hosts: list, soak_minutes: w.soak_minutes };
      });
    }
    rollout_policies[name] = {
      strategy: p.strategy,
      on_health_failure: p.on_health_failure,
      waves,
    };
  }

  const channel_edges: ChannelEdge[] = (file.channel_edges ?? []).map((e) => ({
    gates: (e.gates ?? e.before) as string,
    gated: (e.gated ?? e.after) as string,
    reason: e.reason ?? null,
  }));

  const disruption_budgets: DisruptionBudget[] = (file.disruption_budgets ?? []).map((b, i) => {
    let list = b.hosts;
    if (list === undefined) {
      list = selectHosts(b.match as Selector, hostNames, hosts);
      if (list.length === 0) fail(['disruption_budgets', i, 'match'], 'matches no host');
    }
    return {
      selector: b.selector,
      hosts: list,
      max_in_flight: b.max_in_flight ?? null,
      max_in_flight_pct: b.max_in_flight_pct ?? null,
    };
  });

  // The wave index of each host within its own channel's policy (the first wave naming it).
  const wavesOfPolicy = new Map<string, Map<string, number>>();
  for (const [name, policy] of Object.entries(rollout_policies)) {
    const index = new Map<string, number>();
    policy.waves.forEach((w, i) => {
      for (const h of w.hosts) if (!index.has(h)) index.set(h, i);
    });
    wavesOfPolicy.set(name, index);
  }
  const waveOf = new Map<string, number>();
  for (const name of hostNames) {
    const policy = channels[hosts[name]?.channel ?? '']?.rollout_policy ?? '';
    const index = wavesOfPolicy.get(policy)?.get(name);
    if (index !== undefined) waveOf.set(name, index);
  }

  const rule = (r: FileProbeRule, i: number): ProbeFault => {
    let targets: readonly string[] = r.hosts ?? [];
    if (r.tags !== undefined) {
      targets = selectHosts({ tags: r.tags }, hostNames, hosts);
      if (targets.length === 0) fail(['faults', 'probes', i, 'tags'], 'matches no host');
    } else if (r.waves !== undefined) {
      const wanted = new Set(r.waves);
      targets = hostNames.filter((h) => wanted.has(waveOf.get(h) ?? -1));
      if (targets.length === 0)
        fail(
          ['faults', 'probes', i, 'waves'],
          "matches no host: no host is in these waves of its channel's policy",
        );
    }
    return {
      pattern: r.pattern,
      refs: r.refs ?? [],
      hosts: targets,
      probe: r.probe ?? null,
      rate: r.rate ?? 1,
      after_seconds: r.after_seconds ?? 0,
    };
  };

  const faults = file.faults ?? {};
  const activation = faults.activation ?? {};
  const network = faults.network ?? {};
  const operator = file.operator ?? {};
  const reboot = operator.reboot_deferred_after_minutes;

  return {
    name: file.name ?? defaultName,
    channels,
    rollout_policies,
    hosts,
    channel_edges,
    host_edges: (file.host_edges ?? []).map((e) => ({
      gated: e.gated,
      gates: e.gates,
      reason: e.reason ?? null,
    })),
    disruption_budgets,
    faults: {
      activation: {
        duration_seconds: activation.duration_seconds ?? DEFAULT_ACTIVATION_FAULTS.duration_seconds,
        failure_rate: activation.failure_rate ?? DEFAULT_ACTIVATION_FAULTS.failure_rate,
        deferral_rate: activation.deferral_rate ?? DEFAULT_ACTIVATION_FAULTS.deferral_rate,
        ...(activation.boot_failure_rate === undefined
          ? {}
          : { boot_failure_rate: activation.boot_failure_rate }),
        deferral_components:
          activation.deferral_components ?? DEFAULT_ACTIVATION_FAULTS.deferral_components,
        failing_refs: activation.failing_refs ?? [],
        deferring_refs: activation.deferring_refs ?? [],
      },
      probes: (faults.probes ?? []).map(rule),
      network: {
        latency_ms: network.latency_ms ?? DEFAULT_NETWORK_FAULTS.latency_ms,
        drop_rate: network.drop_rate ?? DEFAULT_NETWORK_FAULTS.drop_rate,
        duplicate_rate: network.duplicate_rate ?? DEFAULT_NETWORK_FAULTS.duplicate_rate,
        partitions: (network.partitions ?? []).map(
          (p): Partition => ({
            hosts: p.hosts ?? [],
            from_seconds: seconds(p, 'from'),
            to_seconds: seconds(p, 'to'),
          }),
        ),
      },
      cp_restarts: (faults.cp_restarts ?? []).map((r) => ({
        at_seconds: seconds(r, 'at'),
        down_seconds: r.down_seconds,
      })),
      ...(faults.cp_crashes === undefined ? {} : { cp_crashes: { ...faults.cp_crashes } }),
      ...(faults.successor_releases === undefined
        ? {}
        : { successor_releases: { ...faults.successor_releases } }),
      ...(faults.clock_skew_seconds === undefined
        ? {}
        : { clock_skew_seconds: faults.clock_skew_seconds }),
      ...(faults.replays === undefined
        ? {}
        : {
            replays: {
              events_past_route: faults.replays.events_past_route ?? 0,
              wave_advances: faults.replays.wave_advances ?? 0,
            },
          }),
      ...(faults.manifest_failure_rate === undefined
        ? {}
        : { manifest_failure_rate: faults.manifest_failure_rate }),
    },
    operator: {
      reboot_deferred_after_seconds:
        reboot === undefined
          ? DEFAULT_OPERATOR.reboot_deferred_after_seconds
          : reboot === null
            ? null
            : [minutesToSeconds(reboot[0]), minutesToSeconds(reboot[1])],
      clearances: (operator.clearances ?? []).map((c) => ({
        at_seconds: seconds(c, 'at'),
        channel: c.channel,
        reason: c.reason ?? 'operator clearance',
      })),
    },
  };
}
