import { CoverageCollector, type PlainCoverage, plainCoverage } from '../../../sim/coverage.ts';
import { type PathOptions, type PathOutcome, runPath } from '../../../sim/explore/explore.ts';

/*
 * An explore worker thread (tinypool): runs a contiguous slice of one level's plans and
 * returns their outcomes in order, with the coverage they reached as plain data.
 */

export interface PathsTask {
  readonly options: PathOptions;
  readonly plans: readonly (readonly number[])[];
}

export interface PathsResult {
  readonly outcomes: readonly PathOutcome[];
  readonly coverage: PlainCoverage;
}

export function runPaths(task: PathsTask): PathsResult {
  const coverage = new CoverageCollector();
  const outcomes = task.plans.map((plan) => runPath(task.options, plan, coverage));
  return { outcomes, coverage: plainCoverage(coverage.snapshot()) };
}

export default runPaths;
