import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { type CheckFlags, type Counterexample, checkCommand } from '../../src/cli/check.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { outputLines, runCli, STACK_TRACE } from './run-cli.ts';

/*
 * `rollout-sim check`: the real CLI for exit codes, output and usage errors; and, for the
 * failure report (the source is correct, so no real invariant fails), `checkCommand`
 * in process with one deliberately broken invariant added to the library by a module
 * mock. The spawned CLI runs the real library.
 */

const BROKEN = 'test.no-later-waves';

vi.mock('../../sim/invariants/index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../sim/invariants/index.ts')>();
  const broken = {
    id: 'test.no-later-waves',
    statement: 'no host beyond wave 0 is ever dispatched (deliberately broken)',
    source: 'test/cli/check.test.ts',
    kind: 'safety' as const,
    create: () => ({
      observe: (r: TraceRecord) =>
        r.type === 'dispatch' && r.wave >= 1
          ? `${r.host} dispatched in wave ${r.wave} on ${r.rolloutId}`
          : null,
    }),
  };
  const all = [...original.INVARIANTS, broken];
  return {
    ...original,
    INVARIANTS: all,
    invariantById: (id: string) => all.find((i) => i.id === id),
  };
});

/** The library as the spawned CLI knows it: without the mock's extra invariant. */
const LIBRARY = INVARIANTS.filter((i) => i.id !== BROKEN).map((i) => i.id);

interface CheckJson {
  profile: string;
  seed: number;
  runs: number;
  wall_seconds: number;
  invariants: string[];
  deviations: { invariant: string; runs: number; deviation: string | null; example: string }[];
  failure: null | {
    invariant: string;
    statement: string;
    source: string;
    message: string;
    t: number;
    simulation_seed: number;
    path: string;
    shrinks: number;
    replay: string;
    trace: string;
    fleet: { name: string; hosts: Record<string, unknown> };
  };
}

function json(stdout: string): CheckJson {
  return JSON.parse(stdout) as CheckJson;
}

const KNOWN_HEADER = 'known deviations (faithful breaks these by construction; not failures):';

describe('rollout-sim check (spawned)', () => {
  it('--runs 40 --profile faithful: exit 0, "no invariant failed.", deviations listed exactly when seen', () => {
    const text = runCli(['check', '--runs', '40', '--profile', 'faithful', '--seed', '1']);
    const data = runCli([
      'check',
      '--runs',
      '40',
      '--profile',
      'faithful',
      '--seed',
      '1',
      '--json',
    ]);
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(data.status).toBe(0);
    const lines = outputLines(text.stdout);
    expect(lines[0]).toMatch(
      new RegExp(
        `^checked ${LIBRARY.length} invariants over 40 runs, profile faithful, seed 1 \\(\\d+\\.\\d s, \\d+ runs/s\\)$`,
      ),
    );
    expect(lines.at(-1)).toBe('no invariant failed.');
    const report = json(data.stdout);
    expect(report.failure).toBeNull();
    // The same seed: the same cases, the same deviations as the JSON.
    expect(report.deviations.length).toBeGreaterThan(0);
    expect(lines).toContain(KNOWN_HEADER);
    for (const d of report.deviations) {
      expect(LIBRARY).toContain(d.invariant);
      expect(lines).toContain(`  ${d.invariant} — in ${d.runs} run${d.runs === 1 ? '' : 's'}`);
      expect(lines).toContain(`      ${d.deviation}`);
      expect(lines).toContain(`      e.g. ${d.example}`);
    }
  });

  it('--profile intent: no known-deviations section at all', () => {
    const r = runCli(['check', '--runs', '40', '--profile', 'intent']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('known deviations');
    expect(outputLines(r.stdout).at(-1)).toBe('no invariant failed.');
  });

  it('--json: parseable, failure null, runs, seed, deviations[] of flag-dependent invariants', () => {
    const r = runCli(['check', '--runs', '40', '--profile', 'faithful', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const report = json(r.stdout);
    expect(report.failure).toBeNull();
    expect(report.runs).toBe(40);
    expect(Number.isInteger(report.seed)).toBe(true);
    expect(report.profile).toBe('faithful');
    expect(report.invariants).toEqual(LIBRARY);
    expect(Array.isArray(report.deviations)).toBe(true);
    for (const d of report.deviations) {
      const inv = INVARIANTS.find((i) => i.id === d.invariant);
      expect(inv?.requires?.deviation, d.invariant).toBe(d.deviation);
      expect(d.runs).toBeGreaterThan(0);
      expect(typeof d.example).toBe('string');
    }
    expect(outputLines(r.stdout)).toHaveLength(1);
  });

  it('--seed replays: the same seed gives the same report', () => {
    const a = json(runCli(['check', '--runs', '20', '--seed', '42', '--json']).stdout);
    const b = json(runCli(['check', '--runs', '20', '--seed', '42', '--json']).stdout);
    expect(a.seed).toBe(42);
    expect({ ...b, wall_seconds: 0 }).toEqual({ ...a, wall_seconds: 0 });
  });

  it('--invariant rollout.cursor-steps --runs 10 checks only that one, and the one that ends the judging', () => {
    const r = runCli(['check', '--invariant', 'rollout.cursor-steps', '--runs', '10', '--json']);
    expect(r.status).toBe(0);
    const report = json(r.stdout);
    expect(report.invariants).toEqual(['rollout.cursor-steps', 'rollout.opened-once']);
    expect(report.runs).toBe(10);
    // Only the chosen invariants are judged (faithful's reopen is one of them).
    for (const d of report.deviations) expect(report.invariants).toContain(d.invariant);
    const text = runCli([
      'check',
      '--invariant',
      'rollout.cursor-steps',
      '--invariant',
      'dispatch.halt',
      '--runs',
      '10',
    ]);
    expect(text.status).toBe(0);
    expect(outputLines(text.stdout)[0]).toMatch(/^checked 3 invariants over 10 runs/);
  });

  it('--invariant host.seq-grows alone stops judging where faithful opens a rollout id again', () => {
    // Run 42 of this fleet and seed reopens ring-1@v1 (retention drawn short): its new
    // records' seqs start again at 1, which host.seq-grows alone took for a stale seq.
    const fixed = ['--hosts', '10', '--waves', '3', '--channels', '2', '--soak', '5'];
    const faults = ['--probe-failure-rate', '0.05', '--activation-failure-rate', '0.05'];
    const args = ['check', ...fixed, ...faults, '--drop-rate', '0.02', '--seed', '1'];
    const r = runCli([...args, '--runs', '60', '--invariant', 'host.seq-grows', '--json']);
    expect(r.status).toBe(0);
    const report = json(r.stdout);
    expect(report.failure).toBeNull();
    expect(report.deviations.map((d) => d.invariant)).toEqual(['rollout.opened-once']);
  });

  it('--set halt_gate=true under faithful: profile custom, dispatch.halt never a deviation', () => {
    const r = runCli(['check', '--runs', '40', '--seed', '1', '--set', 'halt_gate=true', '--json']);
    expect(r.status).toBe(0);
    const report = json(r.stdout);
    expect(report.profile).toBe('custom');
    expect(report.deviations.map((d) => d.invariant)).not.toContain('dispatch.halt');
    expect(report.deviations.map((d) => d.invariant)).not.toContain('liveness.halt-holds');
  });

  it('--preset canary --runs 5: checks that one fleet', () => {
    const r = runCli(['check', '--preset', 'canary', '--runs', '5', '--json']);
    expect(r.status).toBe(0);
    const report = json(r.stdout);
    expect(report.runs).toBe(5);
    expect(report.failure).toBeNull();
    const both = runCli(['check', '--preset', 'canary', '--hosts', '3', '--runs', '5']);
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(
      'rollout-sim: choose one fleet: --preset, --fleet, or the generator (--hosts/--waves/--channels)\n',
    );
  });

  it('--invariant nosuch: exit 2, one line naming every known id', () => {
    const r = runCli(['check', '--invariant', 'nosuch']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `rollout-sim: --invariant: unknown invariant "nosuch" (known: ${LIBRARY.join(', ')})\n`,
    );
    expect(r.stderr).not.toMatch(STACK_TRACE);
  });

  it.each([
    [
      ['--path', '1:2'],
      '--path: expects a path like 12:0:3, together with the --seed it was printed with',
    ],
    [
      ['--seed', '5', '--path', 'a:b'],
      '--path: expects a path like 12:0:3, together with the --seed it was printed with',
    ],
    [['--runs', '0'], '--runs: expected an integer 1..10000000, got "0"'],
    [['--runs', 'many'], '--runs: expected an integer 1..10000000, got "many"'],
    [['--seed', 'x'], '--seed: expected an integer -2147483648..2147483647, got "x"'],
  ])('usage error %j: exit 2, one line, no stack', (args, message) => {
    const r = runCli(['check', ...args]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`rollout-sim: ${message}\n`);
  });
});

describe('checkCommand with a deliberately broken invariant (in process)', () => {
  // Made when the tests start, not at collection, so a filtered run leaves nothing behind.
  let out = '';
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'rollout-sim-check-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const flags = (extra: Partial<CheckFlags> = {}): CheckFlags => ({
    runs: '50',
    seed: '5',
    invariant: [BROKEN],
    out,
    json: false,
    profile: 'intent',
    set: [],
    ...extra,
  });

  // One thread: the broken invariant is registered in this process only, not in workers.
  async function check(
    extra: Partial<CheckFlags> = {},
  ): Promise<{ status: number; lines: string[] }> {
    const lines: string[] = [];
    const status = await checkCommand({ workers: '1', ...flags(extra) }, (line) =>
      lines.push(line),
    );
    return { status, lines };
  }

  it('exits 1 and prints the invariant, the minimal counterexample, a replay command and the trace', async () => {
    const { status, lines } = await check();
    expect(status).toBe(1);
    // The one chosen and rollout.opened-once, which ends the judging; the failure may
    // come on the first run: a singular form.
    expect(lines[0]).toMatch(/^checked 2 invariants over \d+ runs?, profile intent, seed 5 \(/);
    expect(lines).not.toContain('no invariant failed.');
    const at = lines.findIndex((l) => l.startsWith('FAILED '));
    expect(lines[at]).toBe(
      `FAILED ${BROKEN}: no host beyond wave 0 is ever dispatched (deliberately broken)`,
    );
    expect(lines[at + 1]).toBe('  source: test/cli/check.test.ts');
    expect(lines[at + 2]).toMatch(/^ {2}at \+\S+: h\d+ dispatched in wave 1 on c\d@r0$/);
    expect(lines[at + 3]).toMatch(
      /^minimal counterexample \(\d+ shrink steps\), simulation seed \d+:$/,
    );
    // The shrunk fleet: two or three hosts, no faults.
    expect(lines[at + 4]).toMatch(/^ {2}[23] hosts, [12] channels?$/);
    expect(lines.filter((l) => l.startsWith('    faults:'))).toEqual(['    faults: none']);
    const replay = lines.find((l) => l.startsWith('replay:  '));
    expect(replay).toMatch(
      new RegExp(
        `^replay:  npx rollout-sim check --profile intent --invariant ${BROKEN} --seed 5 --path \\d+(:\\d+)*$`,
      ),
    );
    const trace = lines.at(-1) as string;
    expect(trace).toMatch(
      /^trace: {3}\S+rollout-sim-counterexample-5\.trace\.jsonl \(npx rollout-sim replay \S+\)$/,
    );
    const file = join(out, 'rollout-sim-counterexample-5.trace.jsonl');
    expect(existsSync(file)).toBe(true);
    const header = JSON.parse(readFileSync(file, 'utf8').split('\n')[0] as string) as {
      format: string;
      profile: string;
    };
    expect(header.format).toBe('rollout-sim-trace/1');
    expect(header.profile).toBe('intent');
    // The counterexample trace re-simulates to the same records.
    const verify = runCli(['replay', '--verify', file]);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
  });

  it('the printed --seed and --path replay the same failure', async () => {
    const first = await check();
    const replay = first.lines.find((l) => l.startsWith('replay:  ')) as string;
    const path = /--path (\S+)$/.exec(replay)?.[1] as string;
    const again = await check({ path });
    expect(again.status).toBe(1);
    // One case, not the cases after it.
    expect(again.lines[0]).toMatch(/^checked 2 invariants over 1 run, /);
    // The replay starts from the shrunk case: nothing left to shrink.
    const failed = (ls: string[]) =>
      ls
        .filter((l) => /^(FAILED| {2}at |minimal|replay:| {2}\d+ hosts)/.test(l))
        .map((l) => l.replace(/\(\d+ shrink steps\)/, '(n shrink steps)'));
    expect(failed(again.lines)).toEqual(failed(first.lines));
    expect(again.lines).toContain(
      first.lines.find((l) => l.startsWith('minimal'))?.replace(/\(\d+ shrink/, '(0 shrink'),
    );
  });

  it('hands check --open the counterexample: its records, the violating one, the invariant and message apart', async () => {
    const found: Counterexample[] = [];
    const status = await checkCommand(
      { workers: '1', ...flags() },
      () => {},
      (c) => found.push(c),
    );
    expect(status).toBe(1);
    expect(found).toHaveLength(1);
    const c = found[0] as Counterexample;
    expect(c.invariant).toBe(BROKEN);
    expect(c.message).toMatch(/^h\d+ dispatched in wave 1 on c\d@r0$/);
    expect(c.label).toBe(`${c.invariant}: ${c.message}`);
    // The record the replay opens on is the dispatch the invariant forbids.
    const r = c.records[c.index];
    expect(r?.type).toBe('dispatch');
    expect(c.message).toContain(r !== undefined && 'host' in r ? String(r.host) : '?');
  });

  it('--json carries the failure: invariant, message, seed and path, replay, trace and fleet', async () => {
    const lines: string[] = [];
    expect(
      await checkCommand({ workers: '1', ...flags({ json: true }) }, (l) => lines.push(l)),
    ).toBe(1);
    expect(lines).toHaveLength(1);
    const report = json(lines[0] as string);
    const f = report.failure;
    expect(f).not.toBeNull();
    if (f === null) return;
    expect(report.invariants).toEqual([BROKEN, 'rollout.opened-once']);
    expect(f.invariant).toBe(BROKEN);
    expect(f.message).toMatch(/^h\d+ dispatched in wave 1 on c\d@r0$/);
    expect(f.replay).toBe(
      `npx rollout-sim check --profile intent --invariant ${BROKEN} --seed ${report.seed} --path ${f.path}`,
    );
    expect(f.trace).toBe(join(out, `rollout-sim-counterexample-${report.seed}.trace.jsonl`));
    expect(Object.keys(f.fleet.hosts).length).toBeLessThanOrEqual(3);
    expect(f.t).toBeGreaterThanOrEqual(0);
  });

  it('--preset canary fixes the fleet: the counterexample is the canary fleet and the replay names it', async () => {
    const { status, lines } = await check({ preset: 'canary', runs: '5' });
    expect(status).toBe(1);
    const at = lines.findIndex((l) => l.startsWith('minimal counterexample'));
    expect(lines[at + 1]).toBe('  11 hosts, 1 channel');
    expect(lines[at + 2]).toMatch(
      /^ {4}stable: rollback-and-halt; wave 0: app-01 \(soak 10m\); wave 1: app-02 /,
    );
    expect(lines.find((l) => l.startsWith('  at +'))).toMatch(
      /: app-\d\d dispatched in wave 1 on stable@v1$/,
    );
    expect(lines.find((l) => l.startsWith('replay:  '))).toMatch(
      / --preset canary --seed 5 --path \d+(:\d+)*$/,
    );
  });

  it('usage errors are thrown as UsageError before anything runs', async () => {
    await expect(check({ invariant: ['nosuch'] })).rejects.toThrow(UsageError);
    await expect(check({ runs: '0' })).rejects.toThrow(UsageError);
    await expect(check({ seed: undefined, path: '1:2' })).rejects.toThrow(/--path/);
  });
});
