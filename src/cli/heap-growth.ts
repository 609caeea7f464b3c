import { setFlagsFromString } from 'node:v8';

/*
 * V8 lets the old generation grow by a factor it picks from the mutator's speed, up to 4x
 * the live heap before the next full collection. A million-host run allocates fast while
 * its live heap is large, so most of its peak RSS was garbage not yet collected
 * (`run --hosts 1000000 --waves 4`: 2.74 GB max RSS, GB = 2^30 bytes; with growth held to
 * 1.5x: 1.88-1.95 GB in four runs, with no clear cost in time; `check` is unaffected, its
 * heap is small). The setting is process-wide and
 * so reaches worker threads. A growth the user gives node (`node --heap-growing-percent=N`;
 * NODE_OPTIONS does not take it) wins. V8 prints "unrecognized flag" for a flag it lacks:
 * Node 20's V8 has this one and V8's heap code still reads it (`heap-controller.cc`), but a
 * new Node major is worth a `node -e 0`-clean start-up check.
 */
const GROWTH_PERCENT = 50;

export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${GROWTH_PERCENT}`);
  return true;
}
