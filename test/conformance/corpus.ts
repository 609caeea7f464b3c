import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { answerStepLine } from '../../src/cli/step.ts';

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

/**
 * A few edge cases test a spelling that the corpus's `input` object cannot keep: it was
 * written through a JSON library that turned `1.0` into `1`, `2^53+1` into the nearest
 * double and dropped the second of two equal keys (the Rust answer, serde's message,
 * shows what was actually sent: "duplicate field `current_wave`", "floating point `2`").
 * Their case names say what the line was; this puts that spelling back, so that the
 * line is tested as the Rust reducer saw it.
 */
export function respell(name: string, input: string): string {
  const m = /^(seq|last_event_seq|to_wave|current_wave|opened_event_log_seq)=(\S+)$/.exec(name);
  const literal = m === null ? undefined : LITERALS[m[2] as string];
  if (m !== null && literal !== undefined) {
    // `"seq"` only where it starts a key, so that `last_event_seq` is not touched.
    const key = new RegExp(`([{,]"${m[1]}":)-?[0-9][0-9.eE+]*`);
    return input.replace(key, `$1${literal}`);
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

/** JSON equality with object keys in any order. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every(
    (k) => Object.hasOwn(bo, k) && sameJson((a as Record<string, unknown>)[k], bo[k]),
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
  const actual: unknown = JSON.parse(answerStepLine(text, 1).answer);
  const agrees = invalidInput(c.expected) ? invalidInput(actual) : sameJson(actual, c.expected);
  return agrees ? null : { line: c.line, case: c.case, input: text, expected: c.expected, actual };
}

export function describeMismatch(m: Mismatch): string {
  return [
    `corpus line ${m.line}: ${m.case}`,
    `  input:    ${m.input}`,
    `  expected: ${JSON.stringify(m.expected)}`,
    `  actual:   ${JSON.stringify(m.actual)}`,
  ].join('\n');
}
