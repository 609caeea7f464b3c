import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { Simulation } from '../../sim/simulate.ts';
import { checkTrace, TraceMonitors } from '../../src/cli/replay-check.ts';
import { TraceWriter } from '../../src/trace/writer.ts';
import { loadTrace } from '../../src/ui/replay/load-trace.ts';
import { runCli, SPAWN_HOOK_TIMEOUT, STACK_TRACE } from './run-cli.ts';

/* `replay TRACE --check`: the invariant monitors over a recorded trace file. */

const dir = mkdtempSync(path.join(tmpdir(), 'replay-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clean = path.join(dir, 'demo.jsonl');
const broken = path.join(dir, 'broken.jsonl');

/** A copy of `source` with `from` replaced by `to`: what a hand edit of a trace leaves. */
function edited(source: string, name: string, from: string, to: string): string {
  const out = path.join(dir, name);
  writeFileSync(out, readFileSync(source, 'utf8').replace(from, to));
  return out;
}

beforeAll(() => {
  expect(runCli(['run', '--preset', 'demo', '--json', '--trace', clean]).status).toBe(0);
  // The cursor jumps from 0 straight to 2: no wave of the demo may be skipped.
  const lines = readFileSync(clean, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes('"type":"wave_cursor"'));
  lines[i] = (lines[i] as string).replace('"to":1', '"to":2');
  writeFileSync(broken, lines.join('\n'));
}, SPAWN_HOOK_TIMEOUT);

describe('replay --check', () => {
  test('a clean run has no violation and exits 0', () => {
    const run = runCli(['replay', clean, '--check']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/, 0 violations, /);
  });

  test('a trace that breaks an invariant names it, its line and exits 1', () => {
    const run = runCli(['replay', broken, '--check', '--json']);
    expect(run.status).toBe(1);
    const { violations } = JSON.parse(run.stdout);
    const jump = violations.find(
      (v: { invariant: string }) => v.invariant === 'rollout.cursor-steps',
    );
    expect(jump).toMatchObject({ known: null });
    const line = readFileSync(broken, 'utf8').split('\n')[jump.record - 1];
    expect(line).toContain('"type":"wave_cursor"');
  });

  test('a damaged trace is one line naming the file and line, no stack trace', () => {
    const bad = path.join(dir, 'bad.jsonl');
    writeFileSync(bad, `${readFileSync(clean, 'utf8').split('\n')[0]}\n{"type":"dispatch"}\n`);
    const run = runCli(['replay', bad, '--check']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: `));
    expect(run.stderr).not.toMatch(STACK_TRACE);
  });

  test("a header's setting that would hang the re-simulation is refused like --set", () => {
    const zero = edited(clean, 'zero-tick.jsonl', '"plan_tick_secs":15', '"plan_tick_secs":0');
    const run = runCli(['replay', zero, '--verify', '--no-ui']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `rollout-sim: ${zero}:1: header: settings.plan_tick_secs: expected a number ≥ 0.001 and ≤ 315360000, got 0\n`,
    );
  });

  test("a header's request timeout below the wire's round trip is refused like --set (it hung replay --verify)", () => {
    const short = edited(
      clean,
      'short-timeout.jsonl',
      '"request_timeout_secs":10',
      '"request_timeout_secs":0.01',
    );
    const line = `rollout-sim: ${short}:1: header: settings: request_timeout_secs 0.01 is not longer than an agent request's round trip (up to 0.1 s: latency up to 50 ms each way), so no request would ever be answered\n`;
    for (const args of [
      ['replay', short, '--verify', '--no-ui'],
      ['report', short, '--out', path.join(dir, 'short.html')],
      ['diagram', 'rollout', '--format', 'svg', '--highlight', '--trace', short],
    ]) {
      const run = runCli(args, '', 30_000);
      expect(run.stderr).toBe(line);
      expect(run.status).toBe(1);
    }
  });

  test('a header edited out of what a run writes is refused by name (each was read as valid)', () => {
    const cases: readonly [string, string, string, string][] = [
      ['seed-negative.jsonl', '"seed":1,', '"seed":-1,', 'header: seed: must be ≥ 0, got -1'],
      [
        'seed-twice.jsonl',
        '"seed":1,',
        '"seed":1,"seed":2,',
        'header: duplicate key "seed" (JSON would keep only the last one)',
      ],
      [
        'waves-moved.jsonl',
        '"waves":{"stable":[["cache-01",',
        '"waves":{"stable":[["cache-02","cache-01",',
        "header: fleet.waves.stable: not the waves the fleet's rollout policies give",
      ],
    ];
    for (const [name, from, to, message] of cases) {
      const file = edited(clean, name, from, to);
      const run = runCli(['replay', file, '--check']);
      expect(run.stderr).toBe(`rollout-sim: ${file}:1: ${message}\n`);
      expect(run.status).toBe(1);
    }
  });

  /** Each case edits line `at` (`from` → `to`) into its own file: refused there, exit 1. */
  function refusedAt(
    lines: readonly string[],
    at: number,
    cases: readonly (readonly [string, string, string, string])[],
  ) {
    const line = lines[at] as string;
    for (const [name, from, to, message] of cases) {
      const file = path.join(dir, name);
      const copy = [...lines];
      copy[at] = line.replace(from, to);
      writeFileSync(file, copy.join('\n'));
      const run = runCli(['replay', file, '--check']);
      expect(run.stderr).toBe(`rollout-sim: ${file}:${at + 1}: ${message}\n`);
      expect(run.status).toBe(1);
    }
  }

  test('a record of a host the fleet lacks, or of a rollout never opened, is refused with its line', () => {
    const lines = readFileSync(clean, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"type":"host_transition"'));
    const line = lines[at] as string;
    const host = /"host":"([^"]+)"/.exec(line)?.[1] as string;
    const rollout = /"rollout_id":"([^"]+)"/.exec(line)?.[1] as string;
    const cases: readonly [string, string, string, string][] = [
      [
        'stranger.jsonl',
        `"host":"${host}"`,
        '"host":"stranger"',
        'host: "stranger" is not a host of the header\'s fleet',
      ],
      [
        'ghost.jsonl',
        `"rollout_id":"${rollout}"`,
        '"rollout_id":"ghost"',
        'rollout_id: "ghost" was not opened by a rollout_opened record before this line',
      ],
    ];
    refusedAt(lines, at, cases);
  });

  test("a dispatch in another wave than its host's, or a record with a repeated key, is refused with its line", () => {
    const lines = readFileSync(clean, 'utf8').split('\n');
    const at = lines.findIndex((l) => /"type":"dispatch".*"wave":[1-9]/.test(l));
    const line = lines[at] as string;
    const wave = Number(/"wave":(\d+)/.exec(line)?.[1]);
    const host = /"host":"([^"]+)"/.exec(line)?.[1] as string;
    const channel = (/"rollout_id":"([^"@]+)@/.exec(line)?.[1] ?? '') as string;
    const cases: readonly [string, string, string, string][] = [
      // The wave-order monitors judge by this field: an earlier wave hid an early dispatch.
      [
        'wave.jsonl',
        `"wave":${wave}`,
        `"wave":${wave - 1}`,
        `wave: expected ${wave}, the wave of "${host}" in "${channel}"'s policy (the header's fleet), got ${wave - 1}`,
      ],
      [
        'repeated.jsonl',
        '"type":"dispatch",',
        '"type":"dispatch","t":0,',
        'duplicate key "t" (JSON would keep only the last one)',
      ],
    ];
    refusedAt(lines, at, cases);
  });

  test('records out of time order, or at t = 1e308, are refused with their line (report hung on the second)', () => {
    const lines = readFileSync(clean, 'utf8').trimEnd().split('\n');
    // Two records of different instants, the later one moved before the earlier.
    const t = (l: string) => Number(/"t":([\d.]+)/.exec(l)?.[1]);
    const i = Math.floor(lines.length / 2);
    const j = lines.findIndex((l, k) => k > i && t(l) > t(lines[i] as string));
    const swapped = [...lines];
    [swapped[i], swapped[j]] = [swapped[j] as string, swapped[i] as string];
    const file = path.join(dir, 'swapped.jsonl');
    writeFileSync(file, `${swapped.join('\n')}\n`);
    const run = runCli(['replay', file, '--check']);
    expect(run.stderr).toMatch(
      new RegExp(
        `^rollout-sim: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: t: [\\d.]+ is before the previous record's [\\d.]+: records go in time order\n$`,
      ),
    );
    expect(run.status).toBe(1);
    const huge = edited(
      clean,
      'huge-t.jsonl',
      '{"type":"end","t":',
      '{"type":"end","t":1e308,"x":',
    );
    const report = runCli(['report', huge, '--out', path.join(dir, 'huge.html')], '', 30_000);
    expect(report.stderr).toMatch(
      /: t: expected a number of seconds from 0 to 315360000, got 1e\+308\n$/,
    );
    expect(report.status).toBe(1);
  });

  test("an escape sequence in a header's fleet is refused before anything prints it", () => {
    const escaped = edited(
      clean,
      'escape.jsonl',
      '"initial_ref":"v1"',
      '"initial_ref":"v1\\u001b[2J"',
    );
    const run = runCli(['replay', escaped, '--no-ui']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `rollout-sim: ${escaped}:1: header: fleet.channels.stable.initial_ref: must not contain control characters, got "v1\\u001b[2J"\n`,
    );
  });

  test('a run cut short is not judged on where it stopped; the same trace said to have ended is', () => {
    // What `run --trace` leaves when a signal stops it: a fault-free rollout still Active.
    const fleet = generateFleet({ hosts: 3, waves: 2, channels: 1 });
    const prof = profile('faithful');
    const cut = path.join(dir, 'interrupted.jsonl');
    const writer = new TraceWriter(cut, {
      seed: 1,
      profile: prof,
      fleet,
      settings: DEFAULT_SETTINGS,
      untilSeconds: null,
    });
    const sim = new Simulation({ fleet, profile: prof, seed: 1, sink: writer.record });
    for (let i = 0; i < 40; i++) sim.step();
    writer.finishEarly('interrupted', sim.summary());
    const interrupted = runCli(['replay', cut, '--check', '--json']);
    expect(interrupted.status).toBe(0);
    // The run up to where it was stopped is the re-simulation's: judged live up to there.
    expect(JSON.parse(interrupted.stdout)).toMatchObject({
      resimulated: true,
      stopped: 'interrupted',
      violations: [],
      unchecked: [],
    });
    const lines = readFileSync(cut, 'utf8').trimEnd().split('\n').length;
    expect(runCli(['replay', cut, '--check']).stdout).toContain(
      `  every invariant judged on the run re-simulated from the header, up to line ${lines}, where it was stopped ("ended": "interrupted"): the end of the run is not judged\n`,
    );

    // What the live monitors find before the line where it was stopped is kept; what the
    // re-simulation finds past it is not the recorded run's.
    const records = lines - 2;
    const failsAt = (n: number): Invariant => ({
      id: `test.record-${n}`,
      statement: `fails at record ${n}`,
      source: 'test',
      kind: 'safety',
      create: () => {
        let i = 0;
        return { observe: () => (i++ === n ? `record ${n}` : null) };
      },
    });
    const judged = checkTrace(cut, [failsAt(3), failsAt(records), failsAt(records + 5)]);
    expect(judged.stopped).toBe('interrupted');
    expect(judged.violations.map((v) => [v.invariant, v.record])).toEqual([['test.record-3', 5]]);
    const claimed = edited(cut, 'claimed.jsonl', '"ended":"interrupted"', '"ended":"terminal"');
    const run = runCli(['replay', claimed, '--check', '--json']);
    expect(run.status).toBe(1);
    // Judged at the end of the run: at the end record, the file's last line, not past it.
    const n = readFileSync(claimed, 'utf8').trimEnd().split('\n').length;
    expect(JSON.parse(run.stdout).violations).toContainEqual(
      expect.objectContaining({ invariant: 'liveness.terminal', known: null, record: n }),
    );
    const text = runCli(['replay', claimed, '--check']);
    expect(text.status).toBe(1);
    expect(text.stdout).toContain(
      `  VIOLATION liveness.terminal at line ${n}, the end of the run: `,
    );
    expect(text.stdout).not.toMatch(new RegExp(`at line ${n + 1}\\b`));
  });
});

describe('TraceMonitors', () => {
  test('a monitor that asked for a live record is unchecked and fed no more records', () => {
    let fed = 0;
    let finished = 0;
    const asks: Invariant = {
      id: 'test.asks-live',
      statement: 'asks for a live record at its first record',
      source: 'test',
      kind: 'safety',
      create: (ctx) => ({
        observe: (record) => {
          fed++;
          if (record.type === 'host_transition')
            ctx.inspect.agentHost(record.host, record.rolloutId);
          return null;
        },
        finish: () => {
          finished++;
          return null;
        },
      }),
    };
    const { header, records } = loadTrace(clean);
    const monitors = new TraceMonitors(header, [asks, ...INVARIANTS]);
    for (const r of records) monitors.observe(r);
    const result = monitors.result(2);
    const firstAsk = records.findIndex((r) => r.type === 'host_transition');
    expect(fed).toBe(firstAsk + 1);
    expect(finished).toBe(0);
    expect(result.unchecked).toContain('test.asks-live');
    expect(result.violations).toEqual([]);
  });
});

describe('replay --check judges the re-simulated run when the trace is what its header gives', () => {
  /** Reads the agent's live record at each agent-side Soaking: fails at the first. */
  const agentNeverSoaks: Invariant = {
    id: 'test.agent-never-soaks',
    statement: "no agent's own record is ever Soaking",
    source: 'test',
    kind: 'safety',
    create: (ctx) => ({
      observe: (record) => {
        if (record.type !== 'host_transition' || record.side !== 'agent') return null;
        const live = ctx.inspect.agentHost(record.host, record.rolloutId);
        return live?.state === 'Soaking' ? `${record.host} soaks` : null;
      },
    }),
  };
  /** Judges host steps, which no trace holds: fails at the first agent LocalActivate. */
  const noActivate: Invariant = {
    id: 'test.no-activate',
    statement: 'no agent takes a LocalActivate step',
    source: 'test',
    kind: 'safety',
    create: () => ({
      hostStep: (step) =>
        step.side === 'agent' && step.event.type === 'LocalActivate' ? step.host : null,
    }),
  };
  const lineOf = (file: string, n: number) => readFileSync(file, 'utf8').split('\n')[n - 1] ?? '';

  test('a trace a run wrote: every invariant judged live, nothing left unchecked', () => {
    const json = runCli(['replay', clean, '--check', '--json']);
    expect(json.status).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      complete: true,
      resimulated: true,
      divergence: null,
      stopped: null,
      violations: [],
      unchecked: [],
      partial: [],
    });
    expect(runCli(['replay', clean, '--check']).stdout).toContain(
      '  every invariant judged on the run re-simulated from the header (the trace is what it gives)\n',
    );
  });

  test('live records and host steps are judged, at the line the run had reached', () => {
    const result = checkTrace(clean, [agentNeverSoaks, noActivate]);
    expect(result.divergence).toBeNull();
    const soak = result.violations.find((v) => v.invariant === 'test.agent-never-soaks');
    const line = lineOf(clean, soak?.record ?? 0);
    expect(line).toContain('"type":"host_transition"');
    expect(line).toContain('"side":"agent"');
    expect(line).toContain('"to":"Soaking"');
    // A step is judged before the record it leads to: that step's own transition.
    const activate = result.violations.find((v) => v.invariant === 'test.no-activate');
    const stepLine = lineOf(clean, activate?.record ?? 0);
    for (const field of [
      '"side":"agent"',
      `"host":"${activate?.message}"`,
      '"event":"LocalActivate"',
    ])
      expect(stepLine).toContain(field);
  });

  test('a fleet too large to re-simulate with every monitor is judged from its records', () => {
    const hosts = Object.keys(loadTrace(clean).header.fleet.hosts).length;
    const result = checkTrace(clean, [agentNeverSoaks, ...INVARIANTS], hosts - 1);
    expect(result.divergence).toBe(
      `a fleet of ${hosts} hosts, more than the ${hosts - 1} a re-simulation judges live`,
    );
    expect(result.unchecked).toContain('test.agent-never-soaks');
    expect(result.violations).toEqual([]);
  });

  test('an edited trace is judged from its records alone, and says where it left the run', () => {
    const result = checkTrace(broken, [agentNeverSoaks, noActivate, ...INVARIANTS]);
    const edit =
      readFileSync(broken, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('"to":2')) + 1;
    expect(result.divergence).toMatch(
      new RegExp(`^the re-simulation diverges at line ${edit}: recorded `),
    );
    expect(result.unchecked).toContain('test.agent-never-soaks');
    expect(result.partial).toContain('test.no-activate');
    expect(result.violations.map((v) => v.invariant)).toContain('rollout.cursor-steps');
    const text = runCli(['replay', broken, '--check']).stdout;
    expect(text).toContain(
      `  judged from the trace's records alone: the re-simulation diverges at line ${edit}: `,
    );
    expect(JSON.parse(runCli(['replay', broken, '--check', '--json']).stdout)).toMatchObject({
      resimulated: false,
    });
  });
});
