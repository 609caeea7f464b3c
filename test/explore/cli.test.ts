import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import {
  type CliRun,
  outputLines,
  runCli,
  SPAWN_HOOK_TIMEOUT,
  STACK_TRACE,
} from '../cli/run-cli.ts';

/*
 * `rollout-sim explore` through the real CLI: a 3-host fleet file under both profiles as
 * text and JSON (the faithful profile's known deviations each with a trace
 * that replays), a fleet file, and the usage errors.
 */

const out = mkdtempSync(join(tmpdir(), 'explore-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const FLEET = 'examples/budget-supersede.yaml';
const ARGS = ['explore', '--fleet', FLEET, '--profile', 'both', '--out', out];
const LEGEND =
  '  cells: →State a transition taken, = accepted without a state change, ! IllegalForState, s SeqRegression, v Invariant, u Unimplemented; blank: never exercised';

let text: CliRun;
let json: CliRun;
beforeAll(() => {
  text = runCli(ARGS);
  json = runCli([...ARGS, '--json']);
}, SPAWN_HOOK_TIMEOUT);

function section(lines: readonly string[], name: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`── ${name}: `));
  expect(start, name).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('── '));
  return lines.slice(start, end < 0 ? undefined : end);
}

describe('rollout-sim explore --fleet examples/budget-supersede.yaml --profile both', () => {
  it('exits 0 (known deviations only) with nothing on stderr', () => {
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).not.toMatch(STACK_TRACE);
  });

  it('says what it explores, then per profile its paths, coverage line and matrices', () => {
    const lines = outputLines(text.stdout);
    expect(lines[0]).toBe(
      'exploring 3 hosts, 1 channel; every fault kind possible, at most 1 fault per path',
    );
    for (const name of ['faithful', 'intent']) {
      const part = section(lines, name);
      expect(part[0]).toMatch(
        new RegExp(
          `^── ${name}: [\\d,]+ paths \\([\\d,]+ choice points on the fault-free one\\), [\\d,]+ deliveries in \\d+\\.\\d s$`,
        ),
      );
      expect(part[1]).toMatch(
        /^coverage: rollout table \d+ of 64 cells, host table \d+ of 168 cells$/,
      );
      expect(part.find((l) => l.startsWith('host machine: '))).toMatch(
        /^host machine: 7 of 7 states reached; \d+ of 168 cells exercised$/,
      );
      expect(part.filter((l) => l === LEGEND)).toHaveLength(1);
      // Full state names as columns, never abbreviations.
      const head = part[part.findIndex((l) => l.startsWith('rollout machine: ')) + 1] as string;
      expect(head.trim().split(/\s+/)).toEqual([...ROLLOUT_STATES]);
    }
    expect(section(lines, 'faithful').find((l) => l.startsWith('rollout machine: '))).toMatch(
      /never: Converging, Reverted/,
    );
  });

  it('faithful lists its known deviations apart, each with a shortest path and a replay command', () => {
    const part = section(outputLines(text.stdout), 'faithful');
    const at = part.findIndex((l) => l.startsWith('  known deviations'));
    expect(at).toBeGreaterThan(0);
    expect(part.some((l) => /^ {6}shortest path \(\d faults?\): /.test(l))).toBe(true);
    const replay = part.find((l) => l.includes('replay: npx rollout-sim replay '));
    expect(replay).toMatch(/rollout-sim-explore-faithful-[a-z.-]+\.trace\.jsonl {3}\(line \d+\)$/);
    expect(part).toContain('  no invariant failed.');
  });

  it('--json: per profile the violations with known, path and a trace that verifies', () => {
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.profiles.map((p: { profile: string }) => p.profile)).toEqual([
      'faithful',
      'intent',
    ]);
    const faithful = report.profiles[0];
    expect(faithful.coverage.host_cells_total).toBe(168);
    expect(faithful.violations.length).toBeGreaterThan(0);
    for (const v of faithful.violations) {
      expect(Object.keys(v)).toEqual(
        expect.arrayContaining(['invariant', 'known', 'message', 'path', 'trace']),
      );
      expect(v.known).toBe(true);
      expect(existsSync(v.trace)).toBe(true);
      const header = JSON.parse(readFileSync(v.trace, 'utf8').split('\n')[0] as string);
      expect(header.explore_plan).toEqual(v.plan);
    }
    const first = faithful.violations[0];
    const verify = runCli(['replay', first.trace, '--verify']);
    expect(verify.stderr).toBe('');
    expect(verify.stdout).toMatch(/^verified: \d+ lines identical/);
  });
});

describe('rollout-sim explore --hosts 2 --waves 2 --alphabet fleet', () => {
  it('explores a generated fleet with its own faults only (none: one path)', () => {
    const run = runCli([
      'explore',
      '--hosts',
      '2',
      '--waves',
      '2',
      '--alphabet',
      'fleet',
      '--profile',
      'intent',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = outputLines(run.stdout);
    expect(lines[0]).toBe(
      "exploring 2 hosts, 1 channel; the fleet's own faults, at most 1 fault per path",
    );
    expect(lines[2]).toMatch(
      /^── intent: [\d,]+ paths \([\d,]+ choice points on the fault-free one\), /,
    );
    // Late deliveries alone never fail a switch or a probe.
    expect(lines.find((l) => l.startsWith('host machine: '))).toMatch(
      /never: Deferred, Failed, Reverted/,
    );
  });
});

describe('usage errors: exit 2, one line on stderr', () => {
  const CASES: readonly (readonly [readonly string[], RegExp])[] = [
    [['--hosts', '0'], /--hosts: expected an integer 1\.\.12, got "0"/],
    [['--waves', '5', '--hosts', '2'], /--waves: expected an integer 1\.\.2, got "5"/],
    [['--faults', '9'], /--faults: expected an integer 0\.\.3, got "9"/],
    [['--set', 'nosuch=1'], /--set: unknown name "nosuch"/],
    [['--preset', 'demo', '--hosts', '3'], /give them without --preset or --fleet/],
    [['--preset', 'nosuch'], /--preset: unknown preset "nosuch"/],
  ];
  for (const [args, message] of CASES) {
    it(`rollout-sim explore ${args.join(' ')}`, () => {
      const run = runCli(['explore', ...args]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^rollout-sim: [^\n]+\n$/);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(STACK_TRACE);
    });
  }
});
