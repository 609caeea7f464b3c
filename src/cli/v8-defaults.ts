import { setFlagsFromString } from 'node:v8';

/*
 * V8 settings the CLI picks for its workloads. Each is process-wide (so it reaches worker
 * threads) and gives way to the same flag given to node (`node --flag=N bin/rollout-sim.js`;
 * NODE_OPTIONS does not take these), in either spelling. V8 prints "unrecognized flag"
 * for a flag it lacks: Node 20's V8 has both and current V8 source still reads them, but
 * a new Node major is worth a start-up check for a clean stderr.
 */

/** Sets `--name=value` unless node was started with that flag; whether it was set. */
export function setUnlessGiven(
  name: string,
  value: number,
  execArgv: readonly string[] = process.execArgv,
): boolean {
  const spelling = new RegExp(`^--${name.replace(/-/g, '[-_]')}(=|$)`);
  if (execArgv.some((arg) => spelling.test(arg))) return false;
  setFlagsFromString(`--${name}=${value}`);
  return true;
}

/**
 * At start-up, for every command. V8 lets the old generation grow by a factor it picks
 * from the mutator's speed, up to 4x the live heap before the next full collection. A
 * million-host run allocates fast while its live heap is large, so most of its peak RSS
 * was garbage not yet collected (`run --hosts 1000000 --waves 4`: 2.74 GB max RSS, GB =
 * 2^30 bytes; with growth held to 1.5x: 1.88-1.95 GB in four runs, with no clear cost in
 * time; `check` is unaffected, its heap is small).
 */
export const limitHeapGrowth = (execArgv?: readonly string[]) =>
  setUnlessGiven('heap-growing-percent', 50, execArgv);

/**
 * When a worker pool starts (check, explore, compare). Each worker is its own isolate and
 * optimises the same hot functions for itself, on V8's shared background threads. On one
 * thread that compile runs beside the JavaScript on a spare core; with a worker per core it
 * takes CPU from the workers (`perf` per thread, `check --runs 4000`: platform threads
 * 3.4 s for one thread, 6.4 s for two workers, nearly all TurboFan). Inlining less makes
 * each optimised function cheaper to compile: `check --runs 2000 --workers 2` 4.7-5.1 s ->
 * 4.1-4.8 s here, a one-thread run no faster or slower (interleaved rounds), so only the
 * pool sets it. Set before the workers start, so each compiles with it.
 */
export const inlineLessForPool = (execArgv?: readonly string[]) =>
  setUnlessGiven('max-inlined-bytecode-size-cumulative', 230, execArgv);
