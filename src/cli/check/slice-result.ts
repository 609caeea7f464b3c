import type { Case, PropertyCheckReport } from '../../../sim/check/property-check.ts';
import { type PlainCoverage, plainCoverage, unionCoverage } from '../../../sim/coverage.ts';
import type { Finding } from '../../../sim/invariants/checker.ts';
import { invariantById } from '../../../sim/invariants/index.ts';

/*
 * One contiguous slice of a check's runs (run indices first … first+count-1), in a form
 * that crosses a worker-thread boundary (plain data: invariants by id), and the merge
 * that makes slices into the report one thread would have given: fast-check derives run
 * i from the seed and i alone, and shrinks a failure from that run alone, so
 * - the failure is the one of the lowest failing slice (each slice stops at its first);
 * - runs and deviations count every slice before it, and that slice up to its failure;
 * - a deviation's example is the one of the lowest slice that saw it.
 */

export interface PlainFinding {
  readonly invariant: string;
  readonly t: number;
  readonly message: string;
  readonly record: number;
  readonly deviation: string | null;
}

export interface SliceResult {
  readonly first: number;
  readonly count: number;
  readonly seed: number;
  /** Runs done in the first pass (up to and including a failing one). */
  readonly done: number;
  readonly wallSeconds: number;
  readonly deviations: readonly {
    readonly invariant: string;
    readonly count: number;
    readonly example: PlainFinding;
  }[];
  readonly failure: {
    readonly finding: PlainFinding;
    readonly case: Case;
    readonly path: string;
    readonly shrinks: number;
  } | null;
  readonly coverage: PlainCoverage;
}

const plain = (f: Finding): PlainFinding => ({
  invariant: f.invariant.id,
  t: f.t,
  message: f.message,
  record: f.record,
  deviation: f.deviation,
});

function rich(f: PlainFinding): Finding {
  const invariant = invariantById(f.invariant);
  if (invariant === undefined)
    throw new Error(`a worker reported unknown invariant ${f.invariant}`);
  return { ...f, invariant };
}

export function toSlice(first: number, count: number, report: PropertyCheckReport): SliceResult {
  return {
    first,
    count,
    seed: report.seed,
    done: report.runs,
    wallSeconds: report.wallSeconds,
    deviations: report.deviations.map((d) => ({
      invariant: d.invariant.id,
      count: d.count,
      example: plain(d.example),
    })),
    failure:
      report.failure === null
        ? null
        : {
            finding: plain(report.failure.finding),
            case: report.failure.case,
            path: report.failure.path,
            shrinks: report.failure.shrinks,
          },
    coverage: plainCoverage(report.coverage),
  };
}

/** The slices (any order) as the one report a single thread would have produced. */
export function mergeSlices(
  slices: readonly SliceResult[],
  seed: number,
  wallSeconds: number,
): PropertyCheckReport {
  const ordered = [...slices].sort((a, b) => a.first - b.first);
  const failing = ordered.findIndex((s) => s.failure !== null);
  const counted = failing < 0 ? ordered : ordered.slice(0, failing + 1);
  const deviations = new Map<string, { count: number; example: PlainFinding }>();
  let runs = 0;
  for (const s of counted) {
    runs += s.done;
    for (const d of s.deviations) {
      const prior = deviations.get(d.invariant);
      deviations.set(d.invariant, {
        count: (prior?.count ?? 0) + d.count,
        example: prior?.example ?? d.example,
      });
    }
  }
  const f = failing < 0 ? null : (ordered[failing]?.failure ?? null);
  return {
    seed,
    runs,
    wallSeconds,
    failure: f === null ? null : { ...f, finding: rich(f.finding) },
    deviations: [...deviations.values()]
      .map((d) => {
        const example = rich(d.example);
        return { invariant: example.invariant, count: d.count, example };
      })
      .sort((a, b) => (a.invariant.id < b.invariant.id ? -1 : 1)),
    coverage: unionCoverage(counted.map((s) => s.coverage)),
  };
}
