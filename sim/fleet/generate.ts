import { ON_HEALTH_FAILURE, type OnHealthFailure } from '../../machines/host/state.ts';
import { hostsOf, makeFleet, numbered, probeFault } from './build.ts';
import { DEFAULT_ON_HEALTH_FAILURE, probe } from './defaults.ts';
import type { Channel, ChannelEdge, Fleet, Host, Release, Wave } from './fleet.ts';

/*
 * The fleet generator (`run --hosts N --waves K …`): a deterministic fleet of any size,
 * no randomness involved. Hosts are spread over the channels in contiguous blocks, each
 * channel's hosts are split into waves of geometric size (the first about 1 %, the last
 * the rest: 1 %, 10 %, 100 % cumulative for 3 waves), all channels share one policy,
 * and channel edges chain the channels in order (ring-1 gates ring-2 gates …).
 */

export interface GenerateOptions {
  readonly hosts: number;
  readonly waves: number;
  readonly channels: number;
  /** Soak per wave; default 5. */
  readonly soakMinutes?: number;
  /** Every probe run fails with this probability (a `flaky` rule over every host); default 0. */
  readonly probeFailureRate?: number;
  readonly activationFailureRate?: number;
  readonly deferralRate?: number;
  readonly dropRate?: number;
  readonly duplicateRate?: number;
  /** Default `rollback-and-halt`. */
  readonly onHealthFailure?: OnHealthFailure;
  /** Refs published on each channel after its initial ref; default 0. */
  readonly releases?: number;
  /** Time between those releases; default 60. */
  readonly releaseEveryMinutes?: number;
  /** Default `generated-<hosts>h-<waves>w-<channels>c`. */
  readonly name?: string;
}

export const GENERATE_MAX_HOSTS = 1_000_000;
export const GENERATE_DEFAULT_SOAK_MINUTES = 5;
export const GENERATE_DEFAULT_RELEASE_EVERY_MINUTES = 60;

function integer(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(
      `${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`}, got ${value}`,
    );
  return value;
}

function rate(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1))
    throw new Error(`${name} must be in [0, 1], got ${value}`);
  return value;
}

/** Channel names: `stable` alone, else ring-1…ring-K (zero-padded when K ≥ 10, so they sort in order). */
export function generatedChannelNames(count: number): string[] {
  return count === 1 ? ['stable'] : numbered('ring-', 1, count, String(count).length);
}

/**
 * Cumulative wave ends for `n` hosts in `k` waves: wave i ends at about n · 0.01^((k-1-i)/(k-1)),
 * every wave keeps at least one host, the last ends at n.
 */
export function waveEnds(n: number, k: number): number[] {
  const ends: number[] = [];
  let previous = 0;
  for (let i = 0; i < k; i++) {
    const target = i === k - 1 ? n : Math.round(n * 0.01 ** ((k - 1 - i) / (k - 1)));
    const end = Math.min(n - (k - 1 - i), Math.max(previous + 1, target));
    ends.push(end);
    previous = end;
  }
  return ends;
}

/** A deterministic fleet of the requested shape; throws an `Error` with a one-line message on bad options. */
export function generateFleet(options: GenerateOptions): Fleet {
  const hostCount = integer('hosts', options.hosts, 1, GENERATE_MAX_HOSTS);
  const waveCount = integer('waves', options.waves, 1);
  const channelCount = integer('channels', options.channels, 1);
  const soakMinutes = integer(
    'soakMinutes',
    options.soakMinutes ?? GENERATE_DEFAULT_SOAK_MINUTES,
    0,
  );
  const releases = integer('releases', options.releases ?? 0, 0, 1000);
  const releaseEvery = options.releaseEveryMinutes ?? GENERATE_DEFAULT_RELEASE_EVERY_MINUTES;
  if (!(Number.isFinite(releaseEvery) && releaseEvery > 0))
    throw new Error(`releaseEveryMinutes must be > 0, got ${releaseEvery}`);
  const probeFailureRate = rate('probeFailureRate', options.probeFailureRate);
  const activationFailureRate = rate('activationFailureRate', options.activationFailureRate);
  const deferralRate = rate('deferralRate', options.deferralRate);
  const dropRate = rate('dropRate', options.dropRate);
  const duplicateRate = rate('duplicateRate', options.duplicateRate);
  const onHealthFailure = options.onHealthFailure ?? DEFAULT_ON_HEALTH_FAILURE;
  if (!(ON_HEALTH_FAILURE as readonly string[]).includes(onHealthFailure))
    throw new Error(
      `onHealthFailure must be one of ${ON_HEALTH_FAILURE.join(', ')}, got ${String(onHealthFailure)}`,
    );
  if (channelCount > hostCount)
    throw new Error(
      `channels (${channelCount}) must not exceed hosts (${hostCount}): every channel needs a host`,
    );
  const smallest = Math.floor(hostCount / channelCount);
  if (waveCount > smallest)
    throw new Error(
      `waves (${waveCount}) must not exceed the hosts per channel (${smallest}): every wave needs a host on every channel`,
    );

  const channelNames = generatedChannelNames(channelCount);
  const allHosts = numbered('host-', 1, hostCount, Math.max(2, String(hostCount).length));
  const waveHosts: string[][] = Array.from({ length: waveCount }, () => []);
  const channels: Record<string, Channel> = {};
  const hosts: Record<string, Host> = {};
  const probes = [probe('http')];
  const releaseList: Release[] = [];
  for (let r = 1; r <= releases; r++)
    releaseList.push({
      at_seconds: Math.round(r * releaseEvery * 60 * 1000) / 1000,
      ref: `v${r + 1}`,
    });

  let start = 0;
  channelNames.forEach((channel, c) => {
    const size = smallest + (c < hostCount % channelCount ? 1 : 0);
    const block = allHosts.slice(start, start + size);
    start += size;
    channels[channel] = { rollout_policy: 'default', initial_ref: 'v1', releases: releaseList };
    Object.assign(hosts, hostsOf(block, { channel, tags: [channel], probes }));
    let from = 0;
    waveEnds(size, waveCount).forEach((end, w) => {
      // A loop, not push(...slice): spreading a 100k-element array overflows the stack.
      const into = waveHosts[w] as string[];
      for (let i = from; i < end; i++) into.push(block[i] as string);
      from = end;
    });
  });

  const waves: Wave[] = waveHosts.map((list) => ({ hosts: list, soak_minutes: soakMinutes }));
  const channelEdges: ChannelEdge[] = [];
  for (let c = 1; c < channelNames.length; c++)
    channelEdges.push({
      gates: channelNames[c - 1] as string,
      gated: channelNames[c] as string,
      reason: null,
    });

  return makeFleet({
    name: options.name ?? `generated-${hostCount}h-${waveCount}w-${channelCount}c`,
    channels,
    rollout_policies: {
      default: {
        strategy: waveCount === 1 ? 'all-at-once' : 'staged',
        on_health_failure: onHealthFailure,
        waves,
      },
    },
    hosts,
    channel_edges: channelEdges,
    faults: {
      activation: { failure_rate: activationFailureRate, deferral_rate: deferralRate },
      probes:
        probeFailureRate > 0 ? [probeFault({ pattern: 'flaky', rate: probeFailureRate })] : [],
      network: { drop_rate: dropRate, duplicate_rate: duplicateRate },
    },
  });
}
