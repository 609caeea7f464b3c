import Tinypool from 'tinypool';
import type { PropertyCheckReport } from '../../../sim/check/property-check.ts';
import type { Fleet } from '../../../sim/fleet/fleet.ts';
import type { Invariant } from '../../../sim/invariants/invariant.ts';
import type { Profile } from '../../../sim/profile.ts';
import type { Settings } from '../../../sim/settings.ts';
import { poolThreads } from '../pool-threads.ts';
import { inlineLessForPool } from '../v8-defaults.ts';
import { workerModule } from '../worker-module.ts';
import { mergeSlices, type SliceResult } from './slice-result.ts';
import type { SliceTask } from './worker.ts';

/*
 * `check --workers N`: the runs first … first+count-1 cut into contiguous slices, checked
 * on a pool of N worker threads, merged in index order (slice-result.ts), so the report
 * is the one a single thread gives for the same seed. Slices after a failing one are
 * not started: the merge would drop them anyway.
 */

export interface SlicedCheck {
  readonly first: number;
  readonly count: number;
  readonly seed: number;
  readonly profile: Profile;
  readonly settings: Partial<Settings>;
  readonly invariants: readonly Invariant[];
  readonly fleet: Fleet | null;
  readonly workers: number;
  readonly onProgress?: (runsDone: number) => void;
}

/** Several slices per worker, so one slow slice does not leave the other cores idle. */
const SLICES_PER_WORKER = 4;

/** Contiguous slices of first … first+count-1, in index order. */
export function planSlices(
  first: number,
  count: number,
  parts: number,
): { first: number; count: number }[] {
  const n = Math.max(1, Math.min(parts, count));
  const out: { first: number; count: number }[] = [];
  for (let k = 0; k < n; k++) {
    const a = first + Math.floor((count * k) / n);
    const b = first + Math.floor((count * (k + 1)) / n);
    if (b > a) out.push({ first: a, count: b - a });
  }
  return out;
}

export async function slicedCheck(options: SlicedCheck): Promise<PropertyCheckReport> {
  const started = performance.now();
  // `--runs 2 --workers 256` started 256 isolates (18 s, 2.7 GB).
  const threads = poolThreads(options.workers, options.count);
  const slices = planSlices(options.first, options.count, threads * SLICES_PER_WORKER);
  const filename = workerModule(import.meta.url, 'check');
  inlineLessForPool();
  const pool = new Tinypool({ filename, minThreads: threads, maxThreads: threads });
  const results: SliceResult[] = [];
  let lowestFailure = Number.POSITIVE_INFINITY;
  let next = 0;
  let done = 0;
  const task = (s: { first: number; count: number }): SliceTask => ({
    ...s,
    seed: options.seed,
    profile: options.profile,
    settings: options.settings,
    invariants: options.invariants.map((i) => i.id),
    fleet: options.fleet,
  });
  const lane = async () => {
    while (next < slices.length) {
      const s = slices[next++] as { first: number; count: number };
      if (s.first > lowestFailure) continue;
      const r = (await pool.run(task(s))) as SliceResult;
      results.push(r);
      done += r.done;
      options.onProgress?.(done);
      if (r.failure !== null) lowestFailure = Math.min(lowestFailure, r.first);
    }
  };
  try {
    await Promise.all(Array.from({ length: threads }, lane));
  } finally {
    await pool.destroy();
  }
  return mergeSlices(results, options.seed, (performance.now() - started) / 1000);
}
