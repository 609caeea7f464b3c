/**
 * Time in the machines and the simulator.
 *
 * `Instant` is a point in time as integer milliseconds since the Unix epoch, UTC: the
 * simulator's virtual clock, cheap to compare and add to.
 *
 * `Timestamp` is what the domain records, events and effects carry: the wire contract's
 * time, which (like chrono's `DateTime<Utc>`) has nanoseconds and leap seconds. A
 * millisecond-exact time is a plain `Instant`, so everything the simulator writes stays a
 * number and costs nothing more; only a time with sub-millisecond digits or a leap second
 * (which arrive from the wire, never from the clock) is a `PreciseInstant`. Compare
 * timestamps with `compareTimestamps`, never with `<` on the union.
 */
export type Instant = number;

/**
 * A time a millisecond cannot hold: `second` is whole seconds since the epoch and `nanos`
 * the nanoseconds into it, 0..1_999_999_999, where 1e9 and above is a leap second
 * (`23:59:60.5` is second `23:59:59` with nanos 1_500_000_000, as chrono stores it).
 * Built only by `timestampOf`, which returns a plain `Instant` whenever one is exact.
 */
export interface PreciseInstant {
  readonly second: number;
  readonly nanos: number;
}

export type Timestamp = Instant | PreciseInstant;

const NANOS_PER_MS = 1_000_000;

/** The timestamp for `second` + `nanos`, a plain `Instant` when milliseconds are exact. */
export function timestampOf(second: number, nanos: number): Timestamp {
  if (nanos < 1_000_000_000 && nanos % NANOS_PER_MS === 0) {
    return second * 1000 + nanos / NANOS_PER_MS;
  }
  return { second, nanos };
}

/** Whole seconds of a timestamp. */
export function secondOf(t: Timestamp): number {
  return typeof t === 'number' ? Math.floor(t / 1000) : t.second;
}

/** Nanoseconds into the second, 0..1_999_999_999 (leap seconds above 1e9). */
export function nanosOf(t: Timestamp): number {
  return typeof t === 'number' ? (t - Math.floor(t / 1000) * 1000) * NANOS_PER_MS : t.nanos;
}

/** Negative, zero or positive as `a` is before, at or after `b`, to the nanosecond. */
export function compareTimestamps(a: Timestamp, b: Timestamp): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return secondOf(a) - secondOf(b) || nanosOf(a) - nanosOf(b);
}

/**
 * The millisecond `Instant` at or before a timestamp, for code that works on the
 * simulator's clock (a leap second stays inside its `23:59:59`).
 */
export function toInstant(t: Timestamp): Instant {
  if (typeof t === 'number') return t;
  return t.second * 1000 + Math.min(999, Math.floor(t.nanos / NANOS_PER_MS));
}
