import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spread } from '../../sim/compare/stats.ts';
import { distributionBar } from '../../src/cli/compare/bars.ts';
import { parseVariantsFile } from '../../src/cli/compare/variants-file.ts';
import { runCli, STACK_TRACE } from '../cli/run-cli.ts';

/*
 * `rollout-sim compare` (DESIGN §5): paired seeds, spreads with seeded bootstrap
 * intervals, byte-identical JSON whatever the number of workers, and one-line errors.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-compare-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BAD_RELEASE = [
  'compare',
  '--preset',
  'bad-release',
  '--variant',
  'halt:on_health_failure=halt',
  '--variant',
  'rollback:on_health_failure=rollback-and-halt',
];

describe('compare bad-release, halt against rollback-and-halt', () => {
  test('--json names both variants and their paired difference with intervals, identical on a second run and with one worker', () => {
    const a = runCli([...BAD_RELEASE, '--runs', '12', '--json']);
    const b = runCli([...BAD_RELEASE, '--runs', '12', '--json']);
    const one = runCli([...BAD_RELEASE, '--runs', '12', '--json', '--workers', '1']);
    expect(a.status).toBe(0);
    expect(a.stderr).toBe('');
    expect(b.stdout).toBe(a.stdout);
    expect(one.stdout).toBe(a.stdout);
    const json = JSON.parse(a.stdout);
    expect(json.variants.map((v: { name: string }) => v.name)).toEqual(['halt', 'rollback']);
    expect(json.differences[0].name).toBe('rollback − halt');
    // rollback-and-halt rolls the two failed canaries back; halt leaves them Failed.
    expect(json.variants[0].metrics.rollbacks.median).toBe(0);
    expect(json.variants[1].metrics.rollbacks.median).toBe(2);
    expect(json.differences[0].metrics.rollbacks).toMatchObject({ n: 12, median: 2, ci95: [2, 2] });
    expect(json.variants[0].stalls_by_gate['wave-promotion']).toBe(12);
  }, 120_000);

  test('the text table has a row per variant and difference, with distribution bars', () => {
    const r = runCli([...BAD_RELEASE, '--runs', '4']);
    expect(r.stdout).toContain('compare --preset bad-release: 2 variants × 4 paired seeds (1…4)');
    expect(r.stdout).toMatch(
      / {2}rollback − halt +n +4 +median +2 +p90 +2 +95% CI \[2, 2\] +│█ +│/,
    );
    // One set of columns for the whole table: every row's bar starts in the same column
    // and is as wide, whichever metric block it is in.
    const rows = r.stdout.split('\n').filter((l) => l.includes('│'));
    expect(rows.length).toBe(4 * 3);
    expect(new Set(rows.map((l) => l.indexOf('│'))).size).toBe(1);
    expect(new Set(rows.map((l) => l.lastIndexOf('│') - l.indexOf('│'))).size).toBe(1);
    expect(new Set(rows.map((l) => l.indexOf('median'))).size).toBe(1);
  }, 60_000);
});

describe('bad input', () => {
  test('a bad --variant value is one usage line, exit 2', () => {
    const r = runCli(['compare', '--variant', 'a:on_health_failure=sometimes', '--variant', 'b:']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'rollout-sim: --variant a: on_health_failure: expected halt or rollback-and-halt, got "sometimes"\n',
    );
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });
  test('a variants file names the path of what is wrong, exit 1', () => {
    const file = join(dir, 'v.yaml');
    writeFileSync(file, 'variants:\n  a: {}\n  b: { soak_minutes: -3 }\n');
    const r = runCli(['compare', '--variants', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `rollout-sim: ${file}: variants.b.soak_minutes: expected an integer in [0, 315360000], got -3\n`,
    );
  });
  // A fleet file refuses a fractional soak_minutes (`expected an integer, got 2.5`); a
  // variant that set one ran.
  test('a fractional soak_minutes, refused as a fleet file refuses it: --variant, exit 2', () => {
    const r = runCli(['compare', '--variant', 'a', '--variant', 'b:soak_minutes=2.5']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'rollout-sim: --variant b: soak_minutes: expected an integer in [0, 315360000], got "2.5"\n',
    );
  });
  test('… and in a variants file, exit 1', () => {
    const file = join(dir, 'fraction.yaml');
    writeFileSync(file, 'variants:\n  a: {}\n  b: { soak_minutes: 2.5 }\n');
    const r = runCli(['compare', '--variants', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rollout-sim: ${file}: variants.b.soak_minutes: expected an integer in [0, 315360000], got 2.5\n`,
    );
  });
  test('a soak_minutes or max_in_flight that is a list of one number is no number', () => {
    const r = parseVariantsFile('variants:\n  a: {}\n  b: { soak_minutes: [5] }\n', 'v.yaml');
    expect(r).toEqual({
      ok: false,
      error: 'v.yaml: variants.b.soak_minutes: expected an integer in [0, 315360000], got [5]',
    });
  });
  test.each<[string, string, string]>([
    // A string is no number in a file, as in a fleet file: "15" was taken for 15.
    ['soak_minutes: "15"', 'soak_minutes', 'expected an integer in [0, 315360000], got "15"'],
    ['max_in_flight: "2"', 'max_in_flight', 'expected an integer in [1, 315360000], got "2"'],
    ['halt_gate: "true"', 'halt_gate', 'expected true or false, got "true"'],
    ['plan_tick_secs: "30"', 'plan_tick_secs', 'expected a number, got "30"'],
    ['profile: [intent]', 'profile', 'expected faithful or intent, got ["intent"]'],
    [
      'wave_sizes: ["1", 2]',
      'wave_sizes',
      'expected sizes like 1/4/20 (integers in [1, 315360000]), got ["1",2]',
    ],
    // 1e20 minutes of soak ran the comparison for a minute.
    [
      'soak_minutes: 1e20',
      'soak_minutes',
      'expected an integer in [0, 315360000], got 100000000000000000000',
    ],
    ['soak_minutes: null', 'soak_minutes', 'expected an integer in [0, 315360000], got null'],
    // JSON writes NaN and the infinities as null: YAML's `.nan` was "got null".
    ['plan_tick_secs: .nan', 'plan_tick_secs', 'expected a number, got NaN'],
    ['plan_tick_secs: -.inf', 'plan_tick_secs', 'expected a number, got -Infinity'],
  ])('a variants file with %s names the key and what it takes', (value, key, message) => {
    expect(parseVariantsFile(`variants:\n  a: {}\n  b: { ${value} }\n`, 'v.yaml')).toEqual({
      ok: false,
      error: `v.yaml: variants.b.${key}: ${message}`,
    });
  });
  test.each<[string, string]>([
    ['variants: 5', 'v.yaml: variants: expected a mapping, got 5'],
    ['variants:\n  a: 5\n  b: {}', 'v.yaml: variants.a: expected a mapping, got 5'],
    ['variantz: {}', 'v.yaml: variantz: unknown key (did you mean "variants"?)'],
    ['[]', 'v.yaml: expected a mapping, got an empty list'],
    [
      'variants:\n  "a b": {}\n  b: {}',
      'v.yaml: variants.a b: invalid name "a b" (letters, digits, - _ or .)',
    ],
  ])("a variants file of the wrong shape (%j) says so in words, not zod's", (text, error) => {
    expect(parseVariantsFile(text, 'v.yaml')).toEqual({ ok: false, error });
  });
  test('the command line takes text for numbers and booleans, within the same bounds', () => {
    const ok = runCli([
      'compare',
      '--variant',
      'a',
      '--variant',
      'b:soak_minutes=99999999999999999999',
    ]);
    expect(ok.stderr).toBe(
      'rollout-sim: --variant b: soak_minutes: expected an integer in [0, 315360000], got "99999999999999999999"\n',
    );
    expect(ok.status).toBe(2);
  });
  test('a variants file with an unknown key', () => {
    const r = parseVariantsFile('variants:\n  a: {}\n  b: { soak_minuts: 3 }\n', 'v.yaml');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(
      /^v\.yaml: variants\.b\.soak_minuts: unknown key "soak_minuts"/,
    );
  });
});

describe('variants that would hang the comparison or be dropped without a word', () => {
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  /** Long enough for a loaded machine to start the CLI; a hang was killed at 30 s. */
  const QUICK = 30_000;

  test.each<[string, string[], 1 | 2, string]>([
    [
      'a tick setting of 0 in a --variant (compare ran forever)',
      ['compare', '--variant', 'a', '--variant', 'b:plan_tick_secs=0'],
      2,
      'rollout-sim: --variant b: plan_tick_secs: expected a number ≥ 0.001 and ≤ 315360000, got "0"',
    ],
    [
      'a tick setting of 0 in a variants file (compare ran forever)',
      [
        'compare',
        '--variants',
        file('zero.yaml', 'variants:\n  a: {}\n  b: { plan_tick_secs: 0 }\n'),
      ],
      1,
      `rollout-sim: ${join(dir, 'zero.yaml')}: variants.b.plan_tick_secs: expected a number ≥ 0.001 and ≤ 315360000, got 0`,
    ],
    [
      'a setting past its range, as --set refuses it',
      ['compare', '--variant', 'a', '--variant', 'b:retention_days=1e9'],
      2,
      'rollout-sim: --variant b: retention_days: expected a number ≥ 0 and ≤ 3650, got "1e9"',
    ],
    [
      'an empty setting',
      ['compare', '--variant', 'a', '--variant', 'b:heartbeat_secs='],
      2,
      'rollout-sim: --variant b: heartbeat_secs: expected a number, got ""',
    ],
    [
      'a request timeout the wire cannot answer within (compare ran forever)',
      ['compare', '--variant', 'a', '--variant', 'b:request_timeout_secs=0.001'],
      2,
      "rollout-sim: --variant b: request_timeout_secs 0.001 is not longer than an agent request's round trip (up to 0.1 s: latency up to 50 ms each way), so no request would ever be answered",
    ],
    [
      'the same in a variants file',
      [
        'compare',
        '--variants',
        file('timeout.yaml', 'variants:\n  a: {}\n  b: { request_timeout_secs: 0.01 }\n'),
      ],
      1,
      `rollout-sim: ${join(dir, 'timeout.yaml')}: variants.b: request_timeout_secs 0.01 is not longer than an agent request's round trip (up to 0.1 s: latency up to 50 ms each way), so no request would ever be answered`,
    ],
    [
      'a variant named __proto__ (was dropped: "expected at least two variants, got 1")',
      [
        'compare',
        '--variants',
        file('proto.yaml', 'variants:\n  a: {}\n  __proto__: { soak_minutes: 5 }\n'),
      ],
      1,
      `rollout-sim: ${join(dir, 'proto.yaml')}: variants.__proto__: unsupported key`,
    ],
    [
      'a __proto__ key in a variant (was dropped: the variant ran as the scenario)',
      [
        'compare',
        '--variants',
        file('proto-key.yaml', 'variants:\n  a: {}\n  b: { __proto__: 5 }\n'),
      ],
      1,
      `rollout-sim: ${join(dir, 'proto-key.yaml')}: variants.b.__proto__: unsupported key`,
    ],
    [
      'a profile named after an Object member (ran as neither profile)',
      ['compare', '--variant', 'a', '--variant', 'b:profile=constructor'],
      2,
      'rollout-sim: --variant b: profile: expected faithful or intent, got "constructor"',
    ],
  ])(
    '%s',
    (_, args, status, stderr) => {
      const r = runCli(args, '', QUICK);
      expect(r.signal).toBeNull();
      expect(r.stderr).toBe(`${stderr}\n`);
      expect(r.status).toBe(status);
      expect(r.stdout).toBe('');
    },
    QUICK + 10_000,
  );

  test('a variant may be called constructor, toString or prototype: names are not keys', () => {
    const r = parseVariantsFile(
      'variants:\n  constructor: {}\n  toString: { soak_minutes: 1 }\n  prototype: { halt_gate: true }\n',
      'v.yaml',
    );
    expect(r.ok && r.variants.map((v) => [v.name, v.soakMinutes, v.flags])).toEqual([
      ['constructor', undefined, {}],
      ['toString', 1, {}],
      ['prototype', undefined, { halt_gate: true }],
    ]);
  });
});

describe('spreads and bars', () => {
  test('median, p90 and a seeded bootstrap interval, the same for the same seed', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const s = spread(values, 3);
    expect(s.median).toBe(5.5);
    expect(s.p90).toBeCloseTo(9.1);
    expect(s.ci?.[0]).toBeLessThanOrEqual(5.5);
    expect(s.ci?.[1]).toBeGreaterThanOrEqual(5.5);
    expect(spread(values, 3)).toEqual(s);
  });
  test('a bar puts each value in its bin over the shared range', () => {
    expect(distributionBar([0, 0, 10], 0, 10, 4)).toBe('█  ▄');
  });
});
