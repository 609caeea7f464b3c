import { HOST_CELLS, plainCoverage, ROLLOUT_CELLS, unionCoverage } from '../../../sim/coverage.ts';
import { InputError, UsageError } from '../../errors.ts';
import { readProblem } from '../../files/open-input.ts';
import { readTextFile } from '../../files/read-text.ts';
import { decodeShardReport, type ShardReport } from './shard-report.ts';

/*
 * `check --merge FILES…`: the `--json` reports of `check --shard 1/N` … `N/N` (same
 * seed, runs, profile and invariants) put back together into the report one
 * `check --seed S --runs R --json` gives, by the rules of slice-result.ts: the failure
 * of the lowest failing shard; runs and deviations of the shards up to it; each
 * deviation's example from the lowest shard that saw it. `wall_seconds` is the sum.
 */

function read(path: string): ShardReport {
  const read = readTextFile(path);
  if (!read.ok) throw new InputError(readProblem(path, read));
  let json: unknown;
  try {
    json = JSON.parse(read.text);
  } catch (error) {
    throw new InputError(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || !('shard' in json))
    throw new InputError(
      `${path}: not a shard report (expected the output of check --shard K/N --json)`,
    );
  const decoded = decodeShardReport(json);
  if (!decoded.ok) throw new InputError(`${path}: ${decoded.problem}`);
  return decoded.report;
}

/** The first thing two shards of one check cannot differ in, in words; null if none. */
function difference(r: ShardReport, base: ShardReport): string | null {
  if (r.seed !== base.seed) return `seed ${r.seed}, not ${base.seed}`;
  if (r.shard.total_runs !== base.shard.total_runs)
    return `runs ${r.shard.total_runs}, not ${base.shard.total_runs}`;
  if (r.profile !== base.profile) return `profile ${r.profile}, not ${base.profile}`;
  // The set, not the order: --invariant A --invariant B checks what B then A does.
  const chosen = (x: ShardReport) => [...x.invariants].sort().join(', ');
  if (chosen(r) !== chosen(base)) return `invariants ${chosen(r)}, not ${chosen(base)}`;
  if (r.shard.count !== base.shard.count)
    return `shard count ${r.shard.count}, not ${base.shard.count}`;
  if (r.shard.setup !== base.shard.setup) return 'another fleet, profile flags or --set settings';
  return null;
}

/** At most this many missing shards are named; the count says the rest. */
const NAMED_MISSING = 10;

/** The merged report, in the key order `check --json` prints. */
export function mergeReports(paths: readonly string[]): Record<string, unknown> {
  if (paths.length === 0) throw new UsageError('--merge: name the shard reports to merge');
  const reports = paths.map((path) => ({ path, report: read(path) }));
  const [head] = reports;
  const base = (head as (typeof reports)[number]).report;
  for (const { path, report } of reports) {
    const differs = difference(report, base);
    if (differs !== null)
      throw new InputError(`${path}: not a shard of the same check as ${head?.path}: ${differs}`);
  }
  const byIndex = new Map<number, string>();
  for (const { path, report } of reports) {
    const earlier = byIndex.get(report.shard.index);
    if (earlier !== undefined)
      throw new InputError(`${path}: shard ${report.shard.index} again (also in ${earlier})`);
    byIndex.set(report.shard.index, path);
  }
  // Stops at the tenth missing one: a count of millions (1e9 was a V8 fatal error) is
  // reported in a line, not listed.
  const missing: number[] = [];
  for (let k = 1; k <= base.shard.count && missing.length < NAMED_MISSING; k++)
    if (!byIndex.has(k)) missing.push(k);
  if (missing.length > 0) {
    const absent = base.shard.count - byIndex.size;
    const named =
      absent > missing.length ? `${missing.join(', ')}, … (${absent} in all)` : missing.join(', ');
    throw new InputError(
      `--merge: shard${absent === 1 ? '' : 's'} ${named} of ${base.shard.count} missing`,
    );
  }
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
