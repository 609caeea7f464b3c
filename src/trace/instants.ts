import {
  type Instant,
  type PreciseInstant,
  type Timestamp,
  toInstant,
} from '../../machines/time.ts';

/*
 * Traces are the simulator's records, on its millisecond clock. A trace may still hold
 * a time with finer digits (one `audit` converted from a real control plane's log); the
 * trace reader keeps such a time at its millisecond, which is all the UI and the
 * monitors look at.
 */

function isPrecise(value: object): value is PreciseInstant {
  const keys = Object.keys(value);
  return keys.length === 2 && 'second' in value && 'nanos' in value;
}

/** `value` (decoded by a wire codec) with every `Timestamp` in it made an `Instant`. */
export function withInstants<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(withInstants) as T;
  if (isPrecise(value)) return toInstant(value as Timestamp) as Instant as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = withInstants(v);
  return out as T;
}
