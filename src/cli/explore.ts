import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { coverageLine, HOST_CELLS, ROLLOUT_CELLS } from '../../sim/coverage.ts';
import {
  EXPLORE_HORIZON_SECONDS,
  type ExploreResult,
  explore,
  runPlan,
  TABLES,
} from '../../sim/explore/explore.ts';
import { type FaultAlphabet, withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import type { TakenFault } from '../../sim/explore/planned-choices.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile as makeProfile, type Profile, type ProfileName } from '../../sim/profile.ts';
import { quote } from '../../sim/quote.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../sim/settings.ts';
import { RUN_START } from '../../sim/world.ts';
import { requireOutput, requireOutputDir } from '../files/fs-problem.ts';
import { TraceWriter } from '../trace/writer.ts';
import { describeFleet } from './describe-fleet.ts';
import { MAX_WORKERS } from './pool-threads.ts';
import { integer, parseSets, requireRoundTrip, resolveRun } from './run-options.ts';
import { InputError, UsageError } from './usage-error.ts';

export interface ExploreFlags {
  readonly preset?: string;
  readonly fleet?: string;
  readonly hosts?: string;
  readonly waves?: string;
  readonly channels?: string;
  readonly releases?: string;
  readonly faults: string;
  readonly alphabet: FaultAlphabet;
  readonly profile: ProfileName | 'both';
  readonly set: readonly string[];
  readonly maxRuns: string;
  readonly out: string;
  readonly json: boolean;
  /** commander's `--no-symmetry`. */
  readonly symmetry: boolean;
  readonly workers?: string;
}

/** As for check: more threads than this only queue. */

/**
 * The most hosts of a preset or fleet file explore takes. Each path is a whole re-run and
 * the choice points grow with the hosts, so the work is about quadratic in them: the demo
 * preset's 24 hosts take ~40 s over both profiles, staged-1k never ends (README, explore).
 */
export const MAX_FLEET_HOSTS = 32;

const ERROR_MARK: Record<string, string> = {
  IllegalForState: '!',
  SeqRegression: 's',
  Invariant: 'v',
  Unimplemented: 'u',
};

/** One cell: `→Target` per state change, `=` for a step that stays, a mark per refusal. */
function cell(from: string, outcomes: ReadonlySet<string> | undefined): string {
  if (outcomes === undefined) return '';
  const marks = [...outcomes].map((o) => ERROR_MARK[o] ?? (o === from ? '=' : `→${o}`));
  return [...new Set(marks)].sort().join(' ');
}

function table(
  rows: readonly string[],
  cols: readonly string[],
  at: (row: string, col: string) => string,
): string[] {
  const width = Math.max(
    ...cols.map((c) => c.length),
    ...rows.flatMap((r) => cols.map((c) => at(r, c).length)),
  );
  const first = Math.max(...rows.map((r) => r.length));
  const line = (head: string, cells: string[]) =>
    `  ${head.padEnd(first)}  ${cells.map((c) => c.padEnd(width)).join(' ')}`.trimEnd();
  return [
    line('', [...cols]),
    ...rows.map((r) =>
      line(
        r,
        cols.map((c) => at(r, c)),
      ),
    ),
  ];
}

function machineLines(
  name: string,
  states: readonly string[],
  events: readonly string[],
  reached: ReadonlySet<string>,
  cells: ReadonlyMap<string, ReadonlySet<string>>,
): string[] {
  const unreached = states.filter((s) => !reached.has(s));
  return [
    `${name} machine: ${states.length - unreached.length} of ${states.length} states reached` +
      (unreached.length === 0 ? '' : ` (never: ${unreached.join(', ')})`) +
      `; ${cells.size} of ${states.length * events.length} cells exercised`,
    ...table(events, states, (event, state) => cell(state, cells.get(`${state}|${event}`))),
  ];
}

function coverageLines(result: ExploreResult): string[] {
  const c = result.coverage;
  return [
    coverageLine(c),
    ...machineLines(
      'rollout',
      TABLES.rollout.states,
      TABLES.rollout.events,
      c.rolloutStates,
      c.rollout,
    ),
    '',
    ...machineLines('host', TABLES.host.states, TABLES.host.events, c.hostStates, c.host),
    '  cells: →State a transition taken, = accepted without a state change, ! IllegalForState, s SeqRegression, v Invariant, u Unimplemented; blank: never exercised',
  ];
}

/** The fleet to explore: a preset, a file, or a small generated one (3 hosts, 2 waves). */
function chooseFleet(flags: ExploreFlags): Fleet {
  if (flags.preset !== undefined || flags.fleet !== undefined) {
    const generator = [flags.hosts, flags.waves, flags.channels, flags.releases].some(
      (v) => v !== undefined,
    );
    if (generator)
      throw new UsageError(
        '--hosts/--waves/--channels/--releases generate a fleet: give them without --preset or --fleet',
      );
    const { fleet } = resolveRun({
      ...(flags.preset === undefined ? {} : { preset: flags.preset }),
      ...(flags.fleet === undefined ? {} : { fleet: flags.fleet }),
      seed: '0',
      profile: 'faithful',
      set: [],
    });
    const hosts = Object.keys(fleet.hosts).length;
    if (hosts > MAX_FLEET_HOSTS) {
      const problem = `${hosts.toLocaleString('en-US')} hosts, more than explore takes (at most ${MAX_FLEET_HOSTS}: every path re-runs the whole fleet)`;
      // A preset is a flag's value; a fleet file is input.
      if (flags.fleet !== undefined) throw new InputError(`${flags.fleet}: ${problem}`);
      throw new UsageError(`--preset ${flags.preset}: ${problem}`);
    }
    return fleet;
  }
  const hosts = integer('--hosts', flags.hosts ?? '3', 1, 12);
  // A default the user never gave is named as one, not quoted back as their value.
  const defaultWaves = flags.waves === undefined ? ' (--waves defaults to 2)' : '';
  if (flags.waves === undefined && hosts < 2)
    throw new UsageError(`--hosts ${hosts} allows at most 1 wave (--waves defaults to 2)`);
  const waves = integer('--waves', flags.waves ?? '2', 1, hosts);
  const channels = integer('--channels', flags.channels ?? '1', 1, 2);
  const releases = integer('--releases', flags.releases ?? '1', 0, 2);
  if (hosts < channels * waves)
    throw new UsageError(
      `--hosts: ${hosts} hosts cannot fill ${waves} waves on ${channels} channels${defaultWaves}`,
    );
  try {
    return generateFleet({
      hosts,
      waves,
      channels,
      soakMinutes: 0,
      releases,
      releaseEveryMinutes: 2,
      name: `explore-${hosts}x${waves}`,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const seconds = (at: number) => `+${((at - RUN_START) / 1000).toFixed(3)}s`;
const describeFault = (f: TakenFault) => `${seconds(f.at)} ${f.what}`;

interface ProfileReport {
  readonly profile: Profile;
  readonly result: ExploreResult;
  /** Per violation, the trace file of its path. */
  readonly traces: readonly string[];
}

/** `rollout-sim explore`: exhaustive exploration of a small fleet, per profile. Returns the exit status. */
export async function exploreCommand(
  flags: ExploreFlags,
  out: (line: string) => void,
): Promise<number> {
  const maxFaults = integer('--faults', flags.faults, 0, 3);
  const maxRuns = integer('--max-runs', flags.maxRuns, 1, 10_000_000);
  const workers =
    flags.workers === undefined
      ? availableParallelism()
      : integer('--workers', flags.workers, 1, MAX_WORKERS);
  if (flags.alphabet !== 'all' && flags.alphabet !== 'fleet')
    throw new UsageError(`--alphabet: expected all or fleet, got ${quote(flags.alphabet)}`);
  const declared = chooseFleet(flags);
  const fleet = withFaultAlphabet(declared, flags.alphabet);
  const { flags: overrides, settings } = parseSets(flags.set);
  requireRoundTrip(fleet, settings, flags.fleet);
  const fullSettings: Settings = { ...DEFAULT_SETTINGS, ...settings };
  const profiles: Profile[] = (
    flags.profile === 'both' ? (['faithful', 'intent'] as const) : [flags.profile]
  ).map((p) => makeProfile(p, overrides));
  const tty = process.stderr.isTTY === true && !flags.json;
  requireOutputDir('--out', flags.out);
  const dir = flags.out.replace(/\/$/, '') || '.';
  const reports: ProfileReport[] = [];
  for (const p of profiles) {
    const options = {
      fleet,
      declared,
      profile: p,
      settings,
      maxFaults,
      maxRuns,
      symmetry: flags.symmetry,
      ...(tty
        ? {
            onProgress: (runs: number, faults: number) =>
              process.stderr.write(
                `\r\x1b[2K${p.name}: ${runs.toLocaleString('en-US')} paths (${faults} fault${faults === 1 ? '' : 's'})`,
              ),
          }
        : {}),
    };
    // Paths are independent runs: on several threads, each level's paths are cut into
    // slices and taken back in order, so the result is the one-thread result.
    const result =
      workers === 1
        ? explore(options)
        : await (await import('./explore/parallel.ts')).exploreOnPool(options, workers);
    if (result.violations.length > 0) mkdirSync(dir, { recursive: true });
    // Each violation's path, run once more on the timed scheduler into a trace file.
    const traces = result.violations.map((v) => {
      const path = `${dir}/rollout-sim-explore-${p.name}-${v.invariant}.trace.jsonl`;
      // A fleet file named like the trace (in --out) would be replaced by it.
      if (flags.fleet !== undefined)
        requireOutput(path, 'the trace', [{ flag: '--fleet', path: flags.fleet }]);
      const writer = new TraceWriter(path, {
        seed: 0,
        profile: p,
        fleet: v.fleet,
        settings: fullSettings,
        untilSeconds: EXPLORE_HORIZON_SECONDS,
        explorePlan: v.plan,
      });
      try {
        runPlan({
          fleet: v.fleet,
          profile: p,
          settings,
          plan: v.plan,
          sink: writer.record,
          whole: true,
        });
      } finally {
        writer.close();
      }
      return path;
    });
    reports.push({ profile: p, result, traces });
  }
  if (tty) process.stderr.write('\r\x1b[2K');
  const failed = reports.some((r) => r.result.violations.some((v) => v.deviation === null));
  if (flags.json) {
    out(
      JSON.stringify({
        fleet,
        bounds: {
          faults: maxFaults,
          max_runs: maxRuns,
          alphabet: flags.alphabet,
          symmetry: flags.symmetry,
        },
        profiles: reports.map(exploreJson),
      }),
    );
    return failed ? 1 : 0;
  }
  out(
    `exploring ${describeFleet(declared)[0]}; ${flags.alphabet === 'all' ? 'every fault kind possible' : "the fleet's own faults"}, at most ${maxFaults} fault${maxFaults === 1 ? '' : 's'} per path`,
  );
  for (const { profile: p, result: r, traces } of reports) {
    out('');
    out(
      `── ${p.name}: ${r.runs.toLocaleString('en-US')} path${r.runs === 1 ? '' : 's'} (${r.choicePoints.toLocaleString('en-US')} choice points on the fault-free one), ${r.deliveries.toLocaleString('en-US')} deliveries in ${r.seconds.toFixed(1)} s${r.symmetric > 0 ? `; ${r.symmetric.toLocaleString('en-US')} more that only swap alike hosts not run` : ''}${r.truncated ? ` — STOPPED at --max-runs ${maxRuns}: not every path within the bound was run` : ''}`,
    );
    for (const line of coverageLines(r)) out(line);
    const known = r.violations.map((v, i) => ({ v, trace: traces[i] as string }));
    const show = (list: typeof known, head: string) => {
      if (list.length === 0) return;
      out(head);
      for (const { v, trace } of list) {
        out(`  ${v.invariant}: ${v.message}`);
        if (v.deviation !== null) out(`      ${v.deviation}`);
        out(
          `      shortest path (${v.path.length} fault${v.path.length === 1 ? '' : 's'}): ${v.path.length === 0 ? 'no fault needed' : v.path.map(describeFault).join(' → ')}`,
        );
        const shown = relative(process.cwd(), trace) || trace;
        out(`      replay: npx rollout-sim replay ${shown}   (line ${v.record + 2})`);
      }
    };
    show(
      known.filter(({ v }) => v.deviation !== null),
      `  known deviations (${p.name} breaks these by construction; not failures):`,
    );
    show(
      known.filter(({ v }) => v.deviation === null),
      '  VIOLATIONS:',
    );
    if (r.violations.every((v) => v.deviation !== null)) out('  no invariant failed.');
  }
  return failed ? 1 : 0;
}

function exploreJson({ profile, result: r, traces }: ProfileReport) {
  const cells = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    Object.fromEntries([...m].sort().map(([k, v]) => [k, [...v].sort()]));
  return {
    profile: profile.name,
    runs: r.runs,
    deliveries: r.deliveries,
    choice_points: r.choicePoints,
    seconds: r.seconds,
    truncated: r.truncated,
    symmetric_paths_skipped: r.symmetric,
    coverage: {
      rollout_cells: r.coverage.rollout.size,
      rollout_cells_total: ROLLOUT_CELLS,
      host_cells: r.coverage.host.size,
      host_cells_total: HOST_CELLS,
    },
    rollout_states_reached: TABLES.rollout.states.filter((s) => r.coverage.rolloutStates.has(s)),
    host_states_reached: TABLES.host.states.filter((s) => r.coverage.hostStates.has(s)),
    rollout_cells: cells(r.coverage.rollout),
    host_cells: cells(r.coverage.host),
    violations: r.violations.map((v, i) => ({
      invariant: v.invariant,
      known: v.deviation !== null,
      deviation: v.deviation,
      message: v.message,
      path: v.path.map(describeFault),
      plan: v.plan,
      line: v.record + 2,
      trace: traces[i],
    })),
  };
}
