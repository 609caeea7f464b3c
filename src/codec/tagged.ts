import * as z from 'zod';
import { type Codec, codec, isObject, type JsonValue, parseInto, report } from './codec.ts';
import { mismatch } from './decode-error.ts';
import { duplicateKey } from './json-read.ts';
import { type Fields, refuseDuplicateKeys, type StructOf, structParts } from './struct.ts';

/*
 * Externally tagged enums, serde's default: `{"HostJoined": {…fields…}}`, or for a
 * newtype variant `{"Invariant": "message"}`. Inside, the variant name is the `type`
 * field of a discriminated union.
 */

const NEWTYPE: unique symbol = Symbol('newtype');

/** A newtype variant: its one payload is stored in the internal field `field`. */
export interface Newtype<N extends string, T> {
  readonly [NEWTYPE]: true;
  readonly field: N;
  readonly codec: Codec<T>;
}

export function newtype<N extends string, T>(field: N, payload: Codec<T>): Newtype<N, T> {
  return { [NEWTYPE]: true, field, codec: payload };
}

// biome-ignore lint/suspicious/noExplicitAny: a variant may carry any payload type
type VariantSpec = Fields | Newtype<string, any>;

type Flatten<T> = { [K in keyof T]: T[K] };

type VariantValue<K extends string, S> =
  S extends Newtype<infer N, infer T>
    ? Flatten<{ type: K } & { [P in N]: T }>
    : S extends Fields
      ? Flatten<{ type: K } & StructOf<S>>
      : never;

/** The discriminated union a variant table describes. */
export type TaggedOf<V extends Record<string, VariantSpec>> = {
  [K in keyof V & string]: VariantValue<K, V[K]>;
}[keyof V & string];

interface Variant {
  readonly schema: z.ZodType<unknown>;
  readonly encode: (value: Record<string, unknown>) => JsonValue;
}

function isNewtype(spec: VariantSpec): spec is Newtype<string, unknown> {
  return NEWTYPE in spec;
}

function variantOf(tag: string, spec: VariantSpec): Variant {
  if (isNewtype(spec)) {
    const { field, codec: payload } = spec;
    return {
      schema: payload.schema.transform((value) => ({ type: tag, [field]: value })),
      encode: (value) => payload.encode(value[field]),
    };
  }
  const parts = structParts(spec);
  return {
    schema: refuseDuplicateKeys(
      z
        .object(parts.shape, { error: (issue) => mismatch('an object', issue.input) })
        .transform((wire) => parts.fromWire(wire, tag)),
    ),
    encode: (value) => parts.toWire(value as StructOf<Fields>),
  };
}

function listKeys(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).map((k) => JSON.stringify(k));
  return keys.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * A codec for the externally tagged enum `name` with the given variants (in upstream
 * order; that order is the one error messages list). Errors name the problem exactly:
 * not an object, not exactly one key, an unknown variant (listing the known ones), or a
 * problem inside the variant (under the tag in the path).
 */
export function tagged<const V extends Record<string, VariantSpec>>(
  name: string,
  variants: V,
): Codec<TaggedOf<V>> {
  const table = new Map<string, Variant>();
  for (const [tag, spec] of Object.entries(variants)) table.set(tag, variantOf(tag, spec));
  const expectedTags = [...table.keys()].join(', ');

  const build = (suffix: string): z.ZodType<TaggedOf<V>> =>
    z.unknown().transform((input, ctx) => {
      if (!isObject(input)) {
        report(ctx, mismatch(`a ${name} (an object with one variant key)${suffix}`, input));
        return z.NEVER;
      }
      const keys = Object.keys(input);
      const repeated = duplicateKey(input);
      if (repeated !== undefined) {
        report(
          ctx,
          `expected exactly one ${name} variant key, got ${JSON.stringify(repeated)} twice`,
        );
        return z.NEVER;
      }
      if (keys.length !== 1) {
        const got =
          keys.length === 0 ? 'an empty object' : `${keys.length} keys (${listKeys(keys)})`;
        report(ctx, `expected exactly one ${name} variant key, got ${got}`);
        return z.NEVER;
      }
      const tag = keys[0] as string;
      const variant = table.get(tag);
      if (variant === undefined) {
        report(ctx, `unknown variant ${JSON.stringify(tag)}, expected one of ${expectedTags}`);
        return z.NEVER;
      }
      const parsed = parseInto(ctx, variant.schema, input[tag], [tag]);
      return parsed === undefined ? z.NEVER : (parsed.value as TaggedOf<V>);
    });

  const encode = (value: TaggedOf<V>): JsonValue => {
    const { type } = value as { type: string };
    const variant = table.get(type);
    if (variant === undefined) throw new TypeError(`${name}: no variant ${JSON.stringify(type)}`);
    return { [type]: variant.encode(value as Record<string, unknown>) };
  };

  return codec(build, encode);
}
