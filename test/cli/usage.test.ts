import { describe, expect, test } from 'vitest';
import { runCli, STACK_TRACE } from './run-cli.ts';

/*
 * Usage errors (DESIGN §5, §6): exit status 2 and one line on stderr that starts with
 * `rollout-sim:`, nothing on stdout, no stack trace; help is not an error.
 */

const USAGE_ERRORS: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['an unknown command', ['bogus'], /unknown command 'bogus'/],
  ['an unknown flag before the command', ['--bogus'], /unknown option '--bogus'/],
  ['an unknown flag of step', ['step', '--bogus'], /unknown option '--bogus'/],
  ['an unknown flag of diagram', ['diagram', 'rollout', '--colour'], /unknown option '--colour'/],
  [
    'a bad --format value',
    ['diagram', 'rollout', '--format', 'png'],
    /'png' is invalid.*mermaid, dot, scxml, json/,
  ],
  ['--format without a value', ['diagram', 'host', '--format'], /argument missing/],
  ['an unknown machine', ['diagram', 'router'], /'router' is invalid.*rollout, host/],
  ['a missing machine', ['diagram'], /missing required argument 'machine'/],
  ['an extra argument', ['step', 'input.jsonl'], /too many arguments/],
  ['an unknown flag of walkthrough', ['walkthrough', '--fast'], /unknown option '--fast'/],
];

describe('usage errors: exit 2, one line on stderr', () => {
  for (const [what, args, message] of USAGE_ERRORS) {
    test(`${what}: rollout-sim ${args.join(' ')}`, () => {
      const run = runCli(args);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    });
  }

  test('repeatable flags stay repeatable: --set, --invariant, --variant', () => {
    const set = runCli([
      'run',
      '--set',
      'halt_gate=true',
      '--set',
      'soak_from_dispatch=true',
      '--until',
      '1m',
    ]);
    expect(set.stderr).toBe('');
    expect(set.status).toBe(0);
    const invariants = runCli([
      'check',
      '--invariant',
      'dispatch.halt',
      '--invariant',
      'rollout.cursor-steps',
      '--runs',
      '5',
    ]);
    expect(invariants.stderr).toBe('');
    expect(invariants.status).toBe(0);
    const variants = runCli([
      'compare',
      '--variant',
      'a:halt_gate=true',
      '--variant',
      'b:halt_gate=false',
      '--runs',
      '1',
    ]);
    expect(variants.stderr).toBe('');
    expect(variants.status).toBe(0);
  });

  test('a near miss suggests the right name, still on one line', () => {
    const run = runCli(['diagram', 'rollout', '--al']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^rollout-sim: .*Did you mean --all\?[^\n]*\n$/);
  });
});

describe('help: exit 0 on stdout', () => {
  for (const args of [
    ['--help'],
    ['-h'],
    ['help'],
    ['step', '--help'],
    ['diagram', '--help'],
    ['help', 'diagram'],
  ]) {
    test(`rollout-sim ${args.join(' ')}`, () => {
      const run = runCli(args);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Usage: rollout-sim/);
      expect(run.stdout).not.toMatch(STACK_TRACE);
    });
  }

  test('top-level help lists the implemented commands', () => {
    const { stdout } = runCli(['--help']);
    for (const command of ['step', 'diagram', 'walkthrough'])
      expect(stdout).toMatch(new RegExp(`^ {2}${command}\\b`, 'm'));
  });

  test('check help: --no-ui is plain output, as for run and replay, not only with --open', () => {
    const { stdout } = runCli(['check', '--help']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(
      '--no-ui plain output even on a terminal (check prints plain text anyway; with --open: print, do not open the replay view)',
    );
    const run = runCli(['check', '--no-ui', '--runs', '1', '--seed', '1', '--workers', '1']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  test('diagram help names the formats and --all', () => {
    const { stdout } = runCli(['diagram', '--help']);
    expect(stdout).toMatch(/--format <format>.*mermaid.*dot.*scxml.*json/s);
    expect(stdout).toContain('--all');
  });
});

describe('no command', () => {
  test('prints the usage on stderr and exits 2, without a stack trace', () => {
    const run = runCli([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Usage: rollout-sim/);
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });
});
