import type { Variant } from '../../../sim/compare/variant.ts';
import { PROFILE_FLAG_NAMES, PROFILES, type ProfileName } from '../../../sim/profile.ts';
import { quote } from '../../../sim/quote.ts';
import {
  parseSetting,
  SETTING_NAMES,
  type Settings,
  TEN_YEARS_SECS,
} from '../../../sim/settings.ts';

/** The keys a variant may set, beside every profile flag and setting name. */
export const VARIANT_KEYS = [
  'profile',
  'on_health_failure',
  'soak_minutes',
  'wave_sizes',
  'max_in_flight',
] as const;

/** Thrown with the one-line text; the caller says where (flag or file path). */
export class VariantError extends Error {}

/**
 * A value as a message shows it: a string quoted (control characters escaped), anything
 * else as JSON, as fleet files show what they refuse (`got "bogus"`, `got 2.5`).
 */
// JSON writes NaN and the infinities as null: YAML's `.nan` was shown as "got null".
const shown = (raw: unknown): string =>
  typeof raw === 'string'
    ? quote(raw)
    : typeof raw === 'number'
      ? String(raw)
      : (JSON.stringify(raw) ?? String(raw));

/** Digits only, as `--seed` takes them: not `0x10`, `' 4 '` or `1e3`. */
const wholeNumber = (text: string): number => (/^\d+$/.test(text) ? Number(text) : Number.NaN);

/** What a fleet file takes for any number: `soak_minutes: 1e20` ran the comparison for a minute. */
const MAX_INTEGER = TEN_YEARS_SECS;

/**
 * A whole number in [`min`, MAX_INTEGER], as a fleet file holds `soak_minutes` and
 * `max_in_flight` (a fraction is refused there too); `v` is the value as the message
 * shows it. A number, or its text on the command line: a list of one number is not one,
 * and neither is `"15"` in a file.
 */
const integerIn = (key: string, raw: unknown, min: number, v: string, typed: boolean): number => {
  const n =
    typeof raw === 'number'
      ? raw
      : typeof raw === 'string' && !typed
        ? wholeNumber(raw)
        : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > MAX_INTEGER)
    throw new VariantError(`${key}: expected an integer in [${min}, ${MAX_INTEGER}], got ${v}`);
  return n;
};

/**
 * One `key=value` of a variant: text from the command line, or a parsed YAML or JSON
 * value from a file (`typed`), where a number or a boolean must be one, as in a fleet file.
 */
export function setVariantKey(
  into: {
    -readonly [K in keyof Variant]: Variant[K];
  },
  key: string,
  raw: unknown,
  typed = false,
): void {
  const v = shown(raw);
  const text = typeof raw === 'string' ? raw : String(raw);
  switch (key) {
    case 'profile':
      // Own keys only: `in` would take "constructor" or "toString" for a profile.
      if (typeof raw !== 'string' || !Object.hasOwn(PROFILES, raw))
        throw new VariantError(`profile: expected ${Object.keys(PROFILES).join(' or ')}, got ${v}`);
      into.profile = text as ProfileName;
      return;
    case 'on_health_failure':
      if (raw !== 'halt' && raw !== 'rollback-and-halt')
        throw new VariantError(`on_health_failure: expected halt or rollback-and-halt, got ${v}`);
      into.onHealthFailure = raw;
      return;
    case 'soak_minutes':
      into.soakMinutes = integerIn(key, raw, 0, v, typed);
      return;
    case 'max_in_flight':
      into.maxInFlight = integerIn(key, raw, 1, v, typed);
      return;
    case 'wave_sizes': {
      const sizes = Array.isArray(raw)
        ? raw.map((n) => (typeof n === 'number' ? n : wholeNumber(String(n))))
        : text.split('/').map(wholeNumber);
      if (
        sizes.length === 0 ||
        sizes.some((n) => !Number.isInteger(n) || n < 1 || n > MAX_INTEGER) ||
        (typed && Array.isArray(raw) && raw.some((n) => typeof n !== 'number'))
      )
        throw new VariantError(
          `wave_sizes: expected sizes like 1/4/20 (integers in [1, ${MAX_INTEGER}]), got ${v}`,
        );
      into.waveSizes = sizes;
      return;
    }
    default:
      if ((PROFILE_FLAG_NAMES as readonly string[]).includes(key)) {
        if (typed ? typeof raw !== 'boolean' : text !== 'true' && text !== 'false')
          throw new VariantError(`${key}: expected true or false, got ${v}`);
        into.flags = { ...into.flags, [key]: text === 'true' };
        return;
      }
      if ((SETTING_NAMES as readonly string[]).includes(key)) {
        // The ranges of `--set`: a tick of 0 would schedule the next tick at the same
        // instant forever, and the comparison never end.
        const parsed =
          typeof raw === 'number' || (typeof raw === 'string' && !typed)
            ? parseSetting(key as keyof Settings, text)
            : { ok: false as const, expected: 'a number' };
        if (!parsed.ok) throw new VariantError(`${key}: expected ${parsed.expected}, got ${v}`);
        into.settings = { ...into.settings, [key]: parsed.value };
        return;
      }
      throw new VariantError(
        `unknown key ${quote(key)} (known: ${VARIANT_KEYS.join(', ')}, a profile flag or a setting)`,
      );
  }
}

/** `--variant halt:on_health_failure=halt,soak_minutes=5`. */
export function parseVariantFlag(text: string): Variant {
  const colon = text.indexOf(':');
  const name = (colon < 0 ? text : text.slice(0, colon)).trim();
  if (!/^[\w.-]+$/.test(name))
    throw new VariantError(
      `expected NAME:key=value,… with a name of letters, digits, - _ or ., got ${quote(text)}`,
    );
  const v: { -readonly [K in keyof Variant]: Variant[K] } = { name, flags: {}, settings: {} };
  const body = colon < 0 ? '' : text.slice(colon + 1);
  const keys = new Set<string>();
  for (const pair of body.split(',').filter((p) => p.trim() !== '')) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new VariantError(`${name}: expected key=value, got ${quote(pair)}`);
    const key = pair.slice(0, eq).trim();
    // The last would win without a word, as a repeated flag would.
    if (keys.has(key)) throw new VariantError(`${name}: ${key} given twice`);
    keys.add(key);
    try {
      setVariantKey(v, key, pair.slice(eq + 1).trim());
    } catch (e) {
      if (e instanceof VariantError) throw new VariantError(`${name}: ${e.message}`);
      throw e;
    }
  }
  return v;
}
