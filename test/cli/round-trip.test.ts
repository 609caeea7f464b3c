import { describe, expect, it } from 'vitest';
import { runCli, STACK_TRACE } from './run-cli.ts';

/*
 * A request timeout no longer than an agent request's round trip resends every request
 * before its answer comes: nothing is acknowledged, and a run retried every millisecond
 * for a simulated week (a bad-input sweep found `run` still going after a minute).
 */

const MESSAGE =
  "rollout-sim: --set: request_timeout_secs 0.1 is not longer than an agent request's round trip (up to 0.1 s: latency up to 50 ms each way), so no request would ever be answered\n";

describe('--set request_timeout_secs against the round trip', () => {
  for (const args of [
    ['run'],
    ['check', '--runs', '3'],
    ['explore', '--hosts', '2', '--waves', '1', '--max-runs', '2'],
  ]) {
    it(`${args[0]} refuses a timeout of the round trip itself`, () => {
      const r = runCli([...args, '--set', 'request_timeout_secs=0.1']);
      expect(r.stderr).toBe(MESSAGE);
      expect(r.stderr).not.toMatch(STACK_TRACE);
      expect(r.status).toBe(2);
    });
  }

  it('runs with a timeout just past it', () => {
    const r = runCli(['run', '--set', 'request_timeout_secs=0.101', '--json']);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).ended).toBe('terminal');
  });
});
