import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { decodeComparison } from '../../src/report/comparison-schema.ts';
import { runCli, STACK_TRACE } from '../cli/run-cli.ts';

/*
 * `report FILE` on a damaged `compare --json` file: one line naming the file, the line
 * and the field, exit 1, no page written. Each of these was an internal error (or an
 * empty page, or the file read as a trace).
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-comparison-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);

const spread = (values: number[]) => ({
  n: values.length,
  median: values.length === 0 ? null : values[0],
  p90: values.length === 0 ? null : values[0],
  ci95: values.length === 0 ? null : [values[0], values[0]],
  values,
});
// biome-ignore lint/suspicious/noExplicitAny: tests break the document in any way
type Doc = Record<string, any>;
function comparison(): Doc {
  const metrics = { rollbacks: spread([1, 1]), time_to_terminal: spread([]) };
  return {
    format: 'rollout-sim-comparison/1',
    scenario: '--preset demo',
    seeds: [1, 2],
    variants: [
      { name: 'a', metrics, never_terminal: 2 },
      { name: 'b', metrics },
    ],
    differences: [{ name: 'b', metrics }],
  };
}

function report(name: string, text: string) {
  const path = at(name);
  writeFileSync(path, text);
  const out = at(`${name}.html`);
  return { path, out, r: runCli(['report', path, '--out', out]) };
}

describe('report on a comparison file', () => {
  test('a sound comparison is drawn', () => {
    const { out, r } = report('ok.json', `${JSON.stringify(comparison())}\n`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`report: ${out}\n`);
    expect(r.status).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('2 variants × 2 paired seeds');
  });

  test.each<[string, (c: Doc) => unknown, string]>([
    [
      'metrics that are not a mapping',
      (c) => {
        c.variants[0].metrics = 'x';
      },
      'variants[0].metrics: expected a mapping, got "x"',
    ],
    [
      'seeds null',
      (c) => {
        c.seeds = null;
      },
      'seeds: expected a list, got null',
    ],
    [
      'no differences',
      (c) => {
        delete c.differences;
      },
      'differences: missing (expected a list)',
    ],
    [
      'no variants (an empty page was written)',
      (c) => {
        c.variants = [];
        c.differences = [];
      },
      'variants: expected at least two variants, got 0',
    ],
    [
      'a difference short',
      (c) => {
        c.differences = [];
      },
      'differences: expected 1 (one per variant after the first), got 0',
    ],
    [
      'a variant without a metric the first one has',
      (c) => {
        c.variants[1].metrics = { rollbacks: spread([1, 1]) };
      },
      'variants[1].metrics: missing time_to_terminal, which variants[0] has',
    ],
    [
      'a spread whose count disagrees with its values',
      (c) => {
        c.variants[0].metrics = { ...c.variants[0].metrics, rollbacks: { ...spread([1]), n: 5 } };
      },
      'variants[0].metrics.rollbacks.n: expected 1, the number of values, got 5',
    ],
    [
      'a value that is not a number',
      (c) => {
        c.differences[0].metrics = {
          ...c.differences[0].metrics,
          rollbacks: { ...spread([1, 1]), values: [1, 'x'] },
        };
      },
      'differences[0].metrics.rollbacks.values[1]: expected a number, got "x"',
    ],
    [
      'two variants of one name (drawn as one row twice)',
      (c) => {
        c.variants[1].name = 'a';
      },
      'variants[1].name: "a" is also the name of variants[0]',
    ],
  ])('%s: one line, exit 1, nothing written', (_, edit, message) => {
    const doc = comparison();
    edit(doc);
    const { path, out, r } = report('bad.json', `${JSON.stringify(doc)}\n`);
    expect(r.stderr).toBe(`rollout-sim: ${path}:1: ${message}\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(STACK_TRACE);
    expect(existsSync(out)).toBe(false);
  });

  test.each<[string, (text: string) => string, string]>([
    ['at the top', (t) => t.replace('"seeds":[1,2]', '"seeds":[1,2],"seeds":[3]'), '"seeds"'],
    [
      'in a spread',
      (t) => t.replace('"n":2', '"n":2,"n":3'),
      '"n" in variants[0].metrics.rollbacks',
    ],
  ])('a duplicate key %s is refused: JSON keeps only the last', (_, edit, where) => {
    const { path, out, r } = report('dup.json', `${edit(JSON.stringify(comparison()))}\n`);
    expect(r.stderr).toBe(
      `rollout-sim: ${path}:1: duplicate key ${where} (JSON would keep only the last one)\n`,
    );
    expect(r.status).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  test('an unknown format is neither a trace nor a comparison', () => {
    const { path, r } = report('bogus.json', JSON.stringify({ ...comparison(), format: 'bogus' }));
    expect(r.stderr).toBe(
      `rollout-sim: ${path}:1: unknown format "bogus": expected rollout-sim-trace/1 or rollout-sim-comparison/1\n`,
    );
    expect(r.status).toBe(1);
  });

  test('an object without a format says so', () => {
    const { format: _, ...rest } = comparison();
    const { path, r } = report('none.json', JSON.stringify(rest));
    expect(r.stderr).toBe(
      `rollout-sim: ${path}:1: format: missing (expected rollout-sim-trace/1 or rollout-sim-comparison/1)\n`,
    );
    expect(r.status).toBe(1);
  });

  test('text after the comparison line is refused, not ignored', () => {
    const { path, r } = report('more.json', `${JSON.stringify(comparison())}\n\n{"more": 1}\n`);
    expect(r.stderr).toBe(
      `rollout-sim: ${path}:3: expected nothing after the comparison on line 1\n`,
    );
    expect(r.status).toBe(1);
  });

  test('a trace header is still read as a trace, and its errors are the trace reader’s', () => {
    const { path, r } = report(
      'trace.jsonl',
      `${JSON.stringify({ type: 'header', format: 'rollout-sim-trace/1' })}\n`,
    );
    expect(r.stderr).toBe(`rollout-sim: ${path}:1: header: seed: missing (expected a number)\n`);
    expect(r.status).toBe(1);
  });
});

describe('decodeComparison', () => {
  test('a spread with values has a median; one without has none', () => {
    const c = comparison();
    c.variants[0].metrics = {
      ...c.variants[0].metrics,
      time_to_terminal: { ...spread([]), median: 3 },
    };
    expect(decodeComparison(c)).toEqual({
      ok: false,
      message:
        'variants[0].metrics.time_to_terminal.median: expected null, as there are no values, got 3',
    });
    expect(decodeComparison(comparison())).toMatchObject({ ok: true });
  });
});
