import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { answerStepLine } from '../../src/cli/step.ts';
import type { JsonValue } from '../../src/codec/codec.ts';
import { JsonFloat, readJson } from '../../src/codec/json-read.ts';
import { writeJson } from '../../src/codec/json-write.ts';

/*
 * The conformance corpus (shared/conformance beside the repo): every line the real Rust
 * reducers answered, run through the same per-line function `rollout-sim step` uses.
 */

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS_PATH = path.resolve(
  repoRoot,
  '../shared/conformance/nixfleet-080d6cd.jsonl.gz',
);

export interface CorpusCase {
  readonly line: number;
  readonly machine: 'rollout' | 'host';
  readonly kind: 'matrix' | 'edge';
  readonly case: string;
  /** The step input as an object, or the raw text where the line is not valid JSON. */
  readonly input: unknown;
  /**
   * The input line exactly as the corpus spells it: parsing and re-serialising would
   * lose what the edge cases test (duplicate keys, `1.0`, integers past 2^53).
   */
  readonly inputText: string;
  readonly expected: unknown;
}

/** The literal each `name=VALUE` edge case fed the Rust reducer (its `input` lost it). */
const LITERALS: Readonly<Record<string, string>> = {
  '1.0': '1.0',
  '1e2': '1e2',
  '2.0': '2.0',
  '2^53': '9007199254740992',
  '2^53+1': '9007199254740993',
  '2^64-1': '18446744073709551615',
  '2^63-1': '9223372036854775807',
  '-2^63': '-9223372036854775808',
};

/** The case's `name=VALUE` and the literal that VALUE stands for, when there is one. */
function literalOf(name: string): { readonly key: string; readonly literal: string } | undefined {
  const m = /^(seq|last_event_seq|to_wave|current_wave|opened_event_log_seq)=(\S+)$/.exec(name);
  const literal = m === null ? undefined : LITERALS[m[2] as string];
  return m === null || literal === undefined ? undefined : { key: m[1] as string, literal };
}

/**
 * A few edge cases test a spelling that the corpus's `input` object cannot keep: it was
 * written through a JSON library that turned `1.0` into `1`, `2^53+1` into the nearest
 * double and dropped the second of two equal keys (the Rust answer, serde's message,
 * shows what was actually sent: "duplicate field `current_wave`", "floating point `2`").
 * Their case names say what the line was; this puts that spelling back, so that the
 * line is tested as the Rust reducer saw it.
 */
export function respell(name: string, input: string): string {
  const named = literalOf(name);
  if (named !== undefined) {
    // `"seq"` only where it starts a key, so that `last_event_seq` is not touched.
    const key = new RegExp(`([{,]"${named.key}":)-?[0-9][0-9.eE+]*`);
    return input.replace(key, `$1${named.literal}`);
  }
  if (name === 'duplicate key in record') {
    return input.replace(/("current_wave":[0-9]+,)/, '$1$1');
  }
  if (name === 'duplicate top-level event key') {
    const event = /,("event":\{.*\}\})\}$/.exec(input);
    return event === null ? input : `${input.slice(0, -1)},${event[1]}}`;
  }
  return input;
}

export function loadCorpus(file = CORPUS_PATH): CorpusCase[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const out: CorpusCase[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    const parsed = JSON.parse(raw) as Omit<CorpusCase, 'line' | 'inputText'>;
    const fragment = raw.slice(raw.indexOf('"input":') + 8, raw.lastIndexOf(',"expected":'));
    const inputText =
      typeof parsed.input === 'string' ? parsed.input : respell(parsed.case, fragment);
    out.push({ line, ...parsed, inputText });
  }
  return out;
}

/**
 * JSON equality with object keys in any order, between our answer (read exactly, by
 * `readJson`) and the corpus's `expected` (read by `JSON.parse`, as it was stored).
 *
 * The corpus was written through a JSON library that rounded every integer past 2^53 to
 * a double (`2^64-1` is stored as 18446744073709552000), so such an expected integer
 * agrees with an exact `bigint` answer that rounds to it, and only with one: a plain
 * number there would mean we rounded too. `exact` is the integer the case sent
 * (`seq=2^64-1` sent 18446744073709551615): every bigint in the answer must be it, digit
 * for digit, which is what serde echoes.
 */
export function sameJson(actual: unknown, expected: unknown, exact?: bigint): boolean {
  if (typeof actual === 'bigint') {
    return (
      typeof expected === 'number' &&
      Number(actual) === expected &&
      (exact === undefined || actual === exact)
    );
  }
  if (actual instanceof JsonFloat) return actual.value === expected;
  if (typeof expected === 'number' && Number.isInteger(expected) && !Number.isSafeInteger(expected))
    return false;
  if (actual === expected) return true;
  const a = actual;
  const b = expected;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i], exact));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every(
    (k) => Object.hasOwn(bo, k) && sameJson((a as Record<string, unknown>)[k], bo[k], exact),
  );
}

/** The InvalidInput variant alone counts (its message is serde's). */
function invalidInput(answer: unknown): boolean {
  const a = answer as { ok?: unknown; error?: unknown } | null;
  return (
    typeof a === 'object' &&
    a !== null &&
    a.ok === false &&
    typeof a.error === 'object' &&
    a.error !== null &&
    Object.hasOwn(a.error, 'InvalidInput')
  );
}

export interface Mismatch {
  readonly line: number;
  readonly case: string;
  readonly input: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

/** Runs one case; `null` when rollout-sim agrees with the Rust answer. */
export function runCase(c: CorpusCase): Mismatch | null {
  const text = c.inputText;
  const answer = answerStepLine(text, 1).answer;
  // Read exactly: a seq past 2^53 must come back with the digits it was sent with.
  const read = readJson(answer);
  if (!read.ok) throw new Error(`step wrote invalid JSON (${read.message}): ${answer}`);
  const actual = read.value;
  const sent = literalOf(c.case)?.literal;
  const exact = sent === undefined || !/^-?[0-9]+$/.test(sent) ? undefined : BigInt(sent);
  const agrees = invalidInput(c.expected)
    ? invalidInput(actual)
    : sameJson(actual, c.expected, exact);
  return agrees ? null : { line: c.line, case: c.case, input: text, expected: c.expected, actual };
}

export function describeMismatch(m: Mismatch): string {
  return [
    `corpus line ${m.line}: ${m.case}`,
    `  input:    ${m.input}`,
    `  expected: ${JSON.stringify(m.expected)}`,
    `  actual:   ${writeJson(m.actual as JsonValue)}`,
  ].join('\n');
}
