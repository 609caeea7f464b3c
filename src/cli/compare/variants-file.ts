import * as z from 'zod';
import type { Variant } from '../../../sim/compare/variant.ts';
import { controlCharacterIssue, formatFleetIssue } from '../../../sim/fleet/validate.ts';
import { quote } from '../../../sim/quote.ts';
import { readProblem } from '../../files/open-input.ts';
import { readTextFile } from '../../files/read-text.ts';
import { issueLine } from '../../fleet-file/issues.ts';
import { protoKey } from '../../fleet-file/parse.ts';
import { strict } from '../../fleet-file/schema.ts';
import { parseFleetText } from '../../fleet-file/syntax.ts';
import { setVariantKey, VariantError } from './parse-variant.ts';

/*
 * `--variants FILE.yaml` (or .json): the variants of a comparison, in order, the first
 * the baseline. Checked like fleet files: syntax, then a zod schema, then each key's
 * value; every error is one line naming the file and the path.
 *
 *   variants:
 *     halt: { on_health_failure: halt }
 *     rollback: { on_health_failure: rollback-and-halt, soak_minutes: 5 }
 */

// The shape only: each value is checked by setVariantKey, which says what its key takes.
const schema = strict({
  variants: z.record(
    z.string().regex(/^[\w.-]+$/, {
      error: (iss) => `invalid name ${quote(String(iss.input))} (letters, digits, - _ or .)`,
    }),
    z.record(z.string(), z.unknown()),
  ),
});

export type VariantsResult =
  | { readonly ok: true; readonly variants: readonly Variant[] }
  | { readonly ok: false; readonly error: string };

export function parseVariantsFile(text: string, source: string): VariantsResult {
  const syntax = parseFleetText(text, source);
  if (!syntax.ok) return syntax;
  // Names, keys and values are quoted in messages and printed in the comparison.
  const control = controlCharacterIssue(syntax.value);
  if (control !== null) return { ok: false, error: `${source}: ${formatFleetIssue(control)}` };
  // A variant or a key named so would be dropped without a word (the variant ran as the
  // scenario, or the comparison had one variant fewer).
  const proto = protoKey(syntax.value);
  if (proto !== null)
    return {
      ok: false,
      error: `${source}: ${formatFleetIssue({ path: proto, message: 'unsupported key' })}`,
    };
  const parsed = schema.safeParse(syntax.value, { reportInput: true });
  if (!parsed.success) return { ok: false, error: `${source}: ${issueLine(parsed.error.issues)}` };
  const variants: Variant[] = [];
  for (const [name, keys] of Object.entries(parsed.data.variants)) {
    const v: { -readonly [K in keyof Variant]: Variant[K] } = { name, flags: {}, settings: {} };
    for (const [key, value] of Object.entries(keys)) {
      try {
        setVariantKey(v, key, value, true);
      } catch (e) {
        if (!(e instanceof VariantError)) throw e;
        // The key's own message starts with the key; the path says where it is.
        const message = e.message.startsWith(`${key}: `)
          ? e.message.slice(key.length + 2)
          : e.message;
        return { ok: false, error: `${source}: variants.${name}.${key}: ${message}` };
      }
    }
    variants.push(v);
  }
  if (variants.length < 2)
    return {
      ok: false,
      error: `${source}: variants: expected at least two variants, got ${variants.length}`,
    };
  return { ok: true, variants };
}

export function loadVariantsFile(path: string): VariantsResult {
  const read = readTextFile(path);
  if (!read.ok) return { ok: false, error: readProblem(path, read) };
  return parseVariantsFile(read.text, path);
}
