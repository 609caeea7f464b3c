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
  readonly expected: unknown;
}

export function loadCorpus(file = CORPUS_PATH): CorpusCase[] {
  const text = gunzipSync(readFileSync(file)).toString('utf8');
  const out: CorpusCase[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    out.push({ line, ...(JSON.parse(raw) as Omit<CorpusCase, 'line'>) });
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
  const text = typeof c.input === 'string' ? c.input : JSON.stringify(c.input);
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
