import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/*
 * Runs the real CLI, `node bin/rollout-sim.js …`, from the repository root, as a user
 * would: arguments, stdin text, and what came back on stdout, stderr and the exit status.
 */

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliRun {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `timeoutMs` ends a run that takes longer (it throws): a test that the CLI no longer
 * hangs on some input gives a short one.
 */
export function runCli(
  args: readonly string[],
  input: string | Buffer = '',
  timeoutMs = 120_000,
): CliRun {
  const result = spawnSync(process.execPath, ['bin/rollout-sim.js', ...args], {
    cwd: REPO_ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: timeoutMs,
    // A stray NODE_OPTIONS from the test runner must not change what the CLI does.
    env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  if (result.error !== undefined) throw result.error;
  return {
    status: result.status,
    signal: result.signal,
    stdout: result.stdout,
    stderr: result.stderr,
  };
}

/** The output lines of a run; every answer ends with `\n`, so the last split part is empty. */
export function outputLines(stdout: string): string[] {
  if (stdout === '') return [];
  if (!stdout.endsWith('\n'))
    throw new Error(`output does not end with a newline: …${stdout.slice(-80)}`);
  return stdout.slice(0, -1).split('\n');
}

/**
 * For hooks that spawn the CLI several times: each start compiles the TypeScript through
 * tsx, which takes seconds on a loaded 2-core machine; vitest's default is 10 s.
 */
export const SPAWN_HOOK_TIMEOUT = 180_000;

/** Text a Node stack trace would contain. */
export const STACK_TRACE = /\n\s+at |Error: .*\n|node:internal|file:\/\//;
