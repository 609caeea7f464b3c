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
import { SETTING_NAMES, type Settings } from '../../sim/settings.ts';
import { loadFleetFile } from '../fleet-file/index.ts';
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
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`${flag}: expected ${expected}, got "${text}"`);
  }
  return n;
}

const integer = (flag: string, text: string, min: number) =>
  number(flag, text, (n) => Number.isInteger(n) && n >= min, `an integer ≥ ${min}`);
const rate = (flag: string, text: string) =>
  number(flag, text, (n) => n >= 0 && n <= 1, 'a rate between 0 and 1');

/** `90`, `90s`, `15m`, `2h`, `7d` → seconds. */
export function parseDuration(flag: string, text: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m|h|d)?$/.exec(text.trim());
  if (m === null)
    throw new UsageError(`${flag}: expected a duration like 90s, 15m, 2h or 7d, got "${text}"`);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's'];
  return Number(m[1]) * unit;
}

/** `--set name=value`: a profile flag (true/false) or a numeric setting. */
export function parseSets(sets: readonly string[]): {
  flags: Partial<ProfileFlags>;
  settings: Partial<Settings>;
} {
  const flags: Record<string, boolean> = {};
  const settings: Record<string, number> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    const name = eq < 0 ? set : set.slice(0, eq);
    const value = eq < 0 ? 'true' : set.slice(eq + 1);
    if ((PROFILE_FLAG_NAMES as readonly string[]).includes(name)) {
      if (value !== 'true' && value !== 'false')
        throw new UsageError(`--set ${name}: expected true or false, got "${value}"`);
      flags[name] = value === 'true';
    } else if ((SETTING_NAMES as readonly string[]).includes(name)) {
      settings[name] = number(`--set ${name}`, value, (n) => n >= 0, 'a number ≥ 0');
    } else {
      throw new UsageError(
        `--set: unknown name "${name}" (profile flags: ${PROFILE_FLAG_NAMES.join(', ')}; settings: ${SETTING_NAMES.join(', ')})`,
      );
    }
  }
  return { flags, settings };
}

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

function chooseFleet(f: RunFlags): Fleet {
  const generated = f.hosts !== undefined || f.waves !== undefined || f.channels !== undefined;
  const sources = [f.preset !== undefined, f.fleet !== undefined, generated].filter(Boolean).length;
  if (sources > 1)
    throw new UsageError(
      'choose one fleet: --preset, --fleet, or the generator (--hosts/--waves/--channels)',
    );
  if (f.fleet !== undefined) {
    const loaded = loadFleetFile(f.fleet);
    if (!loaded.ok) throw new InputError(loaded.error);
    return loaded.fleet;
  }
  if (generated) {
    try {
      return generateFleet({
        hosts: integer('--hosts', f.hosts ?? '24', 1),
        waves: integer('--waves', f.waves ?? '3', 1),
        channels: integer('--channels', f.channels ?? '1', 1),
        ...(f.soak === undefined ? {} : { soakMinutes: integer('--soak', f.soak, 0) }),
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
  const preset = PRESETS[name];
  if (preset === undefined)
    throw new UsageError(`--preset: unknown preset "${name}" (known: ${presetNames().join(', ')})`);
  return preset.build();
}

export function resolveRun(f: RunFlags): RunSetup {
  const { flags, settings } = parseSets(f.set);
  return {
    fleet: chooseFleet(f),
    profile: profile(f.profile, flags),
    settings,
    seed: integer('--seed', f.seed, 0),
    untilSeconds: f.until === undefined ? undefined : parseDuration('--until', f.until),
  };
}
