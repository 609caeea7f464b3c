import type { Fleet } from '../fleet/fleet.ts';

/*
 * What `explore` may make go wrong. For `explore` only whether a fault is possible
 * matters, not its rate: every choice point branches both ways. `fleet` keeps the faults
 * the fleet declares; `all` makes every kind possible everywhere — a lost or doubled
 * message, a late delivery, a switch that fails or defers, a reboot that fails after a
 * deferral, a probe that breaks and stays down, a host clock a minute ahead, an event
 * replayed past the route, a stale WaveAdvanced, a successor ref published whatever state
 * the rollout is in, a control-plane crash, a manifest poll that leaves a channel out — which
 * is the question a designer asks of a control plane: what can go wrong here?
 */
export type FaultAlphabet = 'fleet' | 'all';

/** Any rate strictly between 0 and 1 makes a choice point; this one reads as "possible". */
const POSSIBLE = 0.5;

export function withFaultAlphabet(fleet: Fleet, alphabet: FaultAlphabet): Fleet {
  if (alphabet === 'fleet') return fleet;
  const { activation, network, probes } = fleet.faults;
  const possible = (rate: number) => (rate > 0 ? rate : POSSIBLE);
  const [min, max] = network.latency_ms;
  return {
    ...fleet,
    // A deferred host is rebooted, so the way out of Deferred is explored too.
    operator: {
      ...fleet.operator,
      reboot_deferred_after_seconds: fleet.operator.reboot_deferred_after_seconds ?? [120, 120],
    },
    faults: {
      ...fleet.faults,
      activation: {
        ...activation,
        failure_rate: possible(activation.failure_rate),
        deferral_rate: possible(activation.deferral_rate),
        boot_failure_rate: possible(activation.boot_failure_rate ?? 0),
      },
      network: {
        ...network,
        latency_ms: min < max ? network.latency_ms : [min, Math.max(max, min + 50)],
        drop_rate: possible(network.drop_rate),
        duplicate_rate: possible(network.duplicate_rate),
      },
      // A host's clock may run a minute ahead (its soak ends early by the CP's clock); the
      // on-time answer is the fleet's own, or no skew.
      clock_skew_seconds: fleet.faults.clock_skew_seconds ?? [0, 60],
      // A repeated event may slip past the route; a WaveAdvanced may come again, stale.
      replays: {
        events_past_route: possible(fleet.faults.replays?.events_past_route ?? 0),
        wave_advances: possible(fleet.faults.replays?.wave_advances ?? 0),
      },
      // A channel's manifest poll may fail (the channel left out of the cache until the next).
      manifest_failure_rate: possible(fleet.faults.manifest_failure_rate ?? 0),
      // The control plane may crash at any minute of the first half hour, for a minute: every
      // instant of that window falls inside one such outage (a prune falling due, a wave
      // advancing, an event arriving), and its restart replays what it lost.
      cp_crashes: fleet.faults.cp_crashes ?? {
        rate: POSSIBLE,
        every_seconds: 60,
        until_seconds: 1800,
        down_seconds: 60,
      },
      // A hotfix ref may land on any channel at any minute of the first half hour, whatever
      // state its rollout is in.
      successor_releases: fleet.faults.successor_releases ?? {
        rate: POSSIBLE,
        every_seconds: 60,
        until_seconds: 1800,
      },
      // After the fleet's own rules, which match first: their patterns stand.
      probes: [
        ...probes,
        { pattern: 'breaks', refs: [], hosts: [], probe: null, rate: POSSIBLE, after_seconds: 0 },
      ],
    },
  };
}
