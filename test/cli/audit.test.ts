import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim audit LOG` over event logs built to the rows nixfleet's control plane
 * writes at 080d6cd (test/fixtures/audit, docs/audit.md).
 */

const fixture = (name: string) => path.join(REPO_ROOT, 'test/fixtures/audit', name);

describe('audit', () => {
  test('a clean lifecycle re-derives to Terminal with both hosts Converged, exit 0', () => {
    const run = runCli(['audit', fixture('lifecycle.jsonl'), '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.rollouts).toEqual([
      { rollout_id: 'stable@a1', state: 'Terminal', current_wave: 0 },
    ]);
    expect(report.hosts.map((h: { state: string }) => h.state)).toEqual(['Converged', 'Converged']);
    expect(report.divergences).toEqual([]);
  });

  test('supersession: the older rollout ends Superseded through SuccessorOpened', () => {
    const run = runCli(['audit', fixture('supersession.jsonl')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/stable@a1 {2}Superseded/);
    expect(run.stdout).toMatch(/divergences: 0/);
  });

  test('a logged converge 500 µs before soak_due_at and a wrong terminal state are divergences', () => {
    const run = runCli(['audit', fixture('divergent.jsonl')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'divergent.jsonl:25: stable@a1 web-02: logged RemoteConverged, but the reducer refuses it: Invariant',
    );
    expect(run.stdout).toContain(
      'divergent.jsonl:29: stable@a1: the log records Active → Failed at 2026-05-16T01:05:30Z, the reducer gives Active → Terminal',
    );
  });

  test('a log that breaks an invariant reports it (no divergence) and exits 1', () => {
    const run = runCli(['audit', fixture('violation.jsonl'), '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.divergences).toEqual([]);
    expect(report.violations).toContainEqual(
      expect.objectContaining({ invariant: 'rollout.terminal-all-converged', known: null }),
    );
  });

  test('--trace writes a trace that replay reads and --check judges the same way', () => {
    const trace = path.join(mkdtempSync(path.join(tmpdir(), 'audit-')), 'trace.jsonl');
    expect(runCli(['audit', fixture('violation.jsonl'), '--trace', trace]).status).toBe(1);
    expect(runCli(['replay', trace]).stdout).toMatch(/well-formed rollout-sim-trace\/1/);
    const check = runCli(['replay', trace, '--check', '--json']);
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout).violations[0].invariant).toBe('rollout.terminal-all-converged');
  });

  test('a damaged log names each unreadable line and field, goes on, exits 1', () => {
    const run = runCli(['audit', fixture('damaged.jsonl'), '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.unreadable).toEqual([
      expect.objectContaining({ line: 4, field: '' }),
      { line: 7, field: 'ts', message: 'expected a string' },
    ]);
    // The rest of the log was still read: the first host converged.
    expect(report.hosts).toContainEqual({
      rollout_id: 'stable@a1',
      host: 'web-01',
      state: 'Converged',
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test('a missing file is one line, exit 1', () => {
    const run = runCli(['audit', fixture('nope.jsonl')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /nope\.jsonl: cannot read: no such file or directory \(ENOENT\)$/,
    );
  });
});
