import * as z from 'zod';
import {
  type Codec,
  codec,
  expecting,
  isObject,
  type JsonValue,
  parseInto,
  report,
} from './codec.ts';
import { duplicateKey } from './json-read.ts';

/*
 * Rust structs (and the struct variants of enums): camelCase fields inside, the same
 * names in snake_case on the wire. The field list is written once, in the upstream
 * declaration order, which is also the order the encoder writes the keys in.
 *
 * Decoding follows serde's defaults: unknown keys are ignored, and a missing field is an
 * error unless its codec supplies a default (`withDefault`, and `nullable`: serde's derive
 * reads a missing `Option<T>` field as `None`).
 */

// biome-ignore lint/suspicious/noExplicitAny: a field list holds codecs of any value type
export type Fields = { readonly [name: string]: Codec<any> };

/** The internal value a field list describes. */
export type StructOf<F extends Fields> = {
  -readonly [K in keyof F]: F[K] extends Codec<infer T> ? T : never;
};

/** `rolloutId` → `rollout_id`, `subResults` → `sub_results`. */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (upper) => `_${upper.toLowerCase()}`);
}

/** The two halves of a struct codec, shared with the tagged-enum helper. */
export interface StructParts<F extends Fields> {
  /** The zod shape of the wire object (snake_case keys). */
  readonly shape: z.ZodRawShape;
  /** Wire object (already validated) → internal value, with `type: tag` first when given. */
  readonly fromWire: (wire: Record<string, unknown>, tag?: string) => StructOf<F>;
  /** Internal value → wire object; a `type` field on the value is not written. */
  readonly toWire: (value: StructOf<F>) => { [key: string]: JsonValue };
}

export function structParts<F extends Fields>(fields: F): StructParts<F> {
  const names = Object.keys(fields);
  const wire = names.map(snakeCase);
  const codecs = names.map((name) => fields[name] as Codec<unknown>);
  const shape: Record<string, z.ZodType<unknown>> = {};
  names.forEach((_, i) => {
    shape[wire[i] as string] = (codecs[i] as Codec<unknown>).schema;
  });
  return {
    shape,
    fromWire(value, tag) {
      const out: Record<string, unknown> = tag === undefined ? {} : { type: tag };
      for (let i = 0; i < names.length; i++) out[names[i] as string] = value[wire[i] as string];
      return out as StructOf<F>;
    },
    toWire(value) {
      const source = value as Record<string, unknown>;
      const out: { [key: string]: JsonValue } = {};
      for (let i = 0; i < names.length; i++) {
        const field = codecs[i] as Codec<unknown>;
        const value = source[names[i] as string];
        if (field.omit?.(value)) continue;
        out[wire[i] as string] = field.encode(value);
      }
      return out;
    },
  };
}

/** A struct codec: the zod object of the snake_case shape, transformed to camelCase. */
export function struct<F extends Fields>(fields: F, what = 'an object'): Codec<StructOf<F>> {
  const parts = structParts(fields);
  return codec<StructOf<F>>(
    (s) =>
      refuseDuplicateKeys(
        z
          .object(parts.shape, { error: expecting(`${what}${s}`) })
          .transform((wire): StructOf<F> => parts.fromWire(wire)) as z.ZodType<StructOf<F>>,
      ),
    parts.toWire,
  );
}

/**
 * `schema`, but an object with a repeated key (as `readJson` marks it) is refused, as
 * serde's derived `Deserialize` refuses a duplicate field.
 */
export function refuseDuplicateKeys<T>(schema: z.ZodType<T>): z.ZodType<T> {
  return z.unknown().transform((input, ctx): T => {
    const repeated = isObject(input) ? duplicateKey(input) : undefined;
    if (repeated !== undefined) {
      report(ctx, `duplicate field ${JSON.stringify(repeated)}`, [repeated]);
      return z.NEVER;
    }
    const parsed = parseInto(ctx, schema, input, []);
    return parsed === undefined ? z.NEVER : parsed.value;
  }) as unknown as z.ZodType<T>;
}
