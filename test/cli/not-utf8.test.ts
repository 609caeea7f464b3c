import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * Bytes that are not UTF-8 were decoded to U+FFFD without a word: a Latin-1 `café` in a
 * fleet file became a host `caf\uFFFD`, a damaged trace line read as another value.
 * Each reader now names the place, exit 1 (step answers that line and reads on).
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-utf8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('input that is not UTF-8', () => {
  test('a fleet file: its line and column, exit 1', () => {
    const text = readFileSync(join(REPO_ROOT, 'examples/fleet.yaml'), 'latin1');
    const lines = text.split('\n');
    const n = lines.findIndex((l) => l.includes('web-01'));
    lines[n] = (lines[n] as string).replace('web-01', 'café-01');
    const file = join(dir, 'latin1.yaml');
    writeFileSync(file, latin1(lines.join('\n')));
    const column = (lines[n] as string).indexOf('é') + 1;
    const r = runCli(['run', '--fleet', file]);
    expect(r.stderr).toBe(`rollout-sim: ${file}:${n + 1}:${column}: not UTF-8 text (byte 0xE9)\n`);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
  });

  test('a variants file', () => {
    const file = join(dir, 'variants.yaml');
    writeFileSync(file, latin1('variants:\n  a: {}\n  bé: {}\n'));
    const r = runCli(['compare', '--variants', file]);
    expect(r.stderr).toBe(`rollout-sim: ${file}:3:4: not UTF-8 text (byte 0xE9)\n`);
    expect(r.status).toBe(1);
  });

  test('a trace: its line, exit 1, for every reader', () => {
    const trace = join(dir, 'good.jsonl');
    expect(runCli(['run', '--preset', 'demo', '--trace', trace, '--json']).status).toBe(0);
    const lines = readFileSync(trace, 'utf8').split('\n');
    const bytes = Buffer.concat(
      lines.map((l, i) =>
        Buffer.concat([
          i === 4 ? latin1(l.replace('stable@v1', 'stable@vé1')) : Buffer.from(l),
          Buffer.from(i < lines.length - 1 ? '\n' : ''),
        ]),
      ),
    );
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, bytes);
    for (const args of [
      ['replay', bad],
      ['replay', bad, '--check'],
      ['replay', bad, '--verify'],
      ['report', bad, '--out', join(dir, 'bad.html')],
    ]) {
      const r = runCli(args);
      expect(r.stderr, args.join(' ')).toBe(`rollout-sim: ${bad}:5: not UTF-8 text (byte 0xE9)\n`);
      expect(r.status).toBe(1);
      expect(r.stderr).not.toMatch(STACK_TRACE);
    }
  });

  test('a gzipped trace or fleet says what it is (was "byte 0x8B")', () => {
    const trace = join(dir, 'zipped.jsonl');
    expect(runCli(['run', '--preset', 'demo', '--trace', trace, '--json']).status).toBe(0);
    const zipped = join(dir, 'zipped.jsonl.gz');
    writeFileSync(zipped, gzipSync(readFileSync(trace)));
    const r = runCli(['replay', zipped]);
    expect(r.stderr).toBe(
      `rollout-sim: ${zipped}:1: a gzip file, not text: decompress it first (gunzip -k FILE)\n`,
    );
    expect(r.status).toBe(1);
    const fleet = join(dir, 'fleet.yaml.gz');
    writeFileSync(fleet, gzipSync(readFileSync(join(REPO_ROOT, 'examples/fleet.yaml'))));
    const f = runCli(['run', '--fleet', fleet]);
    expect(f.stderr).toBe(
      `rollout-sim: ${fleet}: a gzip file, not text: decompress it first (gunzip -k FILE)\n`,
    );
    expect(f.status).toBe(1);
  });

  test('step answers the line that is not UTF-8 with InvalidInput and reads on', () => {
    const good = runCli(['paths', 'rollout', '--from', 'Opening', '--to', 'Active']).stdout.split(
      '\n',
    )[0] as string;
    expect(good).toMatch(/^\{/);
    const input = Buffer.concat([
      Buffer.from(`${good}\n`),
      latin1(`${good.replace('stable', 'stablé')}\n`),
      Buffer.from(`${good}\n`),
    ]);
    const r = runCli(['step'], input);
    const answers = r.stdout.trimEnd().split('\n');
    expect(answers).toHaveLength(3);
    expect(JSON.parse(answers[0] as string).ok).toBe(true);
    expect(JSON.parse(answers[1] as string)).toEqual({
      ok: false,
      error: { InvalidInput: { line: 2, message: 'not UTF-8 text (byte 0xE9)' } },
    });
    expect(answers[2]).toBe(answers[0]);
    expect(r.status).toBe(1);
  });
});
