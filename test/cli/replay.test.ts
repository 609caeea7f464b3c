import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outputLines, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim replay TRACE [--verify] [--json]` end to end (DESIGN §4.5, §6): a good
 * trace is accepted; a truncated or garbled one is exit 1 with one `file:line:` line on
 * stderr and no stack trace; `--verify` names the first line that diverges.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let good = '';
let lines: string[] = [];

beforeAll(() => {
  good = join(dir, 'good.jsonl');
  const run = runCli(['run', '--preset', 'two-channels', '--seed', '4', '--trace', good]);
  expect(run.status).toBe(0);
  lines = readFileSync(good, 'utf8').trimEnd().split('\n');
  // One CLI start compiles the TypeScript through tsx: seconds on a loaded machine.
}, 120_000);

function variant(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** One line on stderr, `rollout-sim: ` first, exit 1, nothing on stdout, no stack trace. */
function expectInputError(args: string[], message: RegExp): void {
  const run = runCli(args);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('replay: a good trace', () => {
  test('is reported well-formed, with its line count', () => {
    const run = runCli(['replay', good]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${good}: ${lines.length} lines, well-formed rollout-sim-trace/1\n`);
  });

  test('--json prints the end record’s summary', () => {
    const run = runCli(['replay', good, '--json']);
    expect(run.status).toBe(0);
    const out = outputLines(run.stdout);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] as string)).toEqual(
      JSON.parse(lines[lines.length - 1] as string).summary,
    );
  });

  test('--verify --json says verified', () => {
    const run = runCli(['replay', good, '--verify', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      verified: true,
      lines: lines.length,
      divergence: null,
    });
  });
});

describe('replay: bad traces, exit 1 with file:line:', () => {
  test('a garbled line (not JSON) names its line', () => {
    const garbled = [...lines];
    garbled[6] = `${(garbled[6] as string).slice(0, 25)}#!garbage`;
    const path = variant('garbled.jsonl', `${garbled.join('\n')}\n`);
    expectInputError(['replay', path], new RegExp(`${literal(path)}:7: not valid JSON`));
  });

  test('a well-formed JSON line that is not a record names its line and field', () => {
    const bad = [...lines];
    const i = bad.findIndex((l) => l.startsWith('{"type":"dispatch"'));
    bad[i] = (bad[i] as string).replace(/"wave":\d+/, '"wave":"zero"');
    const path = variant('bad-field.jsonl', `${bad.join('\n')}\n`);
    expectInputError(['replay', path], new RegExp(`${literal(path)}:${i + 1}: wave: `));
  });

  test('a trace cut in the middle of a line names that line', () => {
    const text = readFileSync(good, 'utf8');
    const cutAt = text.indexOf('\n', Math.floor(text.length / 2)) - 10;
    const lineNo = text.slice(0, cutAt).split('\n').length;
    const path = variant('cut-mid-line.jsonl', text.slice(0, cutAt));
    expectInputError(['replay', path], new RegExp(`${literal(path)}:${lineNo}: not valid JSON`));
  });

  test('a trace cut at a line boundary is incomplete: no end record', () => {
    const path = variant('cut.jsonl', `${lines.slice(0, 40).join('\n')}\n`);
    expectInputError(['replay', path], new RegExp(`${literal(path)}: .*"end"`));
  });

  test('a bad header names line 1', () => {
    const header = JSON.parse(lines[0] as string);
    const path = variant(
      'bad-header.jsonl',
      `${[JSON.stringify({ ...header, format: 'rollout-sim-trace/0' }), ...lines.slice(1)].join('\n')}\n`,
    );
    expectInputError(['replay', path], new RegExp(`${literal(path)}:1: header: `));
    expectInputError(['replay', path, '--verify'], new RegExp(`${literal(path)}:1: header: `));
  });

  test('an empty file and a missing file', () => {
    const empty = variant('empty.jsonl', '');
    expectInputError(['replay', empty], new RegExp(`${literal(empty)}: empty file`));
    const missing = join(dir, 'missing.jsonl');
    expectInputError(['replay', missing], new RegExp(`${literal(missing)}: cannot read`));
  });

  test('--verify names the first line that differs from the re-simulation', () => {
    const tampered = [...lines];
    const i = tampered.findIndex((l, n) => n > 10 && l.startsWith('{"type":"host_transition"'));
    tampered[i] = (tampered[i] as string).replace(
      /"t":([\d.]+)/,
      (_m, t) => `"t":${Number(t) + 1}`,
    );
    const path = variant('tampered.jsonl', `${tampered.join('\n')}\n`);
    const run = runCli(['replay', path, '--verify']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^diverges at line ${i + 1}: recorded `));
    const json = runCli(['replay', path, '--verify', '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      verified: false,
      divergence: expect.stringMatching(new RegExp(`^line ${i + 1}: `)),
    });
  });
});
