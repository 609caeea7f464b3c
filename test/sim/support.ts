import type { HostState } from '../../machines/host/state.ts';
import type { RolloutId } from '../../machines/rollout/state.ts';
import { channelWaves, type Fleet } from '../../sim/fleet/fleet.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { type Profile, type ProfileName, profile } from '../../sim/profile.ts';
import type { Settings } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * Shared helpers for the simulator's scenario, determinism, format and invariant tests:
 * run a fleet while collecting every trace record, and rebuild views of the world (the
 * control plane's host states, the wave cursor) from the records alone.
 */

/** The presets small enough to run many times in a test (everything but the staged-Nk fleets). */
export const SMALL_PRESETS = Object.keys(PRESETS).filter((name) => !name.startsWith('staged-'));

export const PROFILE_NAMES: readonly ProfileName[] = ['faithful', 'intent'];

export function presetFleet(name: string): Fleet {
  const preset = PRESETS[name];
  if (preset === undefined) throw new Error(`no preset "${name}"`);
  return preset.build();
}

/** What `simulate` returns (kept structural: the engine's types are being reshaped). */
export type SimulationResult = ReturnType<typeof simulate>;

export interface Run extends SimulationResult {
  readonly fleet: Fleet;
  readonly records: readonly TraceRecord[];
}

export interface RunOptions {
  readonly seed?: number;
  readonly settings?: Partial<Settings>;
  readonly untilSeconds?: number;
}

/** Simulate `fleet` (or a preset by name) and keep every record the sink received. */
export function run(
  fleetOrPreset: Fleet | string,
  prof: ProfileName | Profile,
  options: RunOptions = {},
): Run {
  const fleet = typeof fleetOrPreset === 'string' ? presetFleet(fleetOrPreset) : fleetOrPreset;
  const records: TraceRecord[] = [];
  const sim = simulate({
    fleet,
    profile: typeof prof === 'string' ? profile(prof) : prof,
    seed: options.seed ?? 1,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    ...(options.untilSeconds === undefined ? {} : { untilSeconds: options.untilSeconds }),
    sink: (r) => records.push(r),
  });
  return { ...sim, fleet, records };
}

export type Of<T extends TraceRecord['type']> = Extract<TraceRecord, { type: T }>;

export function ofType<T extends TraceRecord['type']>(
  records: readonly TraceRecord[],
  type: T,
): Of<T>[] {
  return records.filter((r): r is Of<T> => r.type === type);
}

/** The hosts of `channel`, sorted (the rollout's `host_set`). */
export function channelHosts(fleet: Fleet, channel: string): string[] {
  return Object.entries(fleet.hosts)
    .filter(([, h]) => h.channel === channel)
    .map(([name]) => name)
    .sort();
}

/** The wave index of `host` within `channel`'s waves, or -1. */
export function waveOf(fleet: Fleet, channel: string, host: string): number {
  return channelWaves(fleet, channel).findIndex((w) => w.hosts.includes(host));
}

/**
 * The control plane's host states rebuilt from the trace: every host of a channel is
 * `Pending` from its rollout's `rollout_opened` (HostJoined at open, spec §4.2), and then
 * follows the `host_transition` records with side `cp`. `visit` sees each record after
 * it was applied, with the states as they are at that point.
 */
export function replayCpStates(
  fleet: Fleet,
  records: readonly TraceRecord[],
  visit: (
    record: TraceRecord,
    index: number,
    states: ReadonlyMap<RolloutId, ReadonlyMap<string, HostState>>,
  ) => void = () => {},
): Map<RolloutId, Map<string, HostState>> {
  const states = new Map<RolloutId, Map<string, HostState>>();
  records.forEach((r, index) => {
    if (r.type === 'rollout_opened') {
      states.set(
        r.rolloutId,
        new Map(channelHosts(fleet, r.channel).map((h) => [h, 'Pending' as HostState])),
      );
    } else if (r.type === 'host_transition' && r.side === 'cp') {
      const byHost = states.get(r.rolloutId);
      if (byHost === undefined) throw new Error(`cp transition for unopened ${r.rolloutId}`);
      const prior = byHost.get(r.host);
      if (prior !== r.from) {
        throw new Error(
          `record ${index}: ${r.rolloutId}/${r.host} transition from ${r.from}, but the trace had it ${prior}`,
        );
      }
      byHost.set(r.host, r.to);
    }
    visit(r, index, states);
  });
  return states;
}

/** Host-state counts as a plain object (for readable failure messages). */
export function countStates(
  states: ReadonlyMap<string, HostState> | undefined,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of states?.values() ?? []) out[s] = (out[s] ?? 0) + 1;
  return out;
}

/** The `t` of a record in seconds since the run's start (as trace files write it). */
export function seconds(t: number, start: number): number {
  return (t - start) / 1000;
}
