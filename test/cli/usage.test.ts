import { describe, expect, test } from 'vitest';
import { runCli, STACK_TRACE } from './run-cli.ts';

/*
 * Usage errors (DESIGN §5, §6): exit status 2 and one line on stderr that starts with
 * `rollout-sim:`, nothing on stdout, no stack trace; help is not an error.
 */

const USAGE_ERRORS: readonly (readonly [string, readonly string[], RegExp])[] = [
  ['an unknown command', ['bogus'], /unknown command 'bogus'/],
  // commander printed the whole usage (35 lines) for it.
  [
    'help for an unknown command',
    ['help', 'nope'],
    /help: unknown command "nope" \(commands: run, /,
  ],
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

/*
 * A value echoed back is shown, never obeyed: its control characters (C0, DEL, C1) come
 * out as their JSON escapes, whichever code formed the message (ours quote the value as
 * a JSON string, commander's own between single quotes), so nothing but the one line
 * reaches the terminal.
 */
const ECHOED: readonly (readonly [string, readonly string[], 1 | 2, string])[] = [
  [
    'an escape sequence in a number',
    ['run', '--seed', '1\x1b[2J'],
    2,
    '--seed: expected an integer 0..4294967295, got "1\\u001b[2J"',
  ],
  [
    'a newline in a duration',
    ['run', '--until', '90s\nx'],
    2,
    '--until: expected a duration like 90s, 15m, 2h or 7d, got "90s\\nx"',
  ],
  [
    // `--seed ' 5'` was refused and `--until ' 5m'` taken.
    'a space before a duration',
    ['run', '--until', ' 5m'],
    2,
    '--until: expected a duration like 90s, 15m, 2h or 7d, got " 5m"',
  ],
  [
    'a C1 control (CSI) in a preset name',
    ['run', '--preset', 'de\u009bmo'],
    2,
    '--preset: unknown preset "de\\u009bmo" (known: demo, canary, staged-1k, staged-10k, two-channels, bad-release, supersede, deferred, budget)',
  ],
  // A name of Object.prototype was looked up as a preset: "internal error: preset.build is
  // not a function".
  ...['constructor', '__proto__', 'toString'].flatMap(
    (name) =>
      [
        [
          `a preset named ${name}`,
          ['run', '--preset', name],
          2,
          `--preset: unknown preset "${name}" (known: demo, canary, staged-1k, staged-10k, two-channels, bad-release, supersede, deferred, budget)`,
        ],
        [
          `a preset named ${name}, to explore`,
          ['explore', '--preset', name],
          2,
          `--preset: unknown preset "${name}" (known: demo, canary, staged-1k, staged-10k, two-channels, bad-release, supersede, deferred, budget)`,
        ],
      ] as const,
  ),
  [
    'a quote and a backslash, told apart from an escape',
    ['paths', 'rollout', '--cell', 'a"b\\u001b'],
    2,
    '--cell: expected STATE:EVENT, got "a\\"b\\\\u001b"',
  ],
  [
    'a variant value',
    ['compare', '--variant', 'a:profile=\x1b[31m', '--variant', 'b'],
    2,
    '--variant a: profile: expected faithful or intent, got "\\u001b[31m"',
  ],
  [
    'an unknown option (commander’s own message)',
    ['run', '--bogus\x1b[2J'],
    2,
    "error: unknown option '--bogus\\u001b[2J'",
  ],
  [
    'a newline in an argument commander refuses',
    ['diagram', 'ro\nx'],
    2,
    "error: command-argument value 'ro\\nx' is invalid for argument 'machine'. Allowed choices are rollout, host.",
  ],
  [
    'a file name (bad input, exit 1)',
    ['run', '--fleet', '/nope\x1b[2J'],
    1,
    '/nope\\u001b[2J: no such file',
  ],
];

describe('echoed values: control characters escaped, still one line', () => {
  for (const [what, args, status, message] of ECHOED) {
    test(what, () => {
      const run = runCli(args);
      expect(run.status).toBe(status);
      expect(run.stdout).toBe('');
      expect(run.stderr).toBe(`rollout-sim: ${message}\n`);
    });
  }
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
