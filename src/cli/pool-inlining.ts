import { setFlagsFromString } from 'node:v8';

/*
 * Each worker thread of a pool is its own V8 isolate and optimises the same hot functions
 * for itself, on V8's shared background threads. On one thread that compile runs beside
 * the JavaScript on a spare core; with a worker per core it takes CPU from the workers
 * (`perf` per thread, `check --runs 4000`: platform threads 3.4 s for one thread, 6.4 s
 * for two workers, nearly all TurboFan). Inlining less makes each optimised function
 * cheaper to compile: `check --runs 2000 --workers 2` 4.5 s -> 4.0 s here, the one-thread
 * run unchanged (4 interleaved rounds). Set before the pool starts, so every worker
 * compiles with it; process-wide, like every V8 flag. A value the user gives node wins.
 */
const CUMULATIVE_INLINED_BYTECODE = 230;

export function inlineLessForPool(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--max[-_]inlined[-_]bytecode[-_]size[-_]cumulative\b/.test(arg)))
    return false;
  setFlagsFromString(`--max-inlined-bytecode-size-cumulative=${CUMULATIVE_INLINED_BYTECODE}`);
  return true;
}
