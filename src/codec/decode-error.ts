import { JsonFloat } from './json-read.ts';
/**
 * What a decoder says when the JSON does not match: where (`path`) and why (`message`).
 *
 * `path` joins the keys from the root of the decoded value: object keys with `.`, array
 * indices as `[i]`, keys that are not plain words as `["…"]`. The root itself is the
 * empty path. Variant tags are keys like any other, so a bad wave in a host-step input
 * reads `event.HostJoined.wave`.
 */
export interface DecodeError {
  readonly path: string;
  readonly message: string;
}

export type DecodeResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: DecodeError };

/** One line: `event.HostJoined.wave: expected an integer 0..4294967295, got -1` (no `path: ` at the root). */
export function formatDecodeError(error: DecodeError): string {
  return error.path === '' ? error.message : `${error.path}: ${error.message}`;
}

const WORD = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** The dotted form of a zod issue path. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && WORD.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

const MAX_SHOWN = 60;

/**
 * A short rendering of an offending value for "got …": scalars as JSON (long strings cut
 * with `…`), containers by kind only, so a message stays one short line.
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const json = JSON.stringify(value);
      return json.length <= MAX_SHOWN ? json : `${json.slice(0, MAX_SHOWN - 1)}…"`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return 'nothing';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof JsonFloat) return value.text;
      if (Array.isArray(value)) return value.length === 0 ? 'an empty array' : 'an array';
      return Object.keys(value).length === 0 ? 'an empty object' : 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** The message for a value that is not what `expected` describes; absent means a missing field. */
export function mismatch(expected: string, got: unknown): string {
  return got === undefined ? 'missing field' : `expected ${expected}, got ${describeValue(got)}`;
}
