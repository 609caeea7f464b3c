import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `--fleet TRACE`: a trace's header holds the fleet it ran, so a counterexample `check`
 * wrote can be checked on other seeds, explored, or run again, as its fleet file would be.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-fleet-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--fleet takes a trace', () => {
  const preset = join(dir, 'budget.trace.jsonl');
  const again = join(dir, 'again.trace.jsonl');

  test('run --fleet TRACE runs the fleet of its header: the same trace, byte for byte', () => {
    const a = runCli(['run', '--preset', 'budget', '--seed', '7', '--json', '--trace', preset]);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const b = runCli(['run', '--fleet', preset, '--seed', '7', '--json', '--trace', again]);
    expect(b.stderr).toBe('');
    expect(b.status).toBe(0);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(preset, 'utf8'));
  });

  test('check --fleet TRACE checks that fleet on other seeds', () => {
    const r = runCli(['check', '--fleet', preset, '--runs', '4', '--seed', '1', '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { runs: number; failure: unknown };
    expect(report.runs).toBe(4);
    expect(report.failure).toBeNull();
  });

  test('a .jsonl file that is no trace: one line naming line 1 of its header, exit 1', () => {
    const bad = join(dir, 'not-a-trace.jsonl');
    writeFileSync(bad, '{"type":"header"}\n');
    const r = runCli(['run', '--fleet', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `rollout-sim: ${bad}:1: header: format: expected "rollout-sim-trace/1", got nothing\n`,
    );
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  test('check refuses at once a --fleet trace its counterexample would overwrite', () => {
    const named = join(dir, 'rollout-sim-counterexample-5.trace.jsonl');
    copyFileSync(preset, named);
    const before = readFileSync(named, 'utf8');
    const r = runCli(['check', '--fleet', named, '--seed', '5', '--out', dir, '--runs', '1000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `rollout-sim: ${named}: cannot write the counterexample trace: is also the input of --fleet: writing it would destroy that input\n`,
    );
    expect(r.stdout).toBe('');
    expect(readFileSync(named, 'utf8')).toBe(before);
  });
});
