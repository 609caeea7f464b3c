import type { JsonValue } from './codec.ts';

/*
 * Values → JSON text, as `JSON.stringify` writes them, except that a `bigint` (an
 * `Int64` past 2^53, see machines/int64.ts) is written as its exact digits, where
 * `JSON.stringify` throws. Almost every value holds no bigint, so the native writer is
 * tried first and the walk below runs only for the rare value it refuses.
 */

function write(value: unknown): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        // As JSON.stringify: an unwritable element (undefined) is `null` in an array.
        return `[${value.map((v) => write(v) ?? 'null').join(',')}]`;
      }
      const parts: string[] = [];
      for (const [key, v] of Object.entries(value)) {
        const text = write(v);
        // As JSON.stringify: a key whose value is undefined is left out.
        if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      return JSON.stringify(value);
  }
}

/** One JSON text for `value`, bigints with their digits; never throws for a `JsonValue`. */
export function writeJson(value: JsonValue): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    // TypeError "Do not know how to serialize a BigInt": take the slow, exact path.
    if (!(error instanceof TypeError)) throw error;
    return write(value) ?? 'null';
  }
}
