import { channelWaves, type Fleet } from '../../../sim/fleet/fleet.ts';
import type { Profile } from '../../../sim/profile.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { RUN_START } from '../../../sim/world.ts';

/*
 * What the screens know about a run before its first record: the fleet's hosts, each
 * host's channel and wave, and the run's identity for the header. Hosts are numbered
 * (sorted by name) so that per-rollout host state lives in typed arrays: a 10,000-host
 * view model then copies in microseconds, which is what makes replay checkpoints cheap.
 */

export interface ChannelMeta {
  readonly name: string;
  /** Host indices per wave; a last extra row holds the channel's hosts in no wave, if any. */
  readonly waves: readonly (readonly number[])[];
  /** True when the last row of `waves` is the "in no wave" row. */
  readonly unstaged: boolean;
}

export interface ModelMeta {
  readonly fleet: string;
  readonly profile: string;
  readonly seed: number;
  /** The run's start on the virtual clock; times are shown relative to it. */
  readonly start: number;
  readonly hosts: readonly string[];
  readonly hostIndex: ReadonlyMap<string, number>;
  /** Per host index: its channel. */
  readonly hostChannel: readonly string[];
  /** Per host index: its row in its channel's `waves`. */
  readonly hostWave: Int32Array;
  /** Per host index: the closure it runs before any rollout. */
  readonly initialClosure: readonly (string | null)[];
  readonly channels: ReadonlyMap<string, ChannelMeta>;
}

interface Layout {
  readonly fleet: string;
  readonly profile: string;
  readonly seed: number;
  readonly start: number;
  /** host → channel, waves per channel (host names), initial closures. */
  readonly hostChannel: ReadonlyMap<string, string>;
  readonly channelWaves: ReadonlyMap<string, readonly (readonly string[])[]>;
  readonly initialClosure?: ReadonlyMap<string, string>;
}

function build(layout: Layout): ModelMeta {
  const hosts = [...layout.hostChannel.keys()].sort();
  const hostIndex = new Map(hosts.map((h, i) => [h, i]));
  const hostWave = new Int32Array(hosts.length).fill(-1);
  const channels = new Map<string, ChannelMeta>();
  const channelNames = [
    ...new Set([...layout.channelWaves.keys(), ...layout.hostChannel.values()]),
  ].sort();
  for (const name of channelNames) {
    const waves: number[][] = (layout.channelWaves.get(name) ?? []).map((w) =>
      w.flatMap((h) => {
        const i = hostIndex.get(h);
        if (i === undefined || hostWave[i] !== -1) return [];
        hostWave[i] = -2; // placed; the row number is written below
        return [i];
      }),
    );
    waves.forEach((w, row) => {
      for (const i of w) hostWave[i] = row;
    });
    const loose = hosts.flatMap((h, i) =>
      layout.hostChannel.get(h) === name && hostWave[i] === -1 ? [i] : [],
    );
    if (loose.length > 0) {
      for (const i of loose) hostWave[i] = waves.length;
      waves.push(loose);
    }
    channels.set(name, { name, waves, unstaged: loose.length > 0 });
  }
  return {
    fleet: layout.fleet,
    profile: layout.profile,
    seed: layout.seed,
    start: layout.start,
    hosts,
    hostIndex,
    hostChannel: hosts.map((h) => layout.hostChannel.get(h) ?? ''),
    hostWave,
    initialClosure: hosts.map((h) => layout.initialClosure?.get(h) ?? null),
    channels,
  };
}

/** The meta of a run of `fleet` (a live run, or a trace with its header). */
export function metaFromFleet(
  fleet: Fleet,
  run: { readonly profile: Profile; readonly seed: number; readonly start?: number },
): ModelMeta {
  const hostChannel = new Map(Object.entries(fleet.hosts).map(([h, host]) => [h, host.channel]));
  const waves = new Map(
    Object.keys(fleet.channels).map((c) => [c, channelWaves(fleet, c).map((w) => w.hosts)]),
  );
  return build({
    fleet: fleet.name,
    profile: run.profile.name === 'custom' ? `custom (${run.profile.base})` : run.profile.name,
    seed: run.seed,
    start: run.start ?? RUN_START,
    hostChannel,
    channelWaves: waves,
    initialClosure: new Map(
      Object.entries(fleet.hosts).map(([h, host]) => [h, host.initial_closure]),
    ),
  });
}

/**
 * The meta of records without their header (e.g. a counterexample handed over in
 * memory): hosts and waves as the records name them (`HostJoined`, `dispatch`), channels
 * from `rollout_opened`.
 */
export function metaFromRecords(
  records: readonly TraceRecord[],
  run: { readonly fleet?: string; readonly profile?: string; readonly seed?: number } = {},
): ModelMeta {
  const channelOf = new Map<string, string>();
  const hostChannel = new Map<string, string>();
  const waveOf = new Map<string, number>();
  const channel = (rolloutId: string) => channelOf.get(rolloutId) ?? rolloutId.split('@')[0] ?? '';
  for (const r of records) {
    if (r.type === 'rollout_opened') channelOf.set(r.rolloutId, r.channel);
    else if (r.type === 'rollout_event' && r.event.type === 'HostJoined') {
      hostChannel.set(r.event.hostId, channel(r.rolloutId));
      if (!waveOf.has(r.event.hostId)) waveOf.set(r.event.hostId, r.event.wave);
    } else if (r.type === 'dispatch') {
      hostChannel.set(r.host, channel(r.rolloutId));
      if (!waveOf.has(r.host)) waveOf.set(r.host, r.wave);
    } else if (r.type === 'host_transition' || r.type === 'gate') {
      if (!hostChannel.has(r.host)) hostChannel.set(r.host, channel(r.rolloutId));
    }
  }
  const channelWavesOf = new Map<string, string[][]>();
  for (const [host, c] of hostChannel) {
    const wave = waveOf.get(host);
    if (wave === undefined) continue;
    const waves = channelWavesOf.get(c) ?? [];
    channelWavesOf.set(c, waves);
    while (waves.length <= wave) waves.push([]);
    waves[wave]?.push(host);
  }
  for (const waves of channelWavesOf.values()) for (const w of waves) w.sort();
  const first = records[0];
  return build({
    fleet: run.fleet ?? 'unnamed',
    profile: run.profile ?? 'unknown',
    seed: run.seed ?? 0,
    start: first === undefined ? RUN_START : Math.min(RUN_START, first.t),
    hostChannel,
    channelWaves: channelWavesOf,
  });
}
