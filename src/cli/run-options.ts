import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { PRESETS, presetNames } from '../../sim/fleet/presets/index.ts';
import {
  PROFILE_FLAG_NAMES,
  type Profile,
  type ProfileFlags,
  type ProfileName,
  profile,
} from '../../sim/profile.ts';
import { quote } from '../../sim/quote.ts';
import { MAX_SIM_SEED } from '../../sim/random.ts';
import {
  CLOCK_RESOLUTION_SECS,
  DECIMAL,
  DEFAULT_SETTINGS,
  parseSetting,
  roundTripProblem,
  SETTING_NAMES,
  type Settings,
  TEN_YEARS_SECS,
} from '../../sim/settings.ts';
import { loadFleetFile } from '../fleet-file/index.ts';
import { readTraceHeader } from '../trace/read-trace.ts';
import { checkFleetFileBudget, checkHostBudget } from './memory-budget.ts';
import { InputError, UsageError } from './usage-error.ts';

/** The flags `run` (and later `check`) share for choosing a fleet and how it behaves. */
export interface RunFlags {
  readonly preset?: string;
  readonly fleet?: string;
  readonly hosts?: string;
  readonly waves?: string;
  readonly channels?: string;
  readonly soak?: string;
  readonly probeFailureRate?: string;
  readonly activationFailureRate?: string;
  readonly deferralRate?: string;
  readonly dropRate?: string;
  readonly duplicateRate?: string;
  readonly seed: string;
  readonly profile: ProfileName;
  readonly set: readonly string[];
  readonly until?: string;
}

export interface RunSetup {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly settings: Partial<Settings>;
  readonly seed: number;
  readonly untilSeconds: number | undefined;
}

function number(
  flag: string,
  text: string,
  check: (n: number) => boolean,
  expected: string,
): number {
  const n = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(n) || !check(n)) {
    throw new UsageError(`${flag}: expected ${expected}, got ${quote(text)}`);
  }
  return n;
}

/**
 * An integer in [min, max]; every count and seed the CLI takes goes through this. Plain
 * decimal digits only, with a leading '-' where negatives are allowed: `Number` would
 * also take `0x10`, `1e3`, `0b11`, ` 7 ` or `+7`, none of which a seed or count is
 * printed as.
 */
export function integer(flag: string, text: string, min: number, max: number): number {
  const n = (min < 0 ? /^-?\d+$/ : /^\d+$/).test(text) ? Number(text) : Number.NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`${flag}: expected an integer ${min}..${max}, got ${quote(text)}`);
  return n;
}

/** The most hosts a generated fleet may have (memory, not the engine, is the limit). */
const MAX_HOSTS = 1_000_000;
/** Ten years: simulated instants stay exact integers of milliseconds well below 2^53. */
const MAX_SECONDS = TEN_YEARS_SECS;
const rate = (flag: string, text: string) =>
  number(flag, text, (n) => n >= 0 && n <= 1, 'a rate between 0 and 1');

/** `90`, `90s`, `15m`, `2h`, `7d` → seconds; no spaces around it, as no number flag takes. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text);
  if (m === null)
    throw new UsageError(
      `${flag}: expected a duration like 90s, 15m, 2h or 7d, got ${quote(text)}`,
    );
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's'];
  const seconds = Number(m[1]) * unit;
  // Below the clock's millisecond a duration is no time at all.
  if (seconds < CLOCK_RESOLUTION_SECS || seconds > MAX_SECONDS)
    throw new UsageError(
      `${flag}: expected a duration of at least 0.001s and at most 3650d, got ${quote(text)}`,
    );
  return seconds;
}

/** `--set name=value`: a profile flag (true/false) or a numeric setting. */
export function parseSets(sets: readonly string[]): {
  flags: Partial<ProfileFlags>;
  settings: Partial<Settings>;
} {
  const flags: Record<string, boolean> = {};
  const settings: Record<string, number> = {};
  const names = new Set<string>();
  for (const set of sets) {
    const eq = set.indexOf('=');
    const name = eq < 0 ? set : set.slice(0, eq);
    const value = eq < 0 ? 'true' : set.slice(eq + 1);
    // --set is repeatable, one name at a time: a name set twice would keep the last.
    if (names.has(name)) throw new UsageError(`--set ${name} given twice`);
    names.add(name);
    if ((PROFILE_FLAG_NAMES as readonly string[]).includes(name)) {
      if (value !== 'true' && value !== 'false')
        throw new UsageError(`--set ${name}: expected true or false, got ${quote(value)}`);
      flags[name] = value === 'true';
    } else if ((SETTING_NAMES as readonly string[]).includes(name)) {
      const parsed = parseSetting(name as keyof Settings, value);
      if (!parsed.ok)
        throw new UsageError(`--set ${name}: expected ${parsed.expected}, got ${quote(value)}`);
      settings[name] = parsed.value;
    } else {
      throw new UsageError(
        `--set: unknown name ${quote(name)} (profile flags: ${PROFILE_FLAG_NAMES.join(', ')}; settings: ${SETTING_NAMES.join(', ')})`,
      );
    }
  }
  return { flags, settings };
}

/** Whether `--fleet` names a trace (JSON Lines) rather than a fleet file (YAML or JSON). */
export const isTracePath = (path: string): boolean => /\.jsonl$/i.test(path);

/** The flags that fixed the fleet, as a command line would give them; null when none did. */
export function resolveFleetChoice(f: RunFlags): string | null {
  if (f.preset !== undefined) return `--preset ${f.preset}`;
  if (f.fleet !== undefined) return `--fleet ${f.fleet}`;
  const generated: [string, string | undefined][] = [
    ['--hosts', f.hosts],
    ['--waves', f.waves],
    ['--channels', f.channels],
    ['--soak', f.soak],
    ['--probe-failure-rate', f.probeFailureRate],
    ['--activation-failure-rate', f.activationFailureRate],
    ['--deferral-rate', f.deferralRate],
    ['--drop-rate', f.dropRate],
    ['--duplicate-rate', f.duplicateRate],
  ];
  const given = generated.filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v}`);
  return f.hosts === undefined && f.waves === undefined && f.channels === undefined
    ? null
    : given.join(' ');
}

/** The generator's shape and fault flags: they mean nothing for a preset or a fleet file. */
export function generatorOnlyFlags(f: RunFlags): string[] {
  const only: [string, string | undefined][] = [
    ['--soak', f.soak],
    ['--probe-failure-rate', f.probeFailureRate],
    ['--activation-failure-rate', f.activationFailureRate],
    ['--deferral-rate', f.deferralRate],
    ['--drop-rate', f.dropRate],
    ['--duplicate-rate', f.duplicateRate],
  ];
  return only.filter(([, v]) => v !== undefined).map(([k]) => k);
}

function chooseFleet(f: RunFlags): Fleet {
  const generated = f.hosts !== undefined || f.waves !== undefined || f.channels !== undefined;
  const sources = [f.preset !== undefined, f.fleet !== undefined, generated].filter(Boolean).length;
  if (sources > 1)
    throw new UsageError(
      'choose one fleet: --preset, --fleet, or the generator (--hosts/--waves/--channels)',
    );
  // Ignoring them would run a different fleet from the one the user asked for.
  const stray = generatorOnlyFlags(f);
  if (!generated && stray.length > 0) {
    const source = f.fleet !== undefined ? '--fleet' : '--preset';
    throw new UsageError(
      `${stray.join(', ')}: only for a generated fleet (--hosts/--waves/--channels), not with ${source}${f.preset === undefined && f.fleet === undefined ? ' (the default, demo)' : ''}`,
    );
  }
  if (f.fleet !== undefined) {
    // A trace names the fleet it ran in its header: a counterexample `check` wrote can be
    // checked on other seeds, explored, or run again without writing its fleet out.
    let fleet: Fleet;
    if (isTracePath(f.fleet)) fleet = readTraceHeader(f.fleet).header.fleet;
    else {
      const loaded = loadFleetFile(f.fleet, checkFleetFileBudget(f.fleet));
      if (!loaded.ok) throw new InputError(loaded.error);
      fleet = loaded.fleet;
    }
    checkHostBudget(
      Object.keys(fleet.hosts).length,
      f.fleet,
      undefined,
      Object.keys(fleet.channels).length,
    );
    return fleet;
  }
  if (generated) {
    const hosts = integer('--hosts', f.hosts ?? '24', 1, MAX_HOSTS);
    const channels = integer('--channels', f.channels ?? '1', 1, MAX_HOSTS);
    checkHostBudget(hosts, '--hosts', undefined, channels);
    try {
      return generateFleet({
        hosts,
        waves: integer('--waves', f.waves ?? '3', 1, MAX_HOSTS),
        channels,
        ...(f.soak === undefined
          ? {}
          : { soakMinutes: integer('--soak', f.soak, 0, MAX_SECONDS / 60) }),
        ...(f.probeFailureRate === undefined
          ? {}
          : { probeFailureRate: rate('--probe-failure-rate', f.probeFailureRate) }),
        ...(f.activationFailureRate === undefined
          ? {}
          : { activationFailureRate: rate('--activation-failure-rate', f.activationFailureRate) }),
        ...(f.deferralRate === undefined
          ? {}
          : { deferralRate: rate('--deferral-rate', f.deferralRate) }),
        ...(f.dropRate === undefined ? {} : { dropRate: rate('--drop-rate', f.dropRate) }),
        ...(f.duplicateRate === undefined
          ? {}
          : { duplicateRate: rate('--duplicate-rate', f.duplicateRate) }),
      });
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError((error as Error).message);
    }
  }
  const name = f.preset ?? 'demo';
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (preset === undefined)
    throw new UsageError(
      `--preset: unknown preset ${quote(name)} (known: ${presetNames().join(', ')})`,
    );
  return preset.build();
}

/**
 * An error when the settings cannot work on the fleet's wire (see `roundTripProblem`):
 * blamed on `--set` when it gave the timeout, else on the fleet file's latency.
 */
export function requireRoundTrip(
  fleet: Fleet,
  settings: Partial<Settings>,
  file: string | undefined,
): void {
  const problem = roundTripProblem(
    { ...DEFAULT_SETTINGS, ...settings },
    fleet.faults.network.latency_ms[1],
  );
  if (problem === null) return;
  if (settings.request_timeout_secs === undefined && file !== undefined)
    throw new InputError(`${file}: faults.network.latency_ms: ${problem}`);
  throw new UsageError(`--set: ${problem}`);
}

export function resolveRun(f: RunFlags): RunSetup {
  const { flags, settings } = parseSets(f.set);
  const fleet = chooseFleet(f);
  requireRoundTrip(fleet, settings, f.fleet);
  return {
    fleet,
    profile: profile(f.profile, flags),
    settings,
    seed: integer('--seed', f.seed, 0, MAX_SIM_SEED),
    untilSeconds: f.until === undefined ? undefined : parseDuration('--until', f.until),
  };
}
