import Tinypool from 'tinypool';
import { type PlainCoverage, unionCoverage } from '../../../sim/coverage.ts';
import {
  type ExploreOptions,
  type ExploreResult,
  exploreSearch,
  type PathOutcome,
} from '../../../sim/explore/explore.ts';
import { poolThreads } from '../pool-threads.ts';
import { inlineLessForPool } from '../v8-defaults.ts';
import { workerModule } from '../worker-module.ts';
import type { PathsResult, PathsTask } from './worker.ts';

/*
 * `explore --workers N`: the same search as `explore` (exploreSearch), with each level's
 * paths cut into contiguous slices run on a pool of worker threads and taken back in plan
 * order, so the result is the one a single thread gives.
 */

/** Several slices per worker, so one slow slice does not leave the other cores idle. */
const SLICES_PER_WORKER = 4;

function slices<T>(items: readonly T[], parts: number): T[][] {
  const n = Math.max(1, Math.min(parts, items.length));
  return Array.from({ length: n }, (_, k) =>
    items.slice(Math.floor((items.length * k) / n), Math.floor((items.length * (k + 1)) / n)),
  );
}

export async function exploreOnPool(
  options: Omit<ExploreOptions, 'invariants'>,
  workers: number,
): Promise<ExploreResult> {
  const started = performance.now();
  const filename = workerModule(import.meta.url, 'explore');
  inlineLessForPool();
  // Threads start as slices need them: a level is often a handful of paths.
  const threads = poolThreads(workers, Number.POSITIVE_INFINITY);
  const pool = new Tinypool({ filename, minThreads: 1, maxThreads: threads });
  const { fleet, declared, profile, settings, maxFaults, symmetry } = options;
  const pathOptions = {
    fleet,
    profile,
    maxFaults,
    ...(symmetry === undefined ? {} : { symmetry }),
    ...(declared === undefined ? {} : { declared }),
    ...(settings === undefined ? {} : { settings }),
  };
  const coverage: PlainCoverage[] = [];
  try {
    const search = exploreSearch(options);
    let step = search.next();
    while (!step.done) {
      const parts = slices(step.value, threads * SLICES_PER_WORKER);
      const results = (await Promise.all(
        parts.map((plans) => pool.run({ options: pathOptions, plans } satisfies PathsTask)),
      )) as PathsResult[];
      const outcomes: PathOutcome[] = [];
      for (const r of results) {
        outcomes.push(...r.outcomes);
        coverage.push(r.coverage);
      }
      step = search.next(outcomes);
    }
    return {
      ...step.value,
      seconds: (performance.now() - started) / 1000,
      coverage: unionCoverage(coverage),
    };
  } finally {
    await pool.destroy();
  }
}
