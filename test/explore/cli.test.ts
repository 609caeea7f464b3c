import { beforeAll, describe, expect, it } from 'vitest';
import {
  type CliRun,
  outputLines,
  runCli,
  SPAWN_HOOK_TIMEOUT,
  STACK_TRACE,
} from '../cli/run-cli.ts';

/*
 * `rollout-sim explore` through the real CLI: a 2-host, 2-wave fleet under both profiles
 * (about 10⁴ states, a few seconds), as text and as JSON, and its usage errors.
 */

const ARGS = ['explore', '--hosts', '2', '--waves', '2', '--profile', 'both'];
const LEGEND =
  '  cells: →State a transition taken, = accepted without a state change, ! IllegalForState, s SeqRegression, v Invariant, u Unimplemented; blank: never exercised';

let text: CliRun;
let json: CliRun;
beforeAll(() => {
  text = runCli(ARGS);
  json = runCli([...ARGS, '--json']);
}, SPAWN_HOOK_TIMEOUT);

/** The lines of one profile's section: from its `── name:` header to the next header. */
function section(lines: readonly string[], name: string): string[] {
  const start = lines.findIndex((l) => l.startsWith(`── ${name}: `));
  expect(start, name).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('── '));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** `1,234` → 1234. */
const count = (s: string | undefined) => Number((s ?? '').replaceAll(',', ''));

describe('rollout-sim explore --hosts 2 --waves 2 --profile both', () => {
  it('exits 0 with nothing on stderr', () => {
    expect(text.status).toBe(0);
    expect(text.stderr).toBe('');
    expect(text.stdout).not.toMatch(STACK_TRACE);
  });

  it('says what it explores, then one header per profile', () => {
    const lines = outputLines(text.stdout);
    expect(lines[0]).toBe(
      'exploring 2 hosts, 1 channel, 1 release per channel; at most 1 fault per path, 1 probe result per host, dispatches lost or doubled',
    );
    const headers = lines.filter((l) => l.startsWith('── '));
    expect(headers).toHaveLength(2);
    expect(headers[0]).toMatch(
      /^── faithful: [\d,]+ states, [\d,]+ transitions in \d+\.\d s \([\d,]+ states\/s\)$/,
    );
    expect(headers[1]).toMatch(
      /^── intent: [\d,]+ states, [\d,]+ transitions in \d+\.\d s \([\d,]+ states\/s\)$/,
    );
  });

  it('faithful never reaches Converging, Reverted, Pruned; intent does', () => {
    const lines = outputLines(text.stdout);
    const faithful = section(lines, 'faithful');
    const intent = section(lines, 'intent');
    expect(faithful.find((l) => l.startsWith('rollout machine: '))).toMatch(
      /^rollout machine: 5 of 8 states reached \(never: Converging, Reverted, Pruned\); \d+ of 64 cells exercised$/,
    );
    const intentLine = intent.find((l) => l.startsWith('rollout machine: ')) as string;
    expect(intentLine).toMatch(/^rollout machine: \d of 8 states reached/);
    for (const s of ['Converging', 'Reverted', 'Pruned']) expect(intentLine).not.toContain(s);
    for (const part of [faithful, intent]) {
      expect(part.find((l) => l.startsWith('host machine: '))).toMatch(
        /^host machine: 7 of 7 states reached; \d+ of 168 cells exercised$/,
      );
      expect(part).toContain('  no violation found.');
      expect(part.filter((l) => l === LEGEND)).toHaveLength(1);
    }
  });

  it('prints the coverage matrices: a row per state, a column per event', () => {
    const faithful = section(outputLines(text.stdout), 'faithful');
    const at = faithful.findIndex((l) => l.startsWith('rollout machine: '));
    const head = faithful[at + 1] as string;
    for (const col of ['Opened', 'Joined', 'HostChg', 'WaveAdv', 'Terminal', 'Successor'])
      expect(head).toContain(col);
    const rows = faithful.slice(at + 2, at + 10).map((l) => l.trim().split(/\s+/)[0]);
    expect(rows).toEqual([
      'Opening',
      'Active',
      'Converging',
      'Terminal',
      'Reverted',
      'Failed',
      'Superseded',
      'Pruned',
    ]);
    expect(faithful[at + 2]).toMatch(/^ {2}Opening\s+→Active$/);
    expect(faithful[at + 3]).toMatch(/^ {2}Active\b.*→Terminal/);
    // Never reached: an empty row.
    expect(faithful[at + 4]).toBe('  Converging');
  });

  it('--json: parseable, both profiles, the states each reached', () => {
    expect(json.status).toBe(0);
    expect(json.stderr).toBe('');
    const lines = outputLines(json.stdout);
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] as string) as {
      bounds: Record<string, unknown>;
      profiles: {
        profile: string;
        states: number;
        transitions: number;
        truncated: boolean;
        rollout_states_reached: string[];
        host_states_reached: string[];
        rollout_cells: Record<string, string[]>;
        violations: unknown[];
      }[];
    };
    expect(report.bounds).toEqual({
      probe_results: 1,
      message_faults: true,
      faults: 1,
      max_states: 2_000_000,
    });
    expect(report.profiles.map((p) => p.profile)).toEqual(['faithful', 'intent']);
    const [faithful, intent] = report.profiles;
    expect(faithful?.rollout_states_reached).toEqual([
      'Opening',
      'Active',
      'Terminal',
      'Failed',
      'Superseded',
    ]);
    for (const s of ['Converging', 'Reverted', 'Pruned'])
      expect(intent?.rollout_states_reached).toContain(s);
    expect(faithful?.rollout_cells['Active|RolloutTerminal']).toEqual(['Terminal']);
    for (const p of report.profiles) {
      expect(p.truncated).toBe(false);
      expect(p.violations).toEqual([]);
      expect(p.host_states_reached).toHaveLength(7);
    }
    // The same exploration as the text run: counts agree across processes.
    const headers = outputLines(text.stdout).filter((l) => l.startsWith('── '));
    report.profiles.forEach((p, i) => {
      const m = headers[i]?.match(/^── \w+: ([\d,]+) states, ([\d,]+) transitions/);
      expect(count(m?.[1])).toBe(p.states);
      expect(count(m?.[2])).toBe(p.transitions);
    });
  });
});

describe('usage errors: exit 2, one line on stderr', () => {
  const CASES: readonly (readonly [readonly string[], RegExp])[] = [
    [['--hosts', '0'], /--hosts: expected an integer 1\.\.6, got "0"/],
    [['--waves', '5', '--hosts', '2'], /--waves: expected an integer 1\.\.2, got "5"/],
    [['--set', 'nosuch=1'], /--set: unknown name "nosuch"/],
    [['--set', 'plan_tick_secs=3'], /--set: explore is untimed; only profile flags apply/],
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
