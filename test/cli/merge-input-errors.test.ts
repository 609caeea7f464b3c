import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli, SPAWN_HOOK_TIMEOUT, STACK_TRACE } from './run-cli.ts';

/*
 * `check --merge` reads files other tools (a CI matrix, a Job's volume) hand it: each
 * report is checked whole before anything is summed, and shards of two different checks
 * are refused by name. Before: `shard.count: 1e9` ended in a V8 fatal error (exit 133),
 * `deviations: [null]` in "internal error", a report without wall_seconds or with a
 * bogus failure merged with exit 0, and shards of another fleet or other --set settings
 * merged into one report.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const at = (name: string) => join(dir, name);
const ARGS = ['check', '--runs', '20', '--seed', '1', '--json', '--workers', '1'];

function shard(name: string, extra: readonly string[]): string {
  const r = runCli([...ARGS, ...extra]);
  expect(r.stderr).toBe('');
  writeFileSync(at(name), r.stdout);
  return at(name);
}

/** A copy of shard 1 with `edit` applied, as a hand edit or a damaged file leaves it. */
function edited(name: string, edit: (report: Record<string, unknown>) => void): string {
  const report = JSON.parse(readFileSync(at('s1.json'), 'utf8')) as Record<string, unknown>;
  edit(report);
  writeFileSync(at(name), JSON.stringify(report));
  return at(name);
}
const shardOf = (r: Record<string, unknown>) => r.shard as Record<string, unknown>;

beforeAll(() => {
  shard('s1.json', ['--shard', '1/2']);
  shard('s2.json', ['--shard', '2/2']);
  shard('canary.json', ['--shard', '2/2', '--preset', 'canary']);
  shard('set.json', ['--shard', '2/2', '--set', 'plan_tick_secs=20']);
  shard('intent-flag.json', ['--shard', '2/2', '--set', 'halt_gate=true']);
  const two = ['--invariant', 'dispatch.halt', '--invariant', 'host.seq-grows'];
  shard('two-1.json', ['--shard', '1/2', ...two]);
  shard('two-2-swapped.json', ['--shard', '2/2', ...two.slice(2), ...two.slice(0, 2)]);
  shard('one-2.json', ['--shard', '2/2', ...two.slice(0, 2)]);
}, SPAWN_HOOK_TIMEOUT);

function expectRefused(files: readonly string[], line: string): void {
  const r = runCli(['check', '--merge', ...files]);
  expect(r.stderr).toBe(`rollout-sim: ${line}\n`);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(STACK_TRACE);
}

describe('check --merge: damaged reports', () => {
  test('the two good shards merge (the baseline the rest depart from)', () => {
    const r = runCli(['check', '--merge', at('s1.json'), at('s2.json')]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ runs: 20, seed: 1, failure: null });
  });

  const CASES: readonly [string, (r: Record<string, unknown>) => void, string][] = [
    // Merged into the report as they were, both passed before.
    [
      'profile.json',
      (r) => {
        r.profile = 'nope';
      },
      'profile: expected one of "faithful", "intent", "custom", got "nope"',
    ],
    [
      'seed.json',
      (r) => {
        r.seed = -7e10;
      },
      'seed: must be ≥ -2147483648, got -70000000000',
    ],
    [
      'count.json',
      (r) => {
        shardOf(r).count = 1e9;
      },
      'shard.count: must be ≤ 10000000, got 1000000000',
    ],
    [
      'cells.json',
      (r) => {
        r.coverage = { cells: 'x' };
      },
      'coverage.cells: expected a mapping, got "x"',
    ],
    [
      'dev-null.json',
      (r) => {
        r.deviations = [null];
      },
      'deviations.0: expected a mapping, got null',
    ],
    [
      'dev-many.json',
      (r) => {
        r.deviations = [{ invariant: 'zzz', runs: 'many' }];
      },
      'deviations.0.runs: expected a number, got "many"',
    ],
    [
      'dev-unknown.json',
      (r) => {
        r.deviations = [{ invariant: 'zzz', runs: 2, deviation: null, example: 'e' }];
      },
      `deviations.0.invariant: "zzz" is not one of this report's invariants`,
    ],
    [
      'no-wall.json',
      (r) => {
        delete r.wall_seconds;
      },
      'wall_seconds: missing (expected a number)',
    ],
    [
      'bogus-failure.json',
      (r) => {
        r.failure = { bogus: 1 };
      },
      'failure.invariant: missing (expected a string)',
    ],
    [
      'index.json',
      (r) => {
        shardOf(r).index = 3;
      },
      'shard.index: must be ≤ shard.count 2',
    ],
    [
      'first-run.json',
      (r) => {
        shardOf(r).first_run = 5;
      },
      'shard.first_run: must be 0 for shard 1/2 of 20 runs',
    ],
    [
      'no-setup.json',
      (r) => {
        delete shardOf(r).setup;
      },
      'shard.setup: missing (expected a string)',
    ],
  ];
  for (const [name, edit, line] of CASES)
    test(`${name}: ${line}`, () => {
      const file = edited(name, edit);
      expectRefused([file, at('s2.json')], `${file}: ${line}`);
    });

  test('a shard count of thousands names the first missing shards and how many', () => {
    const file = edited('wide.json', (r) => {
      Object.assign(shardOf(r), { count: 20, index: 2, first_run: 1, runs: 1 });
      r.runs = 1;
    });
    expectRefused(
      [file],
      '--merge: shards 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (19 in all) of 20 missing',
    );
  });
});

describe('check --merge: shards of different checks', () => {
  test('another fleet', () => {
    expectRefused(
      [at('s1.json'), at('canary.json')],
      `${at('canary.json')}: not a shard of the same check as ${at('s1.json')}: another fleet, profile flags or --set settings`,
    );
  });

  test('another --set setting', () => {
    expectRefused(
      [at('s1.json'), at('set.json')],
      `${at('set.json')}: not a shard of the same check as ${at('s1.json')}: another fleet, profile flags or --set settings`,
    );
  });

  test('other invariants, named (rollout.opened-once is judged with any choice)', () => {
    expectRefused(
      [at('two-1.json'), at('one-2.json')],
      `${at('one-2.json')}: not a shard of the same check as ${at('two-1.json')}: invariants dispatch.halt, rollout.opened-once, not dispatch.halt, host.seq-grows, rollout.opened-once`,
    );
  });

  test('the same invariants named in another order merge', () => {
    const r = runCli(['check', '--merge', at('two-1.json'), at('two-2-swapped.json')]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      runs: 20,
      invariants: ['dispatch.halt', 'host.seq-grows', 'rollout.opened-once'],
    });
  });

  test('another profile flag', () => {
    expectRefused(
      [at('s1.json'), at('intent-flag.json')],
      `${at('intent-flag.json')}: not a shard of the same check as ${at('s1.json')}: profile custom, not faithful`,
    );
  });
});
