import { availableParallelism } from 'node:os';
import { type Comparison, summarise } from '../../../sim/compare/comparison.ts';
import type { Variant } from '../../../sim/compare/variant.ts';
import { quote } from '../../../sim/quote.ts';
import { MAX_SIM_SEED } from '../../../sim/random.ts';
import { DEFAULT_SETTINGS, roundTripProblem } from '../../../sim/settings.ts';
import { MAX_WORKERS } from '../pool-threads.ts';
import { integer, type RunFlags, resolveFleetChoice, resolveRun } from '../run-options.ts';
import { InputError, UsageError } from '../usage-error.ts';
import { parseVariantFlag, VariantError } from './parse-variant.ts';
import { type Job, runJobs } from './pool.ts';
import { loadVariantsFile } from './variants-file.ts';

export interface CompareFlags extends RunFlags {
  readonly variant: readonly string[];
  readonly variants?: string;
  readonly runs: string;
  readonly workers?: string;
  readonly json: boolean;
}

function variantsOf(flags: CompareFlags): readonly Variant[] {
  if (flags.variants !== undefined && flags.variant.length > 0)
    throw new UsageError('choose one: --variant (repeatable) or --variants FILE');
  if (flags.variants !== undefined) {
    const loaded = loadVariantsFile(flags.variants);
    if (!loaded.ok) throw new InputError(loaded.error);
    return loaded.variants;
  }
  const variants = flags.variant.map((text) => {
    try {
      return parseVariantFlag(text);
    } catch (e) {
      if (e instanceof VariantError) throw new UsageError(`--variant ${e.message}`);
      throw e;
    }
  });
  if (variants.length < 2)
    throw new UsageError(`--variant: expected at least two variants, got ${variants.length}`);
  const names = new Set<string>();
  for (const v of variants) {
    if (names.has(v.name))
      throw new UsageError(`--variant: the name ${quote(v.name)} is used twice`);
    names.add(v.name);
  }
  return variants;
}

/**
 * Every run's metrics are kept until the end, for the bootstrap (1,000 resamples of each
 * metric per variant and paired difference), so the runs are bounded by memory and time
 * well before check's 10,000,000.
 */
const MAX_RUNS = 100_000;
/** As for check: more threads than this only queue. */

/**
 * `rollout-sim compare`: the scenario under every variant on the same seeds (seed,
 * seed+1, …), so variant and baseline of one seed meet the same faults; then per variant
 * and per paired difference the spread of each metric.
 */
export async function compareCommand(
  flags: CompareFlags,
  progress: ((done: number, total: number) => void) | null,
): Promise<Comparison> {
  const variants = variantsOf(flags);
  const setup = resolveRun(flags);
  // As `--set` is checked (`requireRoundTrip`): a timeout the wire cannot answer in time
  // resends every request forever, and the comparison never ends.
  for (const v of variants) {
    const problem = roundTripProblem(
      { ...DEFAULT_SETTINGS, ...setup.settings, ...v.settings },
      setup.fleet.faults.network.latency_ms[1],
    );
    if (problem === null) continue;
    if (flags.variants !== undefined)
      throw new InputError(`${flags.variants}: variants.${v.name}: ${problem}`);
    throw new UsageError(`--variant ${v.name}: ${problem}`);
  }
  const runs = integer('--runs', flags.runs, 1, MAX_RUNS);
  // Each seed must be one `run --seed` takes, or that run could not be reproduced.
  const last = setup.seed + runs - 1;
  if (last > MAX_SIM_SEED)
    throw new UsageError(
      `--seed ${setup.seed} with --runs ${runs}: the last run's seed would be ${last}, past the largest seed ${MAX_SIM_SEED} (lower --seed or --runs)`,
    );
  const workers =
    flags.workers === undefined
      ? Math.min(2, availableParallelism())
      : integer('--workers', flags.workers, 1, MAX_WORKERS);
  const seeds = Array.from({ length: runs }, (_, i) => setup.seed + i);
  const jobs: Job[] = variants.flatMap((_, variant) => seeds.map((seed) => ({ variant, seed })));
  const scenario = {
    fleet: setup.fleet,
    profile: setup.profile,
    settings: setup.settings,
    untilSeconds: setup.untilSeconds,
  };
  const results = await runJobs(flags, scenario, variants, jobs, workers, (done) =>
    progress?.(done, jobs.length),
  );
  const byVariant = variants.map((_, v) => results.slice(v * runs, (v + 1) * runs));
  const name = resolveFleetChoice(flags) ?? '--preset demo';
  return summarise(
    name,
    variants.map((v) => v.name),
    seeds,
    byVariant,
    setup.seed,
  );
}
