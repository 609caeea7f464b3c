import { spawn } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim step < big.jsonl | head -1`: the reader goes away after the first answer
 * (likewise for the other commands).
 * A CLI should then stop quietly (as `cat` or `jq` do); DESIGN §6 asks for no stack
 * trace on any path.
 */

const LINE = JSON.stringify({
  record: {
    rollout_id: 'stable@a1',
    channel: 'stable',
    target_ref: 'a1',
    state: 'Opening',
    current_wave: 0,
    opened_event_log_seq: null,
    last_transition_event_log_seq: null,
    opened_at: '2026-05-16T01:00:00Z',
    terminal_at: null,
    superseded_at: null,
  },
  event: {
    HostJoined: { rollout_id: 'stable@a1', host_id: 'web-01', wave: 2, at: '2026-05-16T01:00:00Z' },
  },
});

/** Runs the CLI and closes its stdout as soon as the first line has arrived. */
function closedEarly(
  args: readonly string[],
  input: string,
): Promise<{ first: string; stderr: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/rollout-sim.js', ...args], { cwd: REPO_ROOT });
    let out = '';
    let stderr = '';
    let first = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl >= 0 && first === '') {
        first = out.slice(0, nl);
        child.stdout.destroy();
      }
    });
    child.stdin.on('error', () => {
      // The CLI may exit before it has read everything; that is fine here.
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ first, stderr, code }));
    child.stdin.end(input);
  });
}

describe('step: the reader closes stdout early', () => {
  test('the first answer arrives before the reader leaves', async () => {
    const { first } = await closedEarly(['step'], `${LINE}\n`.repeat(20_000));
    expect(JSON.parse(first)).toMatchObject({ ok: true, record: { state: 'Active' } });
  });

  test('it stops quietly: status 0, nothing on stderr (EPIPE)', async () => {
    const { stderr, code } = await closedEarly(['step'], `${LINE}\n`.repeat(20_000));
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stderr).not.toMatch(STACK_TRACE);
    expect(stderr).not.toMatch(/EPIPE/);
  });

  test('walkthrough and diagram stop quietly too', async () => {
    for (const args of [['walkthrough'], ['diagram', 'host', '--all', '--format', 'scxml']]) {
      const { first, stderr, code } = await closedEarly(args, '');
      expect(first.length, args.join(' ')).toBeGreaterThan(0);
      expect(code, args.join(' ')).toBe(0);
      expect(stderr, args.join(' ')).toBe('');
    }
  });
});
