import * as z from 'zod';
import {
  type Instant,
  nanosOf,
  secondOf,
  type Timestamp,
  timestampOf,
} from '../../machines/time.ts';
import { type Codec, codec, decoderFor, report } from './codec.ts';
import { type DecodeResult, mismatch } from './decode-error.ts';

/*
 * RFC 3339 timestamps <-> `Timestamp`, exactly as chrono's `DateTime<Utc>` reads and
 * writes them (what nixfleet's serde does at 080d6cd; the conformance corpus pins it).
 *
 * Encoding is chrono's `to_rfc3339_opts(AutoSi, true)`: UTC with `Z`; no fraction when
 * the nanoseconds are zero, else 3, 6 or 9 digits, the fewest that are exact
 * (`.9999` is written `.999900`); a leap second as `:60`; a year outside 0000–9999 with
 * its sign (`-0001-12-31T23:00:00Z`).
 *
 * Decoding is chrono's `DateTime<Utc>: FromStr`, which is wider than RFC 3339: an
 * optional sign before the year, `T`/`t`/space between date and time, a fraction of any
 * length (nanoseconds kept, finer digits dropped), `:60` (a leap second, kept as such),
 * then optional spaces and `Z`/`z`, `UTC`, `±HH:MM` or `±HHMM`. Dates are checked against
 * the proleptic Gregorian calendar; hour 24 and `±HH` alone are refused, as chrono does.
 */

/** `0000-01-01T00:00:00Z`: RFC 3339 years start here (chrono reads further, with a sign). */
export const MIN_INSTANT: Instant = -62_167_219_200_000;
/** `9999-12-31T23:59:59.999Z`, the last encodable instant. */
export const MAX_INSTANT: Instant = 253_402_300_799_999;

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

/** The digits at `i..i+n` as a number, or -1. */
function digits(text: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const d = digit(text, i + k);
    if (d < 0) return -1;
    v = v * 10 + d;
  }
  return v;
}

/** chrono's year range (`NaiveDate::MIN`/`MAX`): ±262143. */
const MAX_YEAR = 262_143;

/**
 * The timestamp an RFC 3339 date-time (in chrono's spelling) names, or `null` if the
 * string is not one. Scans character codes rather than running a regex: traces hold many
 * timestamps.
 */
export function parseRfc3339(text: string): Timestamp | null {
  let i = 0;
  let sign = 1;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) {
    sign = first === 45 ? -1 : 1;
    i = 1;
  }
  // The year: four digits, or more after a sign (chrono: `+10000`).
  const yearStart = i;
  while (digit(text, i) >= 0) i++;
  const yearDigits = i - yearStart;
  if (yearDigits < 4 || (yearDigits > 4 && yearStart === 0)) return null;
  const year = sign * digits(text, yearStart, yearDigits);
  if (yearDigits > 6 || Math.abs(year) > MAX_YEAR) return null;
  // -MM-DDTHH:MM:SS is 15 more characters.
  if (text.length < i + 15) return null;
  const month = two(text, i + 1);
  const day = two(text, i + 4);
  const hour = two(text, i + 7);
  const minute = two(text, i + 10);
  const second = two(text, i + 13);
  if (month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  const sep = text.charCodeAt(i + 6);
  if (
    text.charCodeAt(i) !== 45 || // -
    text.charCodeAt(i + 3) !== 45 ||
    (sep !== 84 && sep !== 116 && sep !== 32) || // T t space
    text.charCodeAt(i + 9) !== 58 || // :
    text.charCodeAt(i + 12) !== 58
  ) {
    return null;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 60) return null;
  i += 15;

  let nanos = 0;
  if (text.charCodeAt(i) === 46) {
    // . then one or more digits; the first nine are the nanoseconds
    i++;
    const from = i;
    for (let d = digit(text, i); d >= 0; d = digit(text, ++i)) {
      if (i - from < 9) nanos = nanos * 10 + d;
    }
    const n = i - from;
    if (n === 0) return null;
    for (let k = n; k < 9; k++) nanos *= 10;
  }

  while (text.charCodeAt(i) === 32) i++;
  let offsetMinutes = 0;
  const zone = text.charCodeAt(i);
  if (zone === 90 || zone === 122) {
    // Z z
    if (i + 1 !== text.length) return null;
  } else if (text.slice(i).toUpperCase() === 'UTC') {
    // chrono reads `UTC` as +00:00
  } else if (zone === 43 || zone === 45) {
    // + - then HH:MM or HHMM
    const colon = text.charCodeAt(i + 3) === 58;
    if (i + (colon ? 6 : 5) !== text.length) return null;
    const offHour = two(text, i + 1);
    const offMinute = two(text, colon ? i + 4 : i + 3);
    if (offHour < 0 || offMinute < 0 || offHour > 23 || offMinute > 59) return null;
    offsetMinutes = (zone === 45 ? -1 : 1) * (offHour * 60 + offMinute);
  } else {
    return null;
  }

  // A leap second is the 59th second with 1e9 more nanoseconds, as chrono stores it.
  const leap = second === 60;
  const seconds =
    daysFromCivil(year, month, day) * 86_400 +
    (hour * 60 + minute - offsetMinutes) * 60 +
    (leap ? 59 : second);
  return timestampOf(seconds, leap ? nanos + 1_000_000_000 : nanos);
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** `YYYY` for 0000–9999, else chrono's signed form (`-0001`, `+10000`). */
function yearText(year: number): string {
  if (year >= 0 && year <= 9999) {
    return `${TWO_DIGITS[Math.floor(year / 100)]}${TWO_DIGITS[year % 100]}`;
  }
  return `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(4, '0')}`;
}

/** chrono's `AutoSi` fraction: none, or the fewest of 3, 6, 9 digits that are exact. */
function fractionText(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${String(nanos / 1_000_000).padStart(3, '0')}`;
  if (nanos % 1000 === 0) return `.${String(nanos / 1000).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
}

/**
 * RFC 3339 in UTC as chrono writes it. Throws a `RangeError` for a value that is not a
 * timestamp at all (a non-integer `Instant`): that is a bug in the caller, not bad input.
 * Hand-rolled (Hinnant's `civil_from_days`) because it runs for every timestamp of every
 * trace line; it is tested against `Date#toISOString`.
 */
export function encodeTimestamp(t: Timestamp): string {
  if (typeof t === 'number' && !Number.isInteger(t)) {
    throw new RangeError(`not an Instant (integer milliseconds): ${t}`);
  }
  const seconds = secondOf(t);
  let nanos = nanosOf(t);
  const leap = nanos >= 1_000_000_000;
  if (leap) nanos -= 1_000_000_000;
  const days = Math.floor(seconds / 86_400);
  let rest = seconds - days * 86_400;
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
  const secondText = leap ? '60' : d2[second];
  return `${yearText(year)}-${d2[month]}-${d2[day]}T${d2[hour]}:${d2[minute]}:${secondText}${fractionText(nanos)}Z`;
}

/** An RFC 3339 timestamp on the wire, a `Timestamp` inside. */
export const timestamp: Codec<Timestamp> = codec((suffix) => {
  const expected = `an RFC 3339 timestamp${suffix}`;
  return z.unknown().transform((input, ctx) => {
    const t = typeof input === 'string' ? parseRfc3339(input) : null;
    if (t === null) {
      report(ctx, mismatch(expected, input));
      return z.NEVER;
    }
    return t;
  });
}, encodeTimestamp);

/** A bare timestamp string (or any JSON value) to a `Timestamp`. */
export const decodeTimestamp: (json: unknown) => DecodeResult<Timestamp> = decoderFor(timestamp);
