import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim audit LOG` over event logs built to the rows nixfleet's control plane
 * writes at 080d6cd (test/fixtures/audit, docs/audit.md).
 */

const fixture = (name: string) => path.join(REPO_ROOT, 'test/fixtures/audit', name);
const dir = mkdtempSync(path.join(tmpdir(), 'rollout-sim-audit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit', () => {
  test('a clean lifecycle re-derives to Terminal with both hosts Converged, exit 0', () => {
    const run = runCli(['audit', fixture('lifecycle.jsonl'), '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.rollouts).toEqual([
      { rollout_id: 'stable@a1', state: 'Terminal', current_wave: 0 },
    ]);
    expect(report.hosts.map((h: { state: string }) => h.state)).toEqual(['Converged', 'Converged']);
    expect(report.divergences).toEqual([]);
  });

  test('supersession: the older rollout ends Superseded through SuccessorOpened', () => {
    const run = runCli(['audit', fixture('supersession.jsonl')]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/stable@a1 {2}Superseded/);
    expect(run.stdout).toMatch(/divergences: 0/);
  });

  test('a logged converge 500 µs before soak_due_at and a wrong terminal state are divergences', () => {
    const run = runCli(['audit', fixture('divergent.jsonl')]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      'divergent.jsonl:25: stable@a1 web-02: logged RemoteConverged, but the reducer refuses it: Invariant',
    );
    expect(run.stdout).toContain(
      'divergent.jsonl:29: stable@a1: the log records Active → Failed at 2026-05-16T01:05:30Z, the reducer gives Active → Terminal',
    );
  });

  test('a log that breaks an invariant reports it (no divergence) and exits 1', () => {
    const run = runCli(['audit', fixture('violation.jsonl'), '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.divergences).toEqual([]);
    expect(report.violations).toContainEqual(
      expect.objectContaining({ invariant: 'rollout.terminal-all-converged', known: null }),
    );
  });

  test('--trace writes a trace that replay reads and --check judges the same way', () => {
    const trace = path.join(dir, 'audit-trace.jsonl');
    expect(runCli(['audit', fixture('violation.jsonl'), '--trace', trace]).status).toBe(1);
    expect(runCli(['replay', trace]).stdout).toMatch(/well-formed rollout-sim-trace\/1/);
    const check = runCli(['replay', trace, '--check', '--json']);
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout).violations[0].invariant).toBe('rollout.terminal-all-converged');
    // No run behind it to judge live: its records are all there is.
    expect(JSON.parse(check.stdout)).toMatchObject({
      resimulated: false,
      divergence: expect.stringMatching(/^written by audit .*: there is no run to re-simulate$/),
    });
    // No simulation wrote it: --verify said it diverged at line 5.
    const verify = runCli(['replay', trace, '--verify']);
    expect(verify.stderr).toBe(
      `rollout-sim: ${trace}:1: written by audit from a control plane's event log (header "source": "audit"), not by a simulation: there is no run to re-simulate (replay and replay --check read it)\n`,
    );
    expect(verify.status).toBe(1);
    expect(verify.stdout).toBe('');
  });

  test('a damaged log names each unreadable line and field, goes on, exits 1', () => {
    const run = runCli(['audit', fixture('damaged.jsonl'), '--json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.unreadable).toEqual([
      expect.objectContaining({ line: 4, field: '' }),
      { line: 7, field: 'ts', message: 'expected an RFC 3339 timestamp, got 15' },
    ]);
    // The rest of the log was still read: the first host converged.
    expect(report.hosts).toContainEqual({
      rollout_id: 'stable@a1',
      host: 'web-01',
      state: 'Converged',
    });
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test('a RolloutOpened row logged after its event (ts later than at) is clean, as the log is', () => {
    // The opening was placed at the row's ts, and the monitors took that for opened_at:
    // model.steps-agree reported the first HostJoined's record as wrong in openedAt.
    const rows = readFileSync(fixture('lifecycle.jsonl'), 'utf8').split('\n');
    for (const ts of ['2026-05-16T01:00:01+00:00', '2026-05-16T01:00:00.5+00:00']) {
      const first = (rows[0] as string).replace('"ts":"2026-05-16T01:00:00+00:00"', `"ts":"${ts}"`);
      expect(first).not.toBe(rows[0]);
      const log = path.join(dir, 'late-ts.jsonl');
      writeFileSync(log, [first, ...rows.slice(1)].join('\n'));
      const run = runCli(['audit', log, '--json']);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout);
      expect(report.violations).toEqual([]);
      expect(report.divergences).toEqual([]);
      expect(run.status).toBe(0);
    }
  });

  test('a log of one row says "1 row", not "1 rows"', () => {
    const log = path.join(dir, 'one-row.jsonl');
    writeFileSync(log, `${readFileSync(fixture('lifecycle.jsonl'), 'utf8').split('\n')[0]}\n`);
    const run = runCli(['audit', log]);
    expect(run.stderr).toBe('');
    expect(run.stdout.split('\n')[0]).toBe(
      `${log}: 1 row re-derived through rolloutStep / hostStep`,
    );
  });

  test('an escape sequence in a logged rollout id is shown escaped, not sent to the terminal', () => {
    const log = path.join(dir, 'escape.jsonl');
    const text = readFileSync(fixture('lifecycle.jsonl'), 'utf8');
    writeFileSync(log, text.replaceAll('stable@a1', 'stable\\u001b[2J@a1'));
    const run = runCli(['audit', log]);
    expect(run.stdout).not.toContain('\x1b');
    expect(run.stdout).toContain('stable\\u001b[2J@a1');
  });

  test('a file that is no event log (a trace) is one line, not a line per row', () => {
    const trace = path.join(dir, 'a-trace.jsonl');
    expect(runCli(['run', '--preset', 'canary', '--trace', trace]).status).toBe(0);
    const run = runCli(['audit', trace]);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `rollout-sim: ${trace}: no readable row, so not an event_log export (docs/audit.md): line 1: ts: missing field\n`,
    );
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test('--trace is refused, in one line, when the log holds a ref no trace may (replay would refuse it)', () => {
    const log = path.join(dir, 'long-ref.jsonl');
    const text = readFileSync(fixture('lifecycle.jsonl'), 'utf8');
    writeFileSync(log, text.replaceAll('a1', 'a'.repeat(5000)));
    const trace = path.join(dir, 'long-ref.trace.jsonl');
    const run = runCli(['audit', log, '--trace', trace]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `rollout-sim: ${trace}: cannot write the trace: the log's names and refs make a header replay would refuse: fleet.channels.stable.initial_ref: a ref of 5,000 characters is too long (at most 1024)\n`,
    );
    expect(existsSync(trace)).toBe(false);
  });

  test('past 20 unreadable rows the text says how many more --json lists', () => {
    const log = path.join(dir, 'many-unreadable.jsonl');
    const good = readFileSync(fixture('lifecycle.jsonl'), 'utf8');
    writeFileSync(log, `${good}${'{"seq": "x"}\n'.repeat(25)}`);
    const run = runCli(['audit', log]);
    expect(run.stdout).toContain('unreadable: 25');
    expect(run.stdout).toContain('  … and 5 more rows (--json lists every one)');
    const json = JSON.parse(runCli(['audit', log, '--json']).stdout);
    expect(json.unreadable).toHaveLength(25);
  });

  /** The lifecycle log with line `n` (1-based) edited: the audit's unreadable lines. */
  function unreadable(name: string, n: number, edit: (line: string) => string) {
    const rows = readFileSync(fixture('lifecycle.jsonl'), 'utf8').split('\n');
    rows[n - 1] = edit(rows[n - 1] as string);
    const log = path.join(dir, name);
    writeFileSync(log, rows.join('\n'));
    const run = runCli(['audit', log]);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('');
    const out = run.stdout.split('\n');
    const at = out.indexOf('unreadable: 1');
    expect(at, run.stdout).toBeGreaterThan(0);
    return { line: out[at + 1], log };
  }

  test.each([
    ['a word', '"ts":"yesterday"', 'expected an RFC 3339 timestamp, got "yesterday"'],
    ['a number', '"ts":15', 'expected an RFC 3339 timestamp, got 15'],
    ['null', '"ts":null', 'expected an RFC 3339 timestamp, got null'],
    ['missing', '', 'missing field'],
  ])('a row whose ts is %s is unreadable at its line and field', (_what, ts, message) => {
    const { line, log } = unreadable('bad-ts.jsonl', 2, (l) =>
      l.replace(/"ts":"[^"]*",/, ts === '' ? '' : `${ts},`),
    );
    expect(line).toBe(`  ${log}:2: ts: ${message}`);
  });

  // The row reader is the one place a ts is judged: a QueueDispatch row (which the
  // auditor dates by its ts) is refused there, once, with the value it holds.
  test('a QueueDispatch row with a bad ts is unreadable once, as every row is', () => {
    const { line, log } = unreadable('bad-dispatch-ts.jsonl', 6, (l) => {
      expect(l).toContain('QueueDispatch');
      return l.replace(/"ts":"[^"]*"/, '"ts":"not-a-time"');
    });
    expect(line).toBe(`  ${log}:6: ts: expected an RFC 3339 timestamp, got "not-a-time"`);
  });

  test.each([
    [
      'a field of the wrong type',
      (l: string) => l.replace('\\"wave\\":0', '\\"wave\\":\\"zero\\"'),
      2,
      'payload.wave: expected an integer 0..4294967295, got "zero"',
    ],
    [
      'a missing field, named as the applier spells it',
      (l: string) => l.replace('\\"hostId\\":\\"web-01\\",', ''),
      2,
      'payload.hostId: missing field',
    ],
    [
      'an unknown kind',
      (l: string) => l.replace('\\"kind\\":\\"HostJoined\\"', '\\"kind\\":\\"Bogus\\"'),
      2,
      'payload.kind: unknown variant "Bogus", expected one of RolloutOpened, HostJoined, HostStateChanged, WaveAdvanced, RolloutTerminal, SuccessorOpened, RetentionExpired, OperatorClearance',
    ],
    [
      'a field in an array in an agent event',
      (l: string) =>
        l.replace(
          '\\"controlId\\":\\"c1\\",\\"status\\":\\"pass\\"',
          '\\"controlId\\":\\"c1\\",\\"status\\":7',
        ),
      14,
      'payload.subResults[0].status: expected one of "pass", "fail", got 7',
    ],
  ])('a payload with %s names the payload field', (_what, edit, n, message) => {
    const { line, log } = unreadable('bad-payload.jsonl', n, edit);
    expect(line).toBe(`  ${log}:${n}: ${message}`);
  });

  test.each<[string, number, (l: string) => string, string]>([
    // The export is ORDER BY seq of a rowid: each of these passed with exit 0.
    [
      'a seq that goes back',
      6,
      (l) => l.replace('"seq":6', '"seq":4'),
      "seq: 4 after line 5's 5: the export is ordered by seq, so this row is out of place or repeated",
    ],
    [
      'a repeated seq',
      6,
      (l) => l.replace('"seq":6', '"seq":5'),
      "seq: 5 after line 5's 5: the export is ordered by seq, so this row is out of place or repeated",
    ],
    [
      'a negative seq',
      1,
      (l) => l.replace('"seq":1', '"seq":-1'),
      'seq: expected a positive integer (a rowid), got -1',
    ],
  ])('%s is unreadable at its line, and the row is not re-derived', (_what, n, edit, message) => {
    const { line, log } = unreadable('bad-seq.jsonl', n, edit);
    expect(line).toBe(`  ${log}:${n}: ${message}`);
  });

  test('an empty log is refused: re-deriving nothing would pass', () => {
    for (const text of ['', '\n\n']) {
      const log = path.join(dir, 'empty.jsonl');
      const trace = path.join(dir, 'empty-trace.jsonl');
      writeFileSync(log, text);
      const run = runCli(['audit', log, '--trace', trace]);
      expect(run.stderr).toBe(
        `rollout-sim: ${log}: no rows: expected the event_log table as JSON Lines (docs/audit.md)\n`,
      );
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(existsSync(trace)).toBe(false);
    }
  });

  test('a missing file is one line, exit 1', () => {
    const run = runCli(['audit', fixture('nope.jsonl')]);
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /nope\.jsonl: cannot read: no such file or directory \(ENOENT\)$/,
    );
  });
});
