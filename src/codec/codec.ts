import * as z from 'zod';
import { type DecodeResult, formatPath, mismatch } from './decode-error.ts';

/** A value `JSON.stringify` writes as is. */
export type JsonValue =
  | null
  | boolean
  | number
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
 * An integer in `lo..hi` (inclusive). JSON numbers reach us as doubles, so a 64-bit
 * field can only be carried exactly up to 2^53 - 1; larger values (and `1e400`) are
 * rejected rather than silently rounded. `1.0` is accepted as `1` (serde_json would
 * refuse it; after `JSON.parse` the two cannot be told apart).
 */
export function integer(lo: number, hi: number): Codec<number> {
  return codec((s) => {
    const error = expecting(`an integer ${lo}..${hi}${s}`);
    return z
      .number({ error })
      .refine((n) => Number.isInteger(n) && n >= lo && n <= hi, { error, abort: true });
  }, identity);
}

/** `u32`: waves. */
export const u32 = integer(0, 4_294_967_295);
/** `u64`: seqs and durations, limited to 2^53 - 1 (see `integer`). */
export const u64 = integer(0, Number.MAX_SAFE_INTEGER);
/** `i32`: exit codes. */
export const i32 = integer(-2_147_483_648, 2_147_483_647);
/** `i64`: event-log seqs and delays, limited to ±(2^53 - 1) (see `integer`). */
export const i64 = integer(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

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
