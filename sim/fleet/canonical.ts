import type { Channel, DisruptionBudget, Fleet, Host, ProbeFault, RolloutPolicy } from './fleet.ts';

/*
 * The canonical form of a fleet: map keys and host lists sorted (by UTF-16 code units,
 * like `Array.prototype.sort`), tags and ref sets sorted, a host's probes sorted by
 * name, and every object rebuilt with the key order of `fleet.ts`. Lists whose order
 * means something keep it: waves, releases, edges, budgets, fault rules (the first
 * matching rule wins), partitions, CP restarts, clearances, deferral components.
 * Two fleets that mean the same thing have the same JSON text.
 */

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedStrings(list: readonly string[]): string[] {
  return [...list].sort(compareStrings);
}

function sortedRecord<T, U>(
  record: Readonly<Record<string, T>>,
  map: (value: T) => U,
): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(record).sort(compareStrings)) out[key] = map(record[key] as T);
  return out;
}

function channel(c: Channel): Channel {
  return {
    rollout_policy: c.rollout_policy,
    initial_ref: c.initial_ref,
    releases: c.releases.map((r) => ({ at_seconds: r.at_seconds, ref: r.ref })),
  };
}

function policy(p: RolloutPolicy): RolloutPolicy {
  return {
    strategy: p.strategy,
    on_health_failure: p.on_health_failure,
    waves: p.waves.map((w) => ({ hosts: sortedStrings(w.hosts), soak_minutes: w.soak_minutes })),
  };
}

function host(h: Host, shared: Map<string, unknown>): Host {
  return {
    channel: h.channel,
    tags: share(shared, sortedStrings(h.tags)),
    probes: share(
      shared,
      [...h.probes]
        .sort((a, b) => compareStrings(a.name, b.name))
        .map((p) => ({
          name: p.name,
          kind: p.kind,
          mode: p.mode,
          interval_seconds: p.interval_seconds,
          run_once: p.run_once,
        })),
    ),
    initial_closure: h.initial_closure,
  };
}

/**
 * One list for all the hosts whose tags (or probes) are the same: fleets are read only,
 * and a million hosts with a copy each would carry some 170 bytes a host of duplicates.
 */
function share<T>(shared: Map<string, unknown>, value: T): T {
  const key = JSON.stringify(value);
  const known = shared.get(key);
  if (known !== undefined) return known as T;
  shared.set(key, value);
  return value;
}

function budget(b: DisruptionBudget): DisruptionBudget {
  return {
    selector: b.selector,
    hosts: sortedStrings(b.hosts),
    max_in_flight: b.max_in_flight,
    max_in_flight_pct: b.max_in_flight_pct,
  };
}

function probeFault(f: ProbeFault): ProbeFault {
  return {
    pattern: f.pattern,
    refs: sortedStrings(f.refs),
    hosts: sortedStrings(f.hosts),
    probe: f.probe,
    rate: f.rate,
    after_seconds: f.after_seconds,
  };
}

export function canonicalFleet(fleet: Fleet): Fleet {
  const shared = new Map<string, unknown>();
  const { activation, network } = fleet.faults;
  const reboot = fleet.operator.reboot_deferred_after_seconds;
  return {
    name: fleet.name,
    channels: sortedRecord(fleet.channels, channel),
    rollout_policies: sortedRecord(fleet.rollout_policies, policy),
    hosts: sortedRecord(fleet.hosts, (h) => host(h, shared)),
    channel_edges: fleet.channel_edges.map((e) => ({
      gates: e.gates,
      gated: e.gated,
      reason: e.reason,
    })),
    host_edges: fleet.host_edges.map((e) => ({ gated: e.gated, gates: e.gates, reason: e.reason })),
    disruption_budgets: fleet.disruption_budgets.map(budget),
    faults: {
      activation: {
        duration_seconds: [activation.duration_seconds[0], activation.duration_seconds[1]],
        failure_rate: activation.failure_rate,
        deferral_rate: activation.deferral_rate,
        ...(activation.boot_failure_rate === undefined
          ? {}
          : { boot_failure_rate: activation.boot_failure_rate }),
        deferral_components: [...activation.deferral_components],
        failing_refs: sortedStrings(activation.failing_refs),
        deferring_refs: sortedStrings(activation.deferring_refs),
      },
      probes: fleet.faults.probes.map(probeFault),
      network: {
        latency_ms: [network.latency_ms[0], network.latency_ms[1]],
        drop_rate: network.drop_rate,
        duplicate_rate: network.duplicate_rate,
        partitions: network.partitions.map((p) => ({
          hosts: sortedStrings(p.hosts),
          from_seconds: p.from_seconds,
          to_seconds: p.to_seconds,
        })),
      },
      cp_restarts: fleet.faults.cp_restarts.map((r) => ({
        at_seconds: r.at_seconds,
        down_seconds: r.down_seconds,
      })),
      ...(fleet.faults.cp_crashes === undefined
        ? {}
        : { cp_crashes: { ...fleet.faults.cp_crashes } }),
      ...(fleet.faults.successor_releases === undefined
        ? {}
        : { successor_releases: { ...fleet.faults.successor_releases } }),
      ...(fleet.faults.clock_skew_seconds === undefined
        ? {}
        : {
            clock_skew_seconds: [
              fleet.faults.clock_skew_seconds[0],
              fleet.faults.clock_skew_seconds[1],
            ] as const,
          }),
      ...(fleet.faults.replays === undefined ? {} : { replays: { ...fleet.faults.replays } }),
      ...(fleet.faults.manifest_failure_rate === undefined
        ? {}
        : { manifest_failure_rate: fleet.faults.manifest_failure_rate }),
    },
    operator: {
      reboot_deferred_after_seconds: reboot === null ? null : [reboot[0], reboot[1]],
      clearances: fleet.operator.clearances.map((c) => ({
        at_seconds: c.at_seconds,
        channel: c.channel,
        reason: c.reason,
      })),
    },
  };
}
