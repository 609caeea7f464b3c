import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from './run-cli.ts';

/*
 * `explore --workers 2` runs each level's paths on a pool and takes them back in plan
 * order: the output is the one-thread output (paths, deliveries, violations with their
 * plans and fault paths, coverage), also when --max-runs cuts a level short. Only the
 * timing fields may differ.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-explore-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function withoutTimes(stdout: string): unknown {
  return JSON.parse(stdout, (key, value) =>
    key === 'seconds' || key === 'wall_seconds' ? undefined : value,
  );
}

describe('explore: workers', () => {
  test.each([[['--faults', '1']], [['--faults', '2', '--max-runs', '150', '--profile', 'intent']]])(
    '%j: --workers 2 prints what --workers 1 prints',
    (extra) => {
      const args = ['explore', '--hosts', '2', ...extra, '--json', '--out', dir];
      const one = runCli([...args, '--workers', '1']);
      expect(one.status, one.stderr).not.toBe(2);
      const two = runCli([...args, '--workers', '2']);
      expect(two.status).toBe(one.status);
      expect(two.stderr).toBe(one.stderr);
      expect(withoutTimes(two.stdout)).toEqual(withoutTimes(one.stdout));
    },
  );
});
