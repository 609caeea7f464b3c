import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { outputLines, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim replay TRACE [--verify] [--json]` end to end (DESIGN §4.5, §6): a good
 * trace is accepted; a truncated or garbled one is exit 1 with one `file:line:` line on
 * stderr and no stack trace; `--verify` names the first line that diverges.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let good = '';
let lines: string[] = [];

beforeAll(() => {
  good = join(dir, 'good.jsonl');
  const run = runCli(['run', '--preset', 'two-channels', '--seed', '4', '--trace', good]);
  expect(run.status).toBe(0);
  lines = readFileSync(good, 'utf8').trimEnd().split('\n');
  // One CLI start compiles the TypeScript through tsx: seconds on a loaded machine.
}, 120_000);

function variant(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** One line on stderr, `rollout-sim: ` first, exit 1, nothing on stdout, no stack trace. */
function expectInputError(args: string[], message: RegExp): void {
  const run = runCli(args);
  expect(run.stderr).not.toMatch(STACK_TRACE);
  expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('replay: a good trace', () => {
  test('is reported well-formed, with its line count', () => {
    const run = runCli(['replay', good]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${good}: ${lines.length} lines, well-formed rollout-sim-trace/1\n`);
  });

  test('--json prints the end record’s summary', () => {
    const run = runCli(['replay', good, '--json']);
    expect(run.status).toBe(0);
    const out = outputLines(run.stdout);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] as string)).toEqual(
      JSON.parse(lines[lines.length - 1] as string).summary,
    );
  });

  test('--verify --json says verified', () => {
    const run = runCli(['replay', good, '--verify', '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      verified: true,
      lines: lines.length,
      divergence: null,
    });
  });
});

describe('replay: bad traces, exit 1 with file:line:', () => {
  test('a garbled line (not JSON) names its line', () => {
    const garbled = [...lines];
    garbled[6] = `${(garbled[6] as string).slice(0, 25)}#!garbage`;
    const path = variant('garbled.jsonl', `${garbled.join('\n')}\n`);
    expectInputError(['replay', path], new RegExp(`${literal(path)}:7: not valid JSON`));
  });

  test('a well-formed JSON line that is not a record names its line and field', () => {
    const bad = [...lines];
    const i = bad.findIndex((l) => l.startsWith('{"type":"dispatch"'));
    bad[i] = (bad[i] as string).replace(/"wave":\d+/, '"wave":"zero"');
    const path = variant('bad-field.jsonl', `${bad.join('\n')}\n`);
    expectInputError(['replay', path], new RegExp(`${literal(path)}:${i + 1}: wave: `));
  });

  test('a line nested past 128 levels names its line and column, for every reader', () => {
    // 5,000 levels overflowed the stack of the key check: "internal error: Maximum call stack".
    const deep = [...lines];
    deep[4] = `{"x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const path = variant('deep.jsonl', `${deep.join('\n')}\n`);
    const message = `rollout-sim: ${path}:5:133: nested deeper than 128 levels\n`;
    for (const args of [
      ['replay', path],
      ['replay', path, '--check'],
      ['report', path, '-o', `${path}.html`],
    ]) {
      const run = runCli(args);
      expect(run.stderr).toBe(message);
      expect(run.status).toBe(1);
    }
  });

  test('a trace cut in the middle of a line names that line', () => {
    const text = readFileSync(good, 'utf8');
    const cutAt = text.indexOf('\n', Math.floor(text.length / 2)) - 10;
    const lineNo = text.slice(0, cutAt).split('\n').length;
    const path = variant('cut-mid-line.jsonl', text.slice(0, cutAt));
    expectInputError(['replay', path], new RegExp(`${literal(path)}:${lineNo}: not valid JSON`));
  });

  test('a trace cut at a line boundary is incomplete: no end record', () => {
    const path = variant('cut.jsonl', `${lines.slice(0, 40).join('\n')}\n`);
    expectInputError(
      ['replay', path],
      new RegExp(`${literal(path)}:40: the trace ends here without an "end" record`),
    );
  });

  test('a bad header names line 1', () => {
    const header = JSON.parse(lines[0] as string);
    const path = variant(
      'bad-header.jsonl',
      `${[JSON.stringify({ ...header, format: 'rollout-sim-trace/0' }), ...lines.slice(1)].join('\n')}\n`,
    );
    expectInputError(['replay', path], new RegExp(`${literal(path)}:1: header: `));
    expectInputError(['replay', path, '--verify'], new RegExp(`${literal(path)}:1: header: `));
  });

  test('a header profile that is neither a name nor a flags object says what it may be', () => {
    // zod's words for a failed union were "profile: Invalid input".
    const header = JSON.parse(lines[0] as string);
    const path = variant(
      'bad-profile.jsonl',
      `${[JSON.stringify({ ...header, profile: 'weird' }), ...lines.slice(1)].join('\n')}\n`,
    );
    expectInputError(
      ['replay', path],
      new RegExp(
        `${literal(path)}:1: header: profile: ${literal('expected "faithful", "intent", or the flags object a trace writes ({"base": …, and every profile flag as true or false})')}$`,
        'm',
      ),
    );
  });

  test('an empty file and a missing file', () => {
    const empty = variant('empty.jsonl', '');
    expectInputError(['replay', empty], new RegExp(`${literal(empty)}: empty file`));
    const missing = join(dir, 'missing.jsonl');
    expectInputError(['replay', missing], new RegExp(`${literal(missing)}: cannot read`));
  });

  test('--verify refuses a header whose start was moved (every line still matched)', () => {
    const moved = [...lines];
    moved[0] = (moved[0] as string).replace(/"start":"[^"]+"/, '"start":"2026-05-17T00:00:00Z"');
    expect(moved[0]).not.toBe(lines[0]);
    const path = variant('moved-start.jsonl', `${moved.join('\n')}\n`);
    const run = runCli(['replay', path, '--verify']);
    expect(run.stdout).toBe(
      "diverges at line 1: the header's start is 2026-05-17T00:00:00Z, but every run starts at 2026-05-16T01:00:00Z\n",
    );
    expect(run.status).toBe(1);
  });

  test('--verify names the first line that differs from the re-simulation', () => {
    const tampered = [...lines];
    const i = tampered.findIndex((l, n) => n > 10 && l.startsWith('{"type":"host_transition"'));
    // The other side's transition: well-formed and in time order, but not what ran.
    tampered[i] = (tampered[i] as string).replace(/"side":"(cp|agent)"/, (_m, side) =>
      side === 'cp' ? '"side":"agent"' : '"side":"cp"',
    );
    const path = variant('tampered.jsonl', `${tampered.join('\n')}\n`);
    const run = runCli(['replay', path, '--verify']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^diverges at line ${i + 1}: recorded `));
    const json = runCli(['replay', path, '--verify', '--json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      verified: false,
      divergence: expect.stringMatching(new RegExp(`^line ${i + 1}: `)),
    });
  });
});

/*
 * --verify compares JSON values, not bytes: a trace that went through a formatter (spaces
 * after `:` and `,`, keys sorted, `\u0041` for `A`) is the same trace; a value changed
 * is still a divergence, shown in the simulation's own spacing beside what it gives.
 */
describe('replay --verify: the same JSON written otherwise', () => {
  /** Every record line (not the header) re-written by `rewrite`. */
  const rewritten = (name: string, rewrite: (value: unknown) => string) =>
    variant(
      name,
      `${[lines[0], ...lines.slice(1).map((l) => rewrite(JSON.parse(l)))].join('\n')}\n`,
    );
  /** JSON with a space after every `:` and `,` outside strings, as Python's json.dumps. */
  const spaced = (value: unknown): string => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');
  const sortedKeys = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(sortedKeys)
      : typeof value === 'object' && value !== null
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
          )
        : value;

  test('re-spaced records verify (were "diverges at line 2: recorded {"type": …")', () => {
    const path = rewritten('spaced.jsonl', spaced);
    expect(readFileSync(path, 'utf8').split('\n')[1]).toMatch(/^\{ "type": "rollout_opened", /);
    const run = runCli(['replay', path, '--verify']);
    expect(run.stdout).toBe(`verified: ${lines.length} lines identical\n`);
    expect(run.status).toBe(0);
  });

  test('records with their keys sorted and a character escaped verify', () => {
    const path = rewritten('sorted.jsonl', (v) =>
      JSON.stringify(sortedKeys(v)).replace(
        /"type":"(\w)/,
        (_m, c: string) => `"type":"\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    );
    expect(readFileSync(path, 'utf8').split('\n')[1]).toMatch(
      /^\{"channel":"[^"]+","rollout_id":.*"type":"\\u0072ollout_opened"\}$/,
    );
    const run = runCli(['replay', path, '--verify']);
    expect(run.stdout).toBe(`verified: ${lines.length} lines identical\n`);
    expect(run.status).toBe(0);
  });

  test('a changed value on a re-spaced line diverges, shown as the simulation spaces it', () => {
    const i = lines.findIndex((l, n) => n > 10 && l.startsWith('{"type":"host_transition"'));
    const changed = [...lines];
    const record = JSON.parse(lines[i] as string) as { side: string };
    record.side = record.side === 'cp' ? 'agent' : 'cp';
    changed[i] = spaced(record);
    const path = variant('spaced-changed.jsonl', `${changed.join('\n')}\n`);
    const run = runCli(['replay', path, '--verify']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe(
      `diverges at line ${i + 1}: recorded ${JSON.stringify(record)} but the simulation gives ${lines[i]}\n`,
    );
  });
});

/*
 * Every command that reads a trace reads it through one decoder (`readTrace`): blank
 * lines and a trace with no `end` record get the same answer from each.
 */
describe('replay: every reader alike', () => {
  /** What each reader answers: exit status, and the one stderr line or the stdout text. */
  function answers(path: string) {
    const out = join(dir, 'report.html');
    const report = runCli(['report', path, '-o', out]);
    const modes = { plain: [], json: ['--json'], check: ['--check'], verify: ['--verify'] };
    return {
      ...Object.fromEntries(
        Object.entries(modes).map(([mode, flags]) => [mode, runCli(['replay', path, ...flags])]),
      ),
      report,
    } as Record<keyof typeof modes | 'report', ReturnType<typeof runCli>>;
  }

  function expectAllRefuse(path: string, message: string): void {
    for (const [mode, run] of Object.entries(answers(path))) {
      expect(run.stderr, mode).toBe(`rollout-sim: ${message}\n`);
      expect(run.status, mode).toBe(1);
      expect(run.stdout, mode).toBe('');
    }
  }

  const blank = 'a blank line: a trace holds one JSON record on every line';

  test('a final line break is no blank line; a missing one is fine too', () => {
    const path = variant('no-final-newline.jsonl', lines.join('\n'));
    const run = runCli(['replay', path]);
    expect(run.stdout).toBe(`${path}: ${lines.length} lines, well-formed rollout-sim-trace/1\n`);
    expect(runCli(['replay', path, '--verify']).stdout).toBe(
      `verified: ${lines.length} lines identical\n`,
    );
  });

  test('CRLF line endings are read as LF by every reader, --verify included', () => {
    const path = variant('crlf.jsonl', `${lines.join('\r\n')}\r\n`);
    const a = answers(path);
    expect(a.plain.stdout).toBe(
      `${path}: ${lines.length} lines, well-formed rollout-sim-trace/1\n`,
    );
    expect(JSON.parse(a.json.stdout)).toEqual(
      JSON.parse(lines[lines.length - 1] as string).summary,
    );
    expect(a.verify.stdout).toBe(`verified: ${lines.length} lines identical\n`);
    expect(outputLines(a.check.stdout)[0]).toBe(
      `${path}: ${lines.length} lines, 0 violations, 0 known deviations`,
    );
    expect(a.report.stdout).toMatch(/^report: /);
    for (const [mode, run] of Object.entries(a)) {
      expect(run.status, mode).toBe(0);
      expect(run.stderr, mode).toBe('');
    }
    // A tampered CRLF line still diverges, and is quoted without its \r.
    const tampered = [...lines];
    const k = tampered.findIndex((l) => l.startsWith('{"type":"host_transition"'));
    tampered[k] = (tampered[k] as string).replace(/"side":"(cp|agent)"/, (_m, side) =>
      side === 'cp' ? '"side":"agent"' : '"side":"cp"',
    );
    const bad = variant('crlf-tampered.jsonl', `${tampered.join('\r\n')}\r\n`);
    const run = runCli(['replay', bad, '--verify']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      new RegExp(
        `^diverges at line ${k + 1}: recorded ${literal((tampered[k] as string).slice(0, 60))}`,
      ),
    );
    expect(run.stdout).not.toContain('\r');
  });

  test('a CR-only line is a blank line', () => {
    const path = variant('crlf-blank.jsonl', `${lines.join('\r\n')}\r\n\r\n`);
    expectAllRefuse(path, `${path}:${lines.length + 1}: ${blank}`);
  });

  test('a trailing blank line is refused by every reader, at its line', () => {
    const path = variant('trailing-blank.jsonl', `${lines.join('\n')}\n\n`);
    expectAllRefuse(path, `${path}:${lines.length + 1}: ${blank}`);
  });

  test('a blank line in the middle (or one of spaces) is refused by every reader, at its line', () => {
    const mid = [...lines.slice(0, 5), '', ...lines.slice(5)];
    const path = variant('mid-blank.jsonl', `${mid.join('\n')}\n`);
    expectAllRefuse(path, `${path}:6: ${blank}`);
    const spaces = [...lines.slice(0, 5), '  \t', ...lines.slice(5)];
    const path2 = variant('mid-spaces.jsonl', `${spaces.join('\n')}\n`);
    expectAllRefuse(path2, `${path2}:6: ${blank}`);
  });

  test('a trace with records but no end: each reader says it is incomplete, at its last line', () => {
    const n = lines.length - 1;
    const path = variant('no-end.jsonl', `${lines.slice(0, n).join('\n')}\n`);
    const what = 'the trace ends here without an "end" record: incomplete (was the run cut short?)';
    const a = answers(path);
    for (const mode of ['plain', 'json'] as const) {
      expect(a[mode].stderr, mode).toBe(`rollout-sim: ${path}:${n}: ${what}\n`);
      expect(a[mode].status, mode).toBe(1);
      expect(a[mode].stdout, mode).toBe('');
    }
    expect(a.verify.stdout).toBe(
      `diverges at line ${n}: ${what}; up to here it matches the re-simulation\n`,
    );
    expect(a.verify.status).toBe(1);
    const check = outputLines(a.check.stdout);
    expect(check[0]).toBe(`${path}: ${n} lines, 0 violations, 0 known deviations`);
    expect(check[1]).toBe(
      `  incomplete: the trace ends at line ${n} without an "end" record (was the run cut short?): the end of the run is not judged`,
    );
    expect(a.check.status).toBe(1);
    const json = runCli(['replay', path, '--check', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ complete: false, violations: [] });
    expect(json.status).toBe(1);
    // The report draws what is there and says what is missing.
    expect(a.report.status).toBe(0);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain(
      '<b>incomplete</b> (no "end" record: was the run cut short?)',
    );
    for (const run of Object.values(a)) expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test('a run stopped by a signal: --verify says where it stopped and that the rest is unverified', () => {
    // What `run --trace` leaves on Ctrl-C: the records so far, then an end record saying so.
    const n = Math.floor(lines.length / 2);
    const end = (lines.at(-1) as string).replace(/"ended":"[a-z]+"/, '"ended":"interrupted"');
    const path = variant('interrupted.jsonl', `${[...lines.slice(0, n), end].join('\n')}\n`);
    const verify = runCli(['replay', path, '--verify']);
    expect(verify.stdout).toBe(
      `diverges at line ${n + 1}: the run was stopped here ("ended": "interrupted"), so the rest cannot be verified; up to here it matches the re-simulation\n`,
    );
    expect(verify.status).toBe(1);
  });

  test('a header alone: incomplete, at line 1', () => {
    const path = variant('header-only.jsonl', `${lines[0]}\n`);
    const what =
      'the trace ends after its header, with no records and no "end" record: incomplete (was the run cut short?)';
    const a = answers(path);
    for (const mode of ['plain', 'json'] as const) {
      expect(a[mode].stderr, mode).toBe(`rollout-sim: ${path}:1: ${what}\n`);
      expect(a[mode].status, mode).toBe(1);
    }
    expect(a.verify.stdout).toBe(
      `diverges at line 1: ${what}; up to here it matches the re-simulation\n`,
    );
    expect(a.verify.status).toBe(1);
    // One line, not "1 lines".
    expect(outputLines(a.check.stdout)[0]).toBe(
      `${path}: 1 line, 0 violations, 0 known deviations`,
    );
    expect(outputLines(a.check.stdout)[1]).toBe(
      '  incomplete: the trace ends at line 1 without an "end" record (was the run cut short?): the end of the run is not judged',
    );
    expect(a.check.status).toBe(1);
    expect(a.report.status).toBe(0);
  });

  test('a line after the end record is refused by every reader, at its line', () => {
    const path = variant('after-end.jsonl', `${[...lines, lines[1]].join('\n')}\n`);
    expectAllRefuse(
      path,
      `${path}:${lines.length + 1}: a line after the "end" record of line ${lines.length}: the end record is the last`,
    );
  });

  test('--verify reads the trace through first: a malformed line is its format error, not a divergence', () => {
    const at = (i: number, text: string) => {
      const copy = [...lines];
      copy[i] = text;
      return `${copy.join('\n')}\n`;
    };
    const garbled = variant('v-garbled.jsonl', at(5, 'not json'));
    const missing = variant('v-missing.jsonl', at(5, '{"type":"dispatch","t":1}'));
    const unknown = variant('v-unknown.jsonl', at(5, '{"type":"bogus","t":1}'));
    // Past where a re-simulation would first diverge: found all the same.
    const late = lines.length - 2;
    const wrong = (lines[late] as string).replace(/"t":[\d.]+/, '"t":-1');
    const negative = variant('v-negative.jsonl', at(late, wrong));
    const cases: [string, string][] = [
      [garbled, `${garbled}:6: not valid JSON: Unexpected token 'o', "not json" is not valid JSON`],
      [missing, `${missing}:6: rollout_id: missing field`],
      [unknown, `${unknown}:6: type: unknown record type "bogus"`],
      [
        negative,
        `${negative}:${late + 1}: t: expected a number of seconds from 0 to 315360000, got -1`,
      ],
    ];
    for (const [path, message] of cases) {
      for (const flags of [['--verify'], ['--verify', '--json']]) {
        const run = runCli(['replay', path, ...flags]);
        expect(run.stderr).toBe(`rollout-sim: ${message}\n`);
        expect(run.status).toBe(1);
        expect(run.stdout).toBe('');
      }
      // The same words as plain replay.
      expect(runCli(['replay', path]).stderr).toBe(`rollout-sim: ${message}\n`);
    }
  });
});

/*
 * A run that reaches its horizon ends with `unsettled` (what was still going on), since
 * stop 38. Traces of such runs recorded before it have none; they still verify. Every
 * other run's end is as it was, byte for byte.
 */
describe('replay --verify: the end of a run cut at its horizon', () => {
  let horizon: string[] = [];
  beforeAll(() => {
    const path = join(dir, 'horizon.jsonl');
    const run = runCli(['run', '--preset', 'demo', '--until', '5m', '--trace', path]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      [
        'not settled at the horizon:',
        '  cache-01 is Soaking on stable@v1, and its host will still move it',
        '  21 hosts held by a gate:',
      ].join('\n'),
    );
    horizon = readFileSync(path, 'utf8').trimEnd().split('\n');
  }, 120_000);

  const withEnd = (edit: (summary: Record<string, unknown>) => void) => {
    const end = JSON.parse(horizon[horizon.length - 1] as string);
    edit(end.summary);
    return [...horizon.slice(0, -1), JSON.stringify(end)].join('\n');
  };

  test('says what was still going on; a settled run’s end has no such field', () => {
    const end = JSON.parse(horizon[horizon.length - 1] as string);
    expect(end.summary.unsettled.work).toEqual([
      'cache-01 is Soaking on stable@v1, and its host will still move it',
    ]);
    expect(end.summary.unsettled.held.blocked_hosts).toBe(21);
    expect(JSON.parse(lines[lines.length - 1] as string).summary).not.toHaveProperty('unsettled');
  });

  test('a trace written before `unsettled` existed verifies; one with it changed does not', () => {
    const old = variant(
      'horizon-old.jsonl',
      `${withEnd((s) => {
        delete s.unsettled;
      })}\n`,
    );
    expect(runCli(['replay', old, '--verify'])).toMatchObject({
      status: 0,
      stdout: `verified: ${horizon.length} lines identical\n`,
    });
    const changed = variant(
      'horizon-changed.jsonl',
      `${withEnd((s) => {
        (s.unsettled as { work: string[] }).work = [];
      })}\n`,
    );
    const run = runCli(['replay', changed, '--verify']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(new RegExp(`^diverges at line ${horizon.length}: recorded `));
  });

  test('report shows it where a stalled run shows its stall', () => {
    const path = variant('horizon-report.jsonl', `${horizon.join('\n')}\n`);
    const out = join(dir, 'horizon.html');
    expect(runCli(['report', path, '--out', out]).status).toBe(0);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain(
      '<b>Not settled.</b><pre>not settled at the horizon:\n  cache-01 is Soaking on stable@v1, and its host will still move it\n  21 hosts held by a gate:',
    );
  });

  test('replay --json reads it back', () => {
    const path = variant('horizon-again.jsonl', `${horizon.join('\n')}\n`);
    const run = runCli(['replay', path, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).unsettled.work).toHaveLength(1);
  });
});
