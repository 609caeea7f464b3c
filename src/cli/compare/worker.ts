import { parentPort, workerData } from 'node:worker_threads';
import { runOne } from '../../../sim/compare/run-one.ts';
import type { Variant } from '../../../sim/compare/variant.ts';
import { type RunFlags, resolveRun } from '../run-options.ts';

/*
 * A compare worker: resolves the scenario from the same flags the parent parsed, then
 * runs whatever (variant, seed) jobs it is sent and posts each result back with its
 * index. Results depend only on the job, so any number of workers gives the same table.
 */

const { flags, variants } = workerData as { flags: RunFlags; variants: Variant[] };
const setup = resolveRun(flags);
const scenario = {
  fleet: setup.fleet,
  profile: setup.profile,
  settings: setup.settings,
  untilSeconds: setup.untilSeconds,
};

parentPort?.on('message', (job: { index: number; variant: number; seed: number } | null) => {
  if (job === null) {
    parentPort?.close();
    return;
  }
  const metrics = runOne(scenario, variants[job.variant] as Variant, job.seed);
  parentPort?.postMessage({ index: job.index, metrics });
});
