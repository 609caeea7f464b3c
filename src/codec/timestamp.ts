import { z } from 'zod';
import type { Instant } from '../../machines/time.ts';
import { type Codec, codec, decoderFor, report } from './codec.ts';
import { type DecodeResult, mismatch } from './decode-error.ts';

/*
 * RFC 3339 timestamps <-> `Instant` (integer milliseconds since the epoch, UTC).
 *
 * Encoding always writes UTC with `Z`, and writes the milliseconds only when they are not
 * zero: `2026-05-16T01:00:00Z`, `2026-05-16T01:00:00.123Z` (what chrono's serde emits for
 * a millisecond-precision `DateTime<Utc>`).
 *
 * Decoding accepts any RFC 3339 `date-time` (§5.6): `T`/`t` or a space between date and
 * time, `Z`/`z` or a `±HH:MM` offset, and an optional fraction of any length (the first
 * three digits are kept, finer ones truncated). A leap second (`:60`) is accepted and
 * lands on the first millisecond of the next second, as chrono's `timestamp_millis` does.
 * Dates are checked against the proleptic Gregorian calendar (no month 13, no Feb 30,
 * Feb 29 only in leap years). Only years 0000–9999 exist in RFC 3339, so only instants
 * whose UTC form falls in those years can be encoded; decoding rejects the few offset
 * timestamps at the very edges whose UTC form would leave that range.
 */

/** `0000-01-01T00:00:00Z`, the first encodable instant. */
export const MIN_INSTANT: Instant = -62_167_219_200_000;
/** `9999-12-31T23:59:59.999Z`, the last encodable instant. */
export const MAX_INSTANT: Instant = 253_402_300_799_999;

const MS_PER_DAY = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the given proleptic Gregorian date (Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** The digit at `i`, or -1. */
function digit(text: string, i: number): number {
  const d = text.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** The two-digit number at `i`, or -1. */
function two(text: string, i: number): number {
  const a = digit(text, i);
  const b = digit(text, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
}

/**
 * The instant an RFC 3339 date-time names, or `null` if the string is not one. Scans
 * character codes rather than running a regex: traces hold many timestamps.
 */
export function parseRfc3339(text: string): Instant | null {
  // YYYY-MM-DDTHH:MM:SS is 19 characters, then at least `Z`.
  if (text.length < 20) return null;
  const hi = two(text, 0);
  const lo = two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  if (hi < 0 || lo < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
    return null;
  }
  const sep = text.charCodeAt(10);
  if (
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) || // T t space
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58
  ) {
    return null;
  }
  const year = hi * 100 + lo;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;

  let i = 19;
  let millis = 0;
  if (text.charCodeAt(i) === 46) {
    // . then one or more digits; the first three are the milliseconds
    i++;
    const first = i;
    for (let d = digit(text, i); d >= 0; d = digit(text, ++i)) {
      if (i - first < 3) millis = millis * 10 + d;
    }
    const n = i - first;
    if (n === 0) return null;
    if (n === 1) millis *= 100;
    else if (n === 2) millis *= 10;
  }

  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    // Z z
    if (i + 1 !== text.length) return null;
  } else if (zone === 43 || zone === 45) {
    // + -
    if (i + 6 !== text.length || text.charCodeAt(i + 3) !== 58) return null;
    const offHour = two(text, i + 1);
    const offMinute = two(text, i + 4);
    if (offHour < 0 || offMinute < 0 || offHour > 23 || offMinute > 59) return null;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offHour * 60 + offMinute);
  } else {
    return null;
  }

  const instant =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    millis;
  return instant < MIN_INSTANT || instant > MAX_INSTANT ? null : instant;
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * RFC 3339 in UTC, milliseconds only when non-zero. Throws a `RangeError` for a value that
 * is not an `Instant` at all (not an integer, or outside years 0000–9999): that is a bug in
 * the caller, not bad input. Hand-rolled (Hinnant's `civil_from_days`) because it runs for
 * every timestamp of every trace line; it is tested against `Date#toISOString`.
 */
export function encodeTimestamp(instant: Instant): string {
  if (!Number.isInteger(instant) || instant < MIN_INSTANT || instant > MAX_INSTANT) {
    throw new RangeError(`not an encodable Instant (integer ms in years 0000–9999): ${instant}`);
  }
  const days = Math.floor(instant / MS_PER_DAY);
  let rest = instant - days * MS_PER_DAY;
  const millis = rest % 1000;
  rest = (rest - millis) / 1000;
  const second = rest % 60;
  rest = (rest - second) / 60;
  const minute = rest % 60;
  const hour = (rest - minute) / 60;

  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);

  const d2 = TWO_DIGITS;
  const text = `${d2[Math.floor(year / 100)]}${d2[year % 100]}-${d2[month]}-${d2[day]}T${d2[hour]}:${d2[minute]}:${d2[second]}`;
  return millis === 0 ? `${text}Z` : `${text}.${String(millis).padStart(3, '0')}Z`;
}

/** An RFC 3339 timestamp on the wire, an `Instant` inside. */
export const timestamp: Codec<Instant> = codec((suffix) => {
  const expected = `an RFC 3339 timestamp${suffix}`;
  return z.unknown().transform((input, ctx) => {
    const instant = typeof input === 'string' ? parseRfc3339(input) : null;
    if (instant === null) {
      report(ctx, mismatch(expected, input));
      return z.NEVER;
    }
    return instant;
  });
}, encodeTimestamp);

/** A bare timestamp string (or any JSON value) to an `Instant`. */
export const decodeTimestamp: (json: unknown) => DecodeResult<Instant> = decoderFor(timestamp);
