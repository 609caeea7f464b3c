import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from './run-cli.ts';

/*
 * `run --trace` stopped by any signal that ends a process by default: the trace is ended
 * `"interrupted"`, the status is 128 + the signal, one line says so. SIGQUIT, SIGALRM and
 * SIGUSR2 used to kill it with the trace cut off after some record.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('run --trace stopped by a signal', () => {
  for (const signal of ['SIGTERM', 'SIGQUIT', 'SIGALRM', 'SIGUSR2'] as const) {
    test(`${signal}: the trace ends "interrupted" and the status is 128 + ${constants.signals[signal]}`, async () => {
      const trace = join(dir, `${signal}.jsonl`);
      // A heartbeat every millisecond and a settle window of ten years: it never ends alone.
      const child = spawn(
        process.execPath,
        [
          'bin/rollout-sim.js',
          'run',
          '--set',
          'heartbeat_secs=0.001',
          '--set',
          'settle_secs=315360000',
          '--trace',
          trace,
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      // The trace is opened just before the handlers are set, and written in large chunks.
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        try {
          statSync(trace);
          break;
        } catch {}
        await sleep(20);
      }
      await sleep(300);
      child.kill(signal);
      expect(await exited).toBe(128 + constants.signals[signal]);
      const last = readFileSync(trace, 'utf8').trimEnd().split('\n').at(-1) ?? '';
      expect(JSON.parse(last)).toMatchObject({ type: 'end', summary: { ended: 'interrupted' } });
      expect(stderr).toContain(`rollout-sim: interrupted by ${signal} at simulated`);
    });
  }
});
