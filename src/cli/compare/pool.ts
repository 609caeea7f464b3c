import { Worker } from 'node:worker_threads';
import type { RunMetrics } from '../../../sim/compare/metrics.ts';
import { runOne, type Scenario } from '../../../sim/compare/run-one.ts';
import type { Variant } from '../../../sim/compare/variant.ts';
import { poolThreads } from '../pool-threads.ts';
import type { RunFlags } from '../run-options.ts';
import { inlineLessForPool } from '../v8-defaults.ts';
import { workerModule } from '../worker-module.ts';

export interface Job {
  readonly variant: number;
  readonly seed: number;
}

/**
 * Runs the jobs on `workers` worker threads (1: in this thread), handing the next job to
 * whichever worker is free, and returns the results in job order.
 */
export async function runJobs(
  flags: RunFlags,
  scenario: Scenario,
  variants: readonly Variant[],
  jobs: readonly Job[],
  workers: number,
  onDone: (done: number) => void,
): Promise<RunMetrics[]> {
  const results: RunMetrics[] = new Array(jobs.length);
  if (workers <= 1) {
    jobs.forEach((j, i) => {
      results[i] = runOne(scenario, variants[j.variant] as Variant, j.seed);
      onDone(i + 1);
    });
    return results;
  }
  let next = 0;
  let done = 0;
  const url = workerModule(import.meta.url, 'compare');
  inlineLessForPool();
  await Promise.all(
    Array.from({ length: poolThreads(workers, jobs.length) }, () => {
      const worker = new Worker(url, { workerData: { flags, variants } });
      const feed = () => {
        if (next >= jobs.length) {
          worker.postMessage(null);
          return;
        }
        const index = next++;
        worker.postMessage({ index, ...(jobs[index] as Job) });
      };
      return new Promise<void>((resolve, reject) => {
        worker.on('message', (m: { index: number; metrics: RunMetrics }) => {
          results[m.index] = m.metrics;
          onDone(++done);
          feed();
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve());
        feed();
      });
    }),
  );
  return results;
}
