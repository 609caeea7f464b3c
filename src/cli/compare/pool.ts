import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RunMetrics } from '../../../sim/compare/metrics.ts';
import { runOne, type Scenario } from '../../../sim/compare/run-one.ts';
import type { Variant } from '../../../sim/compare/variant.ts';
import type { RunFlags } from '../run-options.ts';

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
  const url = workerUrl();
  await Promise.all(
    Array.from({ length: Math.min(workers, jobs.length) }, () => {
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

/**
 * The worker module: from source, worker-entry.mjs (it registers tsx, then loads
 * worker.ts); compiled, the worker esbuild wrote to dist/cli/compare/, found from
 * wherever the chunk holding this code landed in dist/.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('./worker-entry.mjs', here);
  for (const candidate of ['./cli/compare/worker.js', './compare/worker.js', './worker.js']) {
    const url = new URL(candidate, here);
    if (existsSync(url)) return url;
  }
  throw new Error('the compare worker is missing from dist/: rebuild with npm run build');
}
