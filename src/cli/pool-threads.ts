import { availableParallelism } from 'node:os';

/** The largest `--workers` check, explore and compare take. */
export const MAX_WORKERS = 256;

/*
 * How many threads a pool starts for `--workers requested` and `work` independent pieces:
 * never more than the pieces, nor than the cores. The work is CPU-bound, so a thread past
 * the cores only adds an isolate (~12 MB and a start-up each): `explore --hosts 2
 * --workers 256` on two cores took 27 s and 3.3 GB. Results do not depend on the count.
 */
export function poolThreads(requested: number, work: number): number {
  return Math.max(1, Math.min(requested, work, availableParallelism()));
}
