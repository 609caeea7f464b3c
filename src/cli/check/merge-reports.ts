import {
  HOST_CELLS,
  type PlainCoverage,
  plainCoverage,
  ROLLOUT_CELLS,
  unionCoverage,
} from '../../../sim/coverage.ts';
import { InputError, UsageError } from '../../errors.ts';
import { readProblem } from '../../files/open-input.ts';
import { readTextFile } from '../../files/read-text.ts';

/*
 * `check --merge FILES…`: the `--json` reports of `check --shard 1/N` … `N/N` (same
 * seed, runs, profile and invariants) put back together into the report one
 * `check --seed S --runs R --json` gives, by the rules of slice-result.ts: the failure
 * of the lowest failing shard; runs and deviations of the shards up to it; each
 * deviation's example from the lowest shard that saw it. `wall_seconds` is the sum.
 */

interface ShardReport {
  readonly profile: string;
  readonly seed: number;
  readonly runs: number;
  readonly wall_seconds: number;
  readonly invariants: readonly string[];
  readonly deviations: readonly {
    readonly invariant: string;
    readonly runs: number;
    readonly deviation: string | null;
    readonly example: string;
  }[];
  readonly failure: unknown;
  readonly coverage?: { readonly cells: PlainCoverage };
  readonly shard: {
    readonly index: number;
    readonly count: number;
    readonly first_run: number;
    readonly runs: number;
    readonly total_runs: number;
  };
}

function read(path: string): ShardReport {
  const read = readTextFile(path);
  if (!read.ok) throw new InputError(readProblem(path, read));
  const text = read.text;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const r = json as Partial<ShardReport> | null;
  const s = r?.shard;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.seed !== 'number' ||
    typeof r.runs !== 'number' ||
    !Array.isArray(r.deviations) ||
    !Array.isArray(r.invariants) ||
    typeof s !== 'object' ||
    s === null ||
    typeof s.index !== 'number' ||
    typeof s.count !== 'number' ||
    typeof s.total_runs !== 'number'
  )
    throw new InputError(
      `${path}: not a shard report (expected the output of check --shard K/N --json)`,
    );
  return r as ShardReport;
}

/** The merged report, in the key order `check --json` prints. */
export function mergeReports(paths: readonly string[]): Record<string, unknown> {
  if (paths.length === 0) throw new UsageError('--merge: name the shard reports to merge');
  const reports = paths.map((path) => ({ path, report: read(path) }));
  const [head] = reports;
  const base = (head as (typeof reports)[number]).report;
  const same = (r: ShardReport) =>
    r.seed === base.seed &&
    r.profile === base.profile &&
    r.shard.count === base.shard.count &&
    r.shard.total_runs === base.shard.total_runs &&
    r.invariants.join(',') === base.invariants.join(',');
  for (const { path, report } of reports)
    if (!same(report))
      throw new InputError(
        `${path}: from another check (seed, runs, profile, invariants or shard count differ from ${head?.path})`,
      );
  const byIndex = new Map<number, string>();
  for (const { path, report } of reports) {
    const earlier = byIndex.get(report.shard.index);
    if (earlier !== undefined)
      throw new InputError(`${path}: shard ${report.shard.index} again (also in ${earlier})`);
    byIndex.set(report.shard.index, path);
  }
  const missing: number[] = [];
  for (let k = 1; k <= base.shard.count; k++) if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0)
    throw new InputError(
      `--merge: shard${missing.length === 1 ? '' : 's'} ${missing.join(', ')} of ${base.shard.count} missing`,
    );

  const ordered = reports.map((r) => r.report).sort((a, b) => a.shard.index - b.shard.index);
  const failing = ordered.findIndex((r) => r.failure !== null);
  const counted = failing < 0 ? ordered : ordered.slice(0, failing + 1);
  const deviations = new Map<string, ShardReport['deviations'][number]>();
  let runs = 0;
  for (const r of counted) {
    runs += r.runs;
    for (const d of r.deviations) {
      const prior = deviations.get(d.invariant);
      deviations.set(
        d.invariant,
        prior === undefined ? d : { ...prior, runs: prior.runs + d.runs },
      );
    }
  }
  return {
    profile: base.profile,
    seed: base.seed,
    runs,
    wall_seconds: ordered.reduce((sum, r) => sum + r.wall_seconds, 0),
    invariants: base.invariants,
    coverage: coverageJson(counted),
    deviations: [...deviations.values()].sort((a, b) => (a.invariant < b.invariant ? -1 : 1)),
    failure: failing < 0 ? null : ordered[failing]?.failure,
  };
}

/** The shards' coverage united, in the shape `check --json` prints. */
function coverageJson(counted: readonly ShardReport[]) {
  const united = unionCoverage(
    counted.flatMap((r) => (r.coverage === undefined ? [] : [r.coverage.cells])),
  );
  return {
    rollout_cells: united.rollout.size,
    rollout_cells_total: ROLLOUT_CELLS,
    host_cells: united.host.size,
    host_cells_total: HOST_CELLS,
    cells: plainCoverage(united),
  };
}
