import * as z from 'zod';
import type { Int64 } from '../../machines/int64.ts';
import { type DecodeResult, formatPath, mismatch } from './decode-error.ts';

/**
 * A value `writeJson` writes: what `JSON.stringify` writes as is, plus a `bigint` for an
 * integer past 2^53 (an `Int64`), written with its exact digits.
 */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/**
 * Both directions of one wire type. `schema` validates wire JSON and converts it to the
 * internal value (zod is the validator); `encode` turns a valid internal value back into
 * wire JSON. Every schema is built once, at module load.
 */
export interface Codec<T> {
  readonly schema: z.ZodType<T>;
  readonly encode: (value: T) => JsonValue;
  /**
   * The schema built again with `suffix` appended to its own "expected …" text; this is
   * how `nullable` says "expected a string or null" instead of "expected a string".
   */
  readonly rebuild: (suffix: string) => z.ZodType<T>;
  /** When true for a field's value, a struct writes no key for it (serde's `skip_serializing_if`). */
  readonly omit?: (value: T) => boolean;
}

/** A codec from a schema builder (called with the "expected" suffix) and an encoder. */
export function codec<T>(
  build: (suffix: string) => z.ZodType<T>,
  encode: (value: T) => JsonValue,
): Codec<T> {
  return { schema: build(''), encode, rebuild: build };
}

/** A zod `error` option: "missing field" when absent, else "expected …, got …". */
export function expecting(expected: string): (issue: { readonly input?: unknown }) => string {
  return (issue) => mismatch(expected, issue.input);
}

/** Zod's issue sink inside a `.transform`. */
export type IssueSink = { readonly issues: z.core.$ZodRawIssue[] };

/** Reports a message at `path` (relative to the value being transformed). */
export function report(ctx: IssueSink, message: string, path: PropertyKey[] = []): void {
  ctx.issues.push({ code: 'custom', message, path, input: undefined });
}

/**
 * Runs `schema` on a part of the value being transformed, forwarding its issues under
 * `prefix`. Returns the parsed value, or `undefined` after reporting.
 */
export function parseInto<T>(
  ctx: IssueSink,
  schema: z.ZodType<T>,
  value: unknown,
  prefix: readonly PropertyKey[],
): { readonly value: T } | undefined {
  const result = schema.safeParse(value);
  if (result.success) return { value: result.data };
  for (const issue of result.error.issues) report(ctx, issue.message, [...prefix, ...issue.path]);
  return undefined;
}

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The decoding API over a codec: never throws, reports the first problem. */
export function decoderFor<T>(c: Codec<T>): (json: unknown) => DecodeResult<T> {
  const schema = c.schema;
  return (json) => {
    if (json === undefined) {
      return { ok: false, error: { path: '', message: 'expected a JSON value, got nothing' } };
    }
    try {
      const result = schema.safeParse(json);
      if (result.success) return { ok: true, value: result.data };
      const first = result.error.issues[0];
      return first === undefined
        ? { ok: false, error: { path: '', message: 'invalid input' } }
        : { ok: false, error: { path: formatPath(first.path), message: first.message } };
    } catch (error) {
      // Not reachable for JSON input; kept so that no input can ever crash a caller.
      return {
        ok: false,
        error: { path: '', message: `internal decoder error: ${String(error)}` },
      };
    }
  };
}

// ---------------------------------------------------------------------------------------
// Leaves and combinators
// ---------------------------------------------------------------------------------------

const identity = <T extends JsonValue>(value: T): T => value;

export const string: Codec<string> = codec(
  (s) => z.string({ error: expecting(`a string${s}`) }),
  identity,
);

export const boolean: Codec<boolean> = codec(
  (s) => z.boolean({ error: expecting(`a boolean${s}`) }),
  identity,
);

/** An `f64` that JSON can carry (finite; serde_json writes NaN and infinities as null). */
export const finiteNumber: Codec<number> = codec(
  (s) => z.number({ error: expecting(`a finite number${s}`) }),
  identity,
);

/**
 * An integer in `lo..hi` (inclusive) that fits a JavaScript number exactly: waves, exit
 * codes, and the pruning delay the reducer computes. `readJson` gives a `bigint` for an
 * integer past 2^53 and a `JsonFloat` for `1.0`, so both are refused here, as serde
 * refuses an out-of-range integer and a float.
 */
export function integer(lo: number, hi: number): Codec<number> {
  return codec((s) => {
    const error = expecting(`an integer ${lo}..${hi}${s}`);
    return z
      .number({ error })
      .refine((n) => Number.isInteger(n) && n >= lo && n <= hi, { error, abort: true });
  }, identity);
}

/**
 * A 64-bit integer in `lo..hi` over its whole range, as serde reads it: a plain number
 * while it is exact (what `readJson` gives up to 2^53 - 1), else the `bigint` `readJson`
 * kept the digits in. A bigint is accepted only outside the safe range, so that one value
 * has one representation; values are written back as they came (`writeJson` prints a
 * bigint's digits).
 */
export function int64(lo: bigint, hi: bigint): Codec<Int64> {
  const isInt64 = (n: unknown): n is Int64 =>
    typeof n === 'number'
      ? Number.isSafeInteger(n) && n >= lo && n <= hi
      : typeof n === 'bigint' && n >= lo && n <= hi && !Number.isSafeInteger(Number(n));
  return codec((s) => {
    const error = expecting(`an integer ${lo}..${hi}${s}`);
    return z.custom<Int64>(isInt64, { error });
  }, identity);
}

/** `u32`: waves. */
export const u32 = integer(0, 4_294_967_295);
/** `u64`: seqs and durations, the whole range (see `int64`). */
export const u64 = int64(0n, 18_446_744_073_709_551_615n);
/** `i32`: exit codes. */
export const i32 = integer(-2_147_483_648, 2_147_483_647);
/** `i64`: event-log seqs, the whole range (see `int64`). */
export const i64 = int64(-9_223_372_036_854_775_808n, 9_223_372_036_854_775_807n);
/**
 * `i64` where the value is the reducer's own (`SchedulePruning.delay_seconds`, a
 * constant of the spec), so a plain number; limited to ±(2^53 - 1).
 */
export const safeI64 = integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

/** A unit enum written as one of the given strings. */
export function oneOf<const V extends readonly [string, ...string[]]>(values: V): Codec<V[number]> {
  const listed = values.map((v) => JSON.stringify(v)).join(', ');
  return codec(
    (s) => z.enum(values, { error: expecting(`one of ${listed}${s}`) }) as z.ZodType<V[number]>,
    identity,
  );
}

/** `Option<T>`: `null` when absent, and, as serde's derive does, a missing key reads as `None`. */
export function nullable<T>(inner: Codec<T>): Codec<T | null> {
  const build = (s: string): z.ZodType<T | null> =>
    inner.rebuild(` or null${s}`).nullable().default(null) as z.ZodType<T | null>;
  return codec(build, (value) => (value === null ? null : inner.encode(value)));
}

/** `Vec<T>`. */
export function array<T>(item: Codec<T>): Codec<readonly T[]> {
  return codec<readonly T[]>(
    (s) => z.array(item.schema, { error: expecting(`an array${s}`) }),
    (values) => values.map(item.encode),
  );
}

/** `(String, String)`, written as a two-element array. */
export const stringPair: Codec<readonly [string, string]> = codec<readonly [string, string]>(
  (s) =>
    z.tuple([string.schema, string.schema], { error: expecting(`a [string, string] pair${s}`) }),
  (pair) => [pair[0], pair[1]],
);

/** A field serde fills in when it is missing (`#[serde(default)]`). */
export function withDefault<T>(inner: Codec<T>, fallback: T): Codec<T> {
  return codec(
    (s) => inner.rebuild(s).default(fallback as z.core.util.NoUndefined<T>) as z.ZodType<T>,
    inner.encode,
  );
}

/**
 * `#[serde(default, skip_serializing_if = "Option::is_none")] Option<T>`: reads `null` or a
 * missing key as `None`, and writes no key at all for `None`.
 */
export function skippedWhenNone<T>(inner: Codec<T>): Codec<T | null> {
  return { ...nullable(inner), omit: (value) => value === null };
}
