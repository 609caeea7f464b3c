import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * `check` spread over workers or shards gives the report one thread gives for the same
 * seed: runs i are derived from the seed and i alone, and the slices merge in index
 * order. wall_seconds is the only field allowed to differ.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ARGS = ['check', '--runs', '60', '--seed', '7', '--json'];

function report(stdout: string): Record<string, unknown> {
  const { wall_seconds: _, ...rest } = JSON.parse(stdout) as Record<string, unknown>;
  return rest;
}

describe('check: workers and shards', () => {
  test('--workers 2 equals --workers 1; --shard 1/2 + 2/2 merged equals the whole run', () => {
    const one = runCli([...ARGS, '--workers', '1']);
    expect(one.status).toBe(0);
    const whole = report(one.stdout);
    expect(whole.runs).toBe(60);

    const two = runCli([...ARGS, '--workers', '2']);
    expect(two.status).toBe(0);
    expect(report(two.stdout)).toEqual(whole);

    const shards = ['1/2', '2/2'].map((s, i) => {
      const r = runCli([...ARGS, '--shard', s, '--workers', '1']);
      expect(r.status).toBe(0);
      const shard = (JSON.parse(r.stdout) as { shard: unknown }).shard;
      expect(shard).toEqual({
        index: i + 1,
        count: 2,
        first_run: i * 30,
        runs: 30,
        total_runs: 60,
        // The same for every shard of one check (fleet, profile, settings).
        setup: expect.stringMatching(/^[0-9a-f]{16}$/),
      });
      const path = join(dir, `shard-${i + 1}.json`);
      writeFileSync(path, r.stdout);
      return path;
    });
    // Given in any order.
    const merged = runCli(['check', '--merge', ...shards.reverse()]);
    expect(merged.stderr).toBe('');
    expect(merged.status).toBe(0);
    expect(report(merged.stdout)).toEqual(whole);
  });

  test('--merge with a shard missing: one line, exit 1', () => {
    const r = runCli([...ARGS, '--shard', '2/3', '--workers', '1']);
    const path = join(dir, 'only.json');
    writeFileSync(path, r.stdout);
    const merged = runCli(['check', '--merge', path]);
    expect(merged.stderr).toBe('rollout-sim: --merge: shards 1, 3 of 3 missing\n');
    expect(merged.status).toBe(1);
  });
});
