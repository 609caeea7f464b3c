import * as z from 'zod';
import { type Codec, codec, isObject, type JsonValue, parseInto, report } from './codec.ts';
import { mismatch } from './decode-error.ts';

/*
 * `BTreeMap<String, T>`: a JSON object whose keys are written in sorted order.
 *
 * Sorting is by Unicode code point, which is the byte order of the UTF-8 keys that Rust
 * compares. One JavaScript limit: an object lists integer-like keys ("7", "10") first and
 * in numeric order whatever the insertion order, so maps keyed by such names serialise in
 * a different order from Rust's. Probe names are words, so this does not arise in practice.
 */

/** Code-point order (= UTF-8 byte order), unlike `<` on strings (UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // A surrogate (an astral code point) sorts after every BMP unit, including U+E000..U+FFFF.
    const sx = x >= 0xd800 && x <= 0xdfff;
    const sy = y >= 0xd800 && y <= 0xdfff;
    if (sx !== sy) return sx ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Sets an own property, even for the key `__proto__`. */
function put(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

/** A string-keyed map; `keys` names the keys in the "expected" message. */
export function sortedMap<T>(value: Codec<T>, keys: string): Codec<Readonly<Record<string, T>>> {
  const build = (suffix: string): z.ZodType<Readonly<Record<string, T>>> =>
    z.unknown().transform((input, ctx) => {
      if (!isObject(input)) {
        report(ctx, mismatch(`an object keyed by ${keys}${suffix}`, input));
        return z.NEVER;
      }
      const out: Record<string, T> = {};
      let failed = false;
      for (const key of Object.keys(input)) {
        const parsed = parseInto(ctx, value.schema, input[key], [key]);
        if (parsed === undefined) failed = true;
        else put(out, key, parsed.value);
      }
      return failed ? z.NEVER : out;
    });

  const encode = (map: Readonly<Record<string, T>>): JsonValue => {
    const out: Record<string, JsonValue> = {};
    for (const key of Object.keys(map).sort(compareCodePoints)) {
      put(out, key, value.encode(map[key] as T));
    }
    return out;
  };

  return codec(build, encode);
}
