import { relative } from 'node:path';
import {
  CASE_HORIZON_SECONDS,
  type PropertyCheckReport,
  propertyCheck,
  runCase,
} from '../../sim/check/property-check.ts';
import { coverageLine, HOST_CELLS, ROLLOUT_CELLS } from '../../sim/coverage.ts';
import { INVARIANTS, invariantById } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import type { TraceHeader } from '../trace/format.ts';
import { TraceWriter } from '../trace/writer.ts';
import { describeFleet } from './describe-fleet.ts';
import { integer, type RunFlags, resolveFleetChoice, resolveRun } from './run-options.ts';
import { span } from './summary-text.ts';
import { UsageError } from './usage-error.ts';

export interface CheckFlags extends Omit<RunFlags, 'seed' | 'until'> {
  readonly runs: string;
  readonly seed?: string;
  readonly path?: string;
  readonly invariant: readonly string[];
  readonly out: string;
  readonly json: boolean;
  /** commander's `--open`: show the counterexample in the replay view. */
  readonly open?: boolean;
  readonly ui?: boolean;
}

function chooseInvariants(ids: readonly string[]): readonly Invariant[] {
  if (ids.length === 0) return INVARIANTS;
  return ids.map((id) => {
    const found = invariantById(id);
    if (found === undefined)
      throw new UsageError(
        `--invariant: unknown invariant "${id}" (known: ${INVARIANTS.map((i) => i.id).join(', ')})`,
      );
    return found;
  });
}

/**
 * fast-check folds any other seed into a 32-bit one and reports that instead, so the
 * replay command would not show the seed that was given: only int32 seeds are taken.
 */
const MIN_CHECK_SEED = -0x8000_0000;
const MAX_CHECK_SEED = 0x7fff_ffff;
const MAX_RUNS = 10_000_000;

/**
 * `rollout-sim check`: property-check the invariants over generated fleets (or one fixed
 * fleet), print known deviations apart from failures, and on a failure the minimal
 * counterexample, a replay command and its trace file. Returns the exit status.
 */
export interface Counterexample {
  readonly records: readonly TraceRecord[];
  readonly header: TraceHeader;
  /** Index of the record that broke the invariant. */
  readonly index: number;
  readonly label: string;
}

export function checkCommand(
  flags: CheckFlags,
  out: (line: string) => void,
  onCounterexample?: (c: Counterexample) => void,
): number {
  const fleetFlags = { ...flags, seed: '0' };
  const fixed = resolveFleetChoice(fleetFlags);
  const setup = resolveRun(fleetFlags);
  const invariants = chooseInvariants(flags.invariant);
  const runs = integer('--runs', flags.runs, 1, MAX_RUNS);
  const seed =
    flags.seed === undefined
      ? undefined
      : integer('--seed', flags.seed, MIN_CHECK_SEED, MAX_CHECK_SEED);
  if (flags.path !== undefined && (seed === undefined || !/^\d+(:\d+)*$/.test(flags.path))) {
    throw new UsageError(
      '--path: expects a path like 12:0:3, together with the --seed it was printed with',
    );
  }
  const tty = process.stderr.isTTY === true && !flags.json;
  const report = propertyCheck({
    runs,
    ...(seed === undefined ? {} : { seed }),
    ...(flags.path === undefined ? {} : { path: flags.path }),
    profile: setup.profile,
    settings: setup.settings,
    invariants,
    ...(fixed === null ? {} : { fleet: setup.fleet }),
    ...(tty
      ? {
          onProgress: (done: number) =>
            done % 10 === 0 && process.stderr.write(`\r\x1b[2Kchecked ${done}/${runs} runs`),
        }
      : {}),
  });
  if (tty) process.stderr.write('\r\x1b[2K');

  const replay = (r: NonNullable<PropertyCheckReport['failure']>) =>
    [
      'npx rollout-sim check',
      `--profile ${setup.profile.base}`,
      ...flags.set.map((s) => `--set ${s}`),
      ...flags.invariant.map((i) => `--invariant ${i}`),
      ...(fixed === null ? [] : [fixed]),
      `--seed ${report.seed}`,
      `--path ${r.path}`,
    ].join(' ');
  let tracePath: string | null = null;
  const forced: string[] = [];
  if (report.failure !== null) {
    const f = report.failure;
    tracePath = `${flags.out.replace(/\/$/, '')}/rollout-sim-counterexample-${report.seed}.trace.jsonl`;
    const header: TraceHeader = {
      seed: f.case.seed,
      profile: setup.profile,
      fleet: f.case.fleet,
      settings: { ...DEFAULT_SETTINGS, ...setup.settings },
      untilSeconds: CASE_HORIZON_SECONDS,
      forcedFaults: f.case.forced,
    };
    const writer = new TraceWriter(tracePath, header);
    const records: TraceRecord[] = [];
    try {
      runCase(
        f.case,
        { profile: setup.profile, settings: setup.settings, invariants },
        (r) => {
          writer.record(r);
          if (onCounterexample !== undefined) records.push(r);
        },
        undefined,
        forced,
      );
    } finally {
      writer.close();
    }
    onCounterexample?.({
      records,
      header,
      index: f.finding.record,
      label: `${f.finding.invariant.id}: ${f.finding.message}`,
    });
  }

  if (flags.json) {
    out(
      JSON.stringify(
        checkJson(
          report,
          setup.profile.name,
          invariants,
          tracePath,
          report.failure === null ? null : replay(report.failure),
        ),
      ),
    );
    return report.failure === null ? 0 : 1;
  }
  const rate = report.runs / Math.max(report.wallSeconds, 1e-9);
  out(
    `checked ${invariants.length} invariant${invariants.length === 1 ? '' : 's'} over ${report.runs} run${report.runs === 1 ? '' : 's'}, profile ${setup.profile.name}, seed ${report.seed} (${report.wallSeconds.toFixed(1)} s, ${rate.toFixed(0)} runs/s)`,
  );
  out(coverageLine(report.coverage));
  if (report.deviations.length > 0) {
    out('');
    out(`known deviations (${setup.profile.name} breaks these by construction; not failures):`);
    for (const d of report.deviations) {
      out(`  ${d.invariant.id} — in ${d.count} run${d.count === 1 ? '' : 's'}`);
      out(`      ${d.invariant.requires?.deviation ?? ''}`);
      out(`      e.g. ${d.example.message}`);
    }
  }
  out('');
  const f = report.failure;
  if (f === null) {
    out('no invariant failed.');
    return 0;
  }
  out(`FAILED ${f.finding.invariant.id}: ${f.finding.invariant.statement}`);
  out(`  source: ${f.finding.invariant.source}`);
  out(`  at +${span((f.finding.t - RUN_START) / 1000)}: ${f.finding.message}`);
  out(`minimal counterexample (${f.shrinks} shrink steps), simulation seed ${f.case.seed}:`);
  for (const line of describeFleet(f.case.fleet)) out(`  ${line}`);
  if (forced.length > 0) out(`  forced faults: ${forced.join('; ')}`);
  out(`replay:  ${replay(f)}`);
  if (tracePath !== null)
    out(
      `trace:   ${relative(process.cwd(), tracePath) || tracePath} (npx rollout-sim replay ${relative(process.cwd(), tracePath) || tracePath})`,
    );
  return 1;
}

function checkJson(
  report: PropertyCheckReport,
  profile: string,
  invariants: readonly Invariant[],
  trace: string | null,
  replay: string | null,
) {
  const f = report.failure;
  return {
    profile,
    seed: report.seed,
    runs: report.runs,
    wall_seconds: report.wallSeconds,
    invariants: invariants.map((i) => i.id),
    coverage: {
      rollout_cells: report.coverage.rollout.size,
      rollout_cells_total: ROLLOUT_CELLS,
      host_cells: report.coverage.host.size,
      host_cells_total: HOST_CELLS,
    },
    deviations: report.deviations.map((d) => ({
      invariant: d.invariant.id,
      runs: d.count,
      deviation: d.invariant.requires?.deviation ?? null,
      example: d.example.message,
    })),
    failure:
      f === null
        ? null
        : {
            invariant: f.finding.invariant.id,
            statement: f.finding.invariant.statement,
            source: f.finding.invariant.source,
            message: f.finding.message,
            t: (f.finding.t - RUN_START) / 1000,
            simulation_seed: f.case.seed,
            path: f.path,
            shrinks: f.shrinks,
            replay,
            trace,
            fleet: f.case.fleet,
          },
  };
}
