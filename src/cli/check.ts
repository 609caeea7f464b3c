import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import {
  CASE_HORIZON_SECONDS,
  caseSettings,
  type PropertyCheckReport,
  propertyCheck,
  runCase,
} from '../../sim/check/property-check.ts';
import { coverageLine, HOST_CELLS, plainCoverage, ROLLOUT_CELLS } from '../../sim/coverage.ts';
import { INVARIANTS, invariantById, judgeable } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { quote } from '../../sim/quote.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { requireOutput, requireOutputDir } from '../files/fs-problem.ts';
import type { TraceHeader } from '../trace/format.ts';
import { TraceWriter } from '../trace/writer.ts';
import {
  MAX_CHECK_RUNS,
  MAX_CHECK_SEED,
  MIN_CHECK_SEED,
  setupDigest,
  shardRange,
} from './check/shard-report.ts';
import { mergeSlices } from './check/slice-result.ts';
import { checkSlice } from './check/worker.ts';
import { describeFleet } from './describe-fleet.ts';
import { MAX_WORKERS } from './pool-threads.ts';
import {
  generatorOnlyFlags,
  integer,
  type RunFlags,
  resolveFleetChoice,
  resolveRun,
} from './run-options.ts';
import { span } from './summary-text.ts';
import { InputError, UsageError } from './usage-error.ts';

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
  /** Worker threads; default: the available cores. */
  readonly workers?: string;
  /** `K/N`: check only the K-th of N contiguous slices of the runs. */
  readonly shard?: string;
}

function chooseInvariants(ids: readonly string[]): readonly Invariant[] {
  if (ids.length === 0) return INVARIANTS;
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  // A list of what to check: naming one twice would count it twice in the report.
  if (twice !== undefined) throw new UsageError(`--invariant ${twice} given twice`);
  return judgeable(
    ids.map((id) => {
      const found = invariantById(id);
      if (found === undefined)
        throw new UsageError(
          `--invariant: unknown invariant ${quote(id)} (known: ${INVARIANTS.map((i) => i.id).join(', ')})`,
        );
      return found;
    }),
  );
}

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
  /** The broken invariant's id and its message, apart (the replay view shows them). */
  readonly invariant: string;
  readonly message: string;
}

/** `K/N` → {index K, count N}, 1 ≤ K ≤ N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (m === null || count < 1 || count > MAX_CHECK_RUNS || index < 1 || index > count)
    throw new UsageError(`--shard: expected K/N with 1 ≤ K ≤ N (e.g. 2/8), got ${quote(text)}`);
  return { index, count };
}

/** Where a failing check writes its counterexample's trace. */
const counterexamplePath = (out: string, seed: number): string =>
  `${out.replace(/\/$/, '')}/rollout-sim-counterexample-${seed}.trace.jsonl`;

/** A fleet file (or trace) named like the counterexample's trace would be replaced by it. */
function refuseInputAsTrace(out: string, fleet: string, seed: number): void {
  requireOutput(counterexamplePath(out, seed), 'the counterexample trace', [
    { flag: '--fleet', path: fleet },
  ]);
}

/** A seed as fast-check draws one when none is given (a 32-bit integer). */
const randomSeed = (): number => (Date.now() ^ (Math.random() * 0x1_0000_0000)) | 0;

export async function checkCommand(
  flags: CheckFlags,
  out: (line: string) => void,
  onCounterexample?: (c: Counterexample) => void,
): Promise<number> {
  const fleetFlags = { ...flags, seed: '0' };
  const fixed = resolveFleetChoice(fleetFlags);
  const stray = generatorOnlyFlags(fleetFlags);
  if (fixed === null && stray.length > 0)
    throw new UsageError(
      `${stray.join(', ')}: only for a generated fleet (--hosts/--waves/--channels); without one, check draws its own fleets and faults`,
    );
  const setup = resolveRun(fleetFlags);
  const invariants = chooseInvariants(flags.invariant);
  const runs = integer('--runs', flags.runs, 1, MAX_CHECK_RUNS);
  const seed =
    flags.seed === undefined
      ? undefined
      : integer('--seed', flags.seed, MIN_CHECK_SEED, MAX_CHECK_SEED);
  if (flags.path !== undefined && (seed === undefined || !/^\d+(:\d+)*$/.test(flags.path))) {
    throw new UsageError(
      '--path: expects a path like 12:0:3, together with the --seed it was printed with',
    );
  }
  // fast-check walks to the path's run index one generated case at a time (a minute at
  // 10^8), and a printed path's run index is below the --runs of the check that printed
  // it (which its replay command does not repeat), so below MAX_CHECK_RUNS; a shrink index past
  // the end of its shrinks leaves nothing to run.
  if (flags.path?.split(':').some((n) => Number(n) >= MAX_CHECK_RUNS))
    throw new UsageError(
      `--path: expected numbers below ${MAX_CHECK_RUNS} (the first is a run index, and check makes at most ${MAX_CHECK_RUNS} runs), got ${quote(flags.path)}`,
    );
  requireOutputDir('--out', flags.out);
  const workers =
    flags.workers === undefined
      ? availableParallelism()
      : integer('--workers', flags.workers, 1, MAX_WORKERS);
  const shard = flags.shard === undefined ? null : parseShard(flags.shard);
  if (shard !== null && seed === undefined)
    throw new UsageError('--shard: needs --seed, so that every shard checks the same cases');
  if (shard !== null && flags.path !== undefined)
    throw new UsageError('--shard: not with --path, which replays one case');
  // A shard of no runs would check nothing and report success.
  if (shard !== null && shard.count > runs)
    throw new UsageError(
      `--shard ${shard.index}/${shard.count}: more shards than --runs ${runs}, so some would check no run`,
    );
  // Checking a counterexample's own trace again (`--fleet TRACE`, same seed and --out)
  // would end by overwriting it: said now, not after the runs.
  if (flags.fleet !== undefined && seed !== undefined)
    refuseInputAsTrace(flags.out, flags.fleet, seed);
  const range = shard === null ? { first: 0, count: runs } : shardRange(runs, shard);
  const tty = process.stderr.isTTY === true && !flags.json;
  const onProgress = tty
    ? (done: number) =>
        done % 10 === 0 && process.stderr.write(`\r\x1b[2Kchecked ${done}/${range.count} runs`)
    : undefined;
  let report: PropertyCheckReport;
  if (flags.path !== undefined || (workers === 1 && shard === null)) {
    // One thread, exactly as fast-check runs it: also how --path replays a case.
    const noCase = () =>
      new InputError(
        `--path ${flags.path}: no case of --seed ${seed} is at this path (replay a path with the --seed and fleet flags it was printed with)`,
      );
    try {
      report = propertyCheck({
        // A path names one case: fast-check would go on to the cases after it.
        runs: flags.path === undefined ? runs : 1,
        ...(seed === undefined ? {} : { seed }),
        ...(flags.path === undefined ? {} : { path: flags.path }),
        profile: setup.profile,
        settings: setup.settings,
        invariants,
        ...(fixed === null ? {} : { fleet: setup.fleet }),
        ...(onProgress === undefined ? {} : { onProgress }),
      });
    } catch (error) {
      // fast-check's words for a path that leaves the shrink tree before its last step.
      if (flags.path !== undefined && /^Unable to replay/.test((error as Error).message))
        throw noCase();
      throw error;
    }
    if (flags.path !== undefined && report.runs === 0) throw noCase();
  } else {
    const sliced = {
      ...range,
      seed: seed ?? randomSeed(),
      profile: setup.profile,
      settings: setup.settings,
      invariants,
      fleet: fixed === null ? null : setup.fleet,
    };
    if (workers === 1 || range.count <= 1) {
      const started = performance.now();
      const slices =
        range.count === 0
          ? []
          : [checkSlice({ ...sliced, invariants: invariants.map((i) => i.id) })];
      report = mergeSlices(slices, sliced.seed, (performance.now() - started) / 1000);
    } else {
      // Loaded only here: the pool is not needed for one thread.
      const { slicedCheck } = await import('./check/parallel.ts');
      report = await slicedCheck({
        ...sliced,
        workers,
        ...(onProgress === undefined ? {} : { onProgress }),
      });
    }
  }
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
    tracePath = counterexamplePath(flags.out, report.seed);
    const header: TraceHeader = {
      seed: f.case.seed,
      profile: setup.profile,
      fleet: f.case.fleet,
      settings: { ...DEFAULT_SETTINGS, ...caseSettings(f.case, setup.settings) },
      untilSeconds: CASE_HORIZON_SECONDS,
      forcedFaults: f.case.forced,
    };
    if (flags.fleet !== undefined) refuseInputAsTrace(flags.out, flags.fleet, report.seed);
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
      invariant: f.finding.invariant.id,
      message: f.finding.message,
    });
  }

  if (flags.json) {
    out(
      JSON.stringify({
        ...checkJson(
          report,
          setup.profile.name,
          invariants,
          tracePath,
          report.failure === null ? null : replay(report.failure),
        ),
        // What `check --merge` needs to put the shards back together.
        ...(shard === null
          ? {}
          : {
              shard: {
                index: shard.index,
                count: shard.count,
                first_run: range.first,
                runs: range.count,
                total_runs: runs,
                setup: setupDigest({
                  profile: setup.profile,
                  settings: { ...DEFAULT_SETTINGS, ...setup.settings },
                  fleet: fixed === null ? null : setup.fleet,
                }),
              },
            }),
      }),
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
  if (f.case.retentionMinutes !== null)
    out(`  retention drawn short: ${f.case.retentionMinutes} min (retention_days 90 otherwise)`);
  if (f.case.settleSeconds !== null)
    out(`  settle window drawn short: ${f.case.settleSeconds} s (settle_secs 60 otherwise)`);
  out(`replay:  ${replay(f)}`);
  if (tracePath !== null)
    out(
      `trace:   ${relative(process.cwd(), tracePath) || tracePath} (npx rollout-sim replay ${relative(process.cwd(), tracePath) || tracePath})`,
    );
  return 1;
}

export function checkJson(
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
      cells: plainCoverage(report.coverage),
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
