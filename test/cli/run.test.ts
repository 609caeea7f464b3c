import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { outputLines, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim run` end to end (DESIGN §4.5, §5, §6): the plain-text and JSON summaries,
 * trace files that `replay --verify` accepts and that are byte-identical for the same
 * seed, and bad input — one line on stderr naming what is wrong, exit 1 for bad files
 * and 2 for usage, no stack trace, and no trace file left behind.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
/** A fresh path in the temp dir (nothing is created). */
const fresh = (name: string): string => join(dir, `${++files}-${name}`);

function write(name: string, text: string): string {
  const path = fresh(name);
  writeFileSync(path, text);
  return path;
}

/** A small valid fleet file; the bad-input cases below are edits of it. */
const TINY = `name: tiny
channels:
  stable:
    rollout_policy: staged
    initial_ref: "v1"
rollout_policies:
  staged:
    strategy: staged
    waves:
      - hosts: [web-01]
        soak_minutes: 1
      - hosts: [web-02, web-03]
        soak_minutes: 2
host_defaults:
  channel: stable
  probes:
    - name: http
hosts:
  web-01:
  web-02:
  web-03:
`;

describe('run: summaries', () => {
  test('--preset demo prints the plain-text summary with the rollout line, exit 0', () => {
    const run = runCli(['run', '--preset', 'demo']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = outputLines(run.stdout);
    expect(lines[0]).toBe('fleet demo, profile faithful, seed 1');
    expect(lines).toContainEqual(
      expect.stringMatching(/^rollout\s+state\s+wave\s+opened\s+ended\s+hosts$/),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^stable@v1\s+Failed\s+2\s+\+0s\s+-\s+Converged 23, Reverted 1$/),
    );
    expect(run.stdout).toContain('quarantined: v1-db-04 on stable');
  });

  test('--profile intent ends the demo Reverted', () => {
    const run = runCli(['run', '--preset', 'demo', '--profile', 'intent']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^stable@v1\s+Reverted\s+2\s/m);
  });

  test('--json prints one JSON object with the DESIGN §4.5 summary fields', () => {
    const run = runCli(['run', '--preset', 'canary', '--json', '--seed', '3']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = outputLines(run.stdout);
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0] as string);
    expect(summary).toMatchObject({
      sim_seconds: expect.any(Number),
      wall_seconds: expect.any(Number),
      events: {
        host_steps: expect.any(Number),
        rollout_steps: expect.any(Number),
        scheduled: expect.any(Number),
      },
    });
    expect(summary.rollouts).toEqual([
      expect.objectContaining({
        rollout_id: 'stable@v1',
        state: 'Terminal',
        current_wave: 1,
        opened_at: '2026-05-16T01:00:00Z',
        terminal_at: expect.stringMatching(/^2026-05-16T\d\d:\d\d:\d\d(\.\d+)?Z$/),
        hosts: { Converged: 11 },
      }),
    ]);
    expect(summary.sim_seconds).toBeGreaterThan(0);
    expect(summary.wall_seconds).toBeGreaterThanOrEqual(0);
    for (const n of Object.values(summary.events)) expect(Number.isInteger(n)).toBe(true);
    expect(summary.events.host_steps).toBeGreaterThan(0);
    expect(summary.events.scheduled).toBeGreaterThanOrEqual(summary.events.host_steps / 2);
  });

  test('--until stops the run at the horizon', () => {
    const run = runCli(['run', '--preset', 'demo', '--until', '2m', '--json']);
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.ended).toBe('horizon');
    expect(summary.sim_seconds).toBeLessThanOrEqual(120);
    expect(summary.rollouts[0].state).toBe('Active');
  });

  test('--fleet runs a fleet file', () => {
    const run = runCli(['run', '--fleet', write('tiny.yaml', TINY), '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary.fleet).toBe('tiny');
    expect(summary.rollouts[0]).toMatchObject({
      state: 'Terminal',
      current_wave: 1,
      hosts: { Converged: 3 },
    });
  });
});

describe('run --trace', () => {
  test('writes a trace that replay --verify finds identical; the same seed gives the same bytes', () => {
    const a = fresh('a.jsonl');
    const b = fresh('b.jsonl');
    const c = fresh('c.jsonl');
    const first = runCli([
      'run',
      '--preset',
      'supersede',
      '--seed',
      '9',
      '--profile',
      'intent',
      '--trace',
      a,
    ]);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`trace: ${a}`);
    const second = runCli([
      'run',
      '--preset',
      'supersede',
      '--seed',
      '9',
      '--profile',
      'intent',
      '--trace',
      b,
      '--json',
    ]);
    expect(second.status).toBe(0);
    const bytesA = readFileSync(a);
    expect(bytesA.length).toBeGreaterThan(1000);
    expect(readFileSync(b).equals(bytesA)).toBe(true);

    const lines = readFileSync(a, 'utf8').trimEnd().split('\n');
    const header = JSON.parse(lines[0] as string);
    expect(header).toMatchObject({
      type: 'header',
      format: 'rollout-sim-trace/1',
      seed: 9,
      profile: 'intent',
    });
    const end = JSON.parse(lines[lines.length - 1] as string);
    expect(end.type).toBe('end');
    expect(end.summary.wall_seconds).toBeNull();
    // The printed summary is the trace's, but for the wall time.
    const printed = JSON.parse(second.stdout);
    expect({ ...printed, wall_seconds: null }).toEqual(end.summary);

    const verify = runCli(['replay', a, '--verify']);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(verify.stdout).toBe(`verified: ${lines.length} lines identical\n`);

    // Another seed: another trace.
    expect(
      runCli(['run', '--preset', 'supersede', '--seed', '10', '--profile', 'intent', '--trace', c])
        .status,
    ).toBe(0);
    expect(readFileSync(c).equals(bytesA)).toBe(false);
  });

  test('a trace file that cannot be created is one line naming the path, no stack trace', () => {
    const path = join(dir, 'no-such-dir', 'trace.jsonl');
    const run = runCli(['run', '--preset', 'canary', '--trace', path]);
    expect(run.stderr).not.toMatch(STACK_TRACE);
    expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
    expect(run.stderr).toContain(path);
    expect([1, 2]).toContain(run.status);
    expect(run.stdout).toBe('');
  });
});

describe('run: bad input', () => {
  const cases: readonly {
    readonly what: string;
    readonly args: () => string[];
    readonly status: 1 | 2;
    readonly message: RegExp;
  }[] = [
    {
      what: 'a fleet file with a key typo',
      args: () => [
        '--fleet',
        write('typo.yaml', TINY.replace('soak_minutes: 1', 'soak_minute: 1')),
      ],
      status: 1,
      message:
        /typo\.yaml: rollout_policies\.staged\.waves\[0\]\.soak_minute: unknown key \(did you mean "soak_minutes"\?\)/,
    },
    {
      what: 'a fleet file with an unknown host in a wave',
      args: () => [
        '--fleet',
        write('unknown-host.yaml', TINY.replace('[web-02, web-03]', '[web-02, web-99]')),
      ],
      status: 1,
      message: /unknown-host\.yaml: rollout_policies\.staged\.waves\[1\]\.hosts\[1\]: .*"web-99"/,
    },
    {
      what: 'a fleet file with a channel-edge cycle',
      args: () => [
        '--fleet',
        write(
          'cycle.yaml',
          `channels:
  a: { rollout_policy: p, initial_ref: "v1" }
  b: { rollout_policy: p, initial_ref: "v1" }
rollout_policies:
  p: { strategy: all-at-once }
hosts:
  h1: { channel: a }
  h2: { channel: b }
channel_edges:
  - { gates: a, gated: b }
  - { gates: b, gated: a }
`,
        ),
      ],
      status: 1,
      message: /cycle\.yaml: channel_edges: .*cycle/,
    },
    {
      what: 'a fleet file with a negative soak',
      args: () => [
        '--fleet',
        write('negative.yaml', TINY.replace('soak_minutes: 2', 'soak_minutes: -5')),
      ],
      status: 1,
      message: /negative\.yaml: rollout_policies\.staged\.waves\[1\]\.soak_minutes: .*-5/,
    },
    {
      what: 'a fleet file with a YAML syntax error',
      args: () => ['--fleet', write('syntax.yaml', 'channels: [\n')],
      status: 1,
      message: /syntax\.yaml:\d+:\d+: YAML syntax error/,
    },
    {
      what: 'a missing fleet file',
      args: () => ['--fleet', join(dir, 'nope.yaml')],
      status: 1,
      message: /nope\.yaml: no such file/,
    },
    {
      what: 'an unknown preset',
      args: () => ['--preset', 'canry'],
      status: 2,
      message: /--preset: unknown preset "canry"/,
    },
    {
      what: 'an unknown --set name',
      args: () => ['--preset', 'demo', '--set', 'nosuch=1'],
      status: 2,
      message: /--set: unknown name "nosuch"/,
    },
    {
      what: 'a bad --set value',
      args: () => ['--preset', 'demo', '--set', 'halt_gate=maybe'],
      status: 2,
      message: /--set halt_gate: expected true or false/,
    },
    {
      what: 'an unparsable --until',
      args: () => ['--preset', 'demo', '--until', 'banana'],
      status: 2,
      message: /--until: .*"banana"/,
    },
    {
      what: 'a negative --seed',
      args: () => ['--preset', 'demo', '--seed', '-1'],
      status: 2,
      message: /--seed: .*"-1"/,
    },
    {
      what: 'an unknown --profile',
      args: () => ['--preset', 'demo', '--profile', 'faithfull'],
      status: 2,
      message: /faithfull/,
    },
    {
      what: 'two fleet sources',
      args: () => ['--preset', 'demo', '--hosts', '10'],
      status: 2,
      message: /choose one fleet/,
    },
  ];

  test('bad input leaves an existing trace file untouched', () => {
    const trace = write('existing.jsonl', 'an earlier trace\n');
    const run = runCli(['run', '--preset', 'demo', '--seed', 'x', '--trace', trace]);
    expect(run.status).toBe(2);
    expect(readFileSync(trace, 'utf8')).toBe('an earlier trace\n');
  });

  for (const c of cases) {
    test(`${c.what}: exit ${c.status}, one line, no trace file`, () => {
      const trace = fresh('never.jsonl');
      const run = runCli(['run', ...c.args(), '--trace', trace]);
      expect(run.status).toBe(c.status);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
      expect(run.stderr).toMatch(c.message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(existsSync(trace)).toBe(false);
    });
  }
});
