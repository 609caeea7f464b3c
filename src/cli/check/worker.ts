import { type Case, propertyCheck } from '../../../sim/check/property-check.ts';
import type { Fleet } from '../../../sim/fleet/fleet.ts';
import { invariantById } from '../../../sim/invariants/index.ts';
import type { Invariant } from '../../../sim/invariants/invariant.ts';
import type { Profile } from '../../../sim/profile.ts';
import type { Settings } from '../../../sim/settings.ts';
import { type SliceResult, toSlice } from './slice-result.ts';

/*
 * A check worker thread (tinypool): checks one slice of runs. fast-check's `path`
 * "first" starts the run stream at run index `first`, so the slice sees exactly the
 * cases a single-thread run gives those indices, and reports failure paths in the same
 * absolute numbering.
 */

export interface SliceTask {
  readonly first: number;
  readonly count: number;
  readonly seed: number;
  readonly profile: Profile;
  readonly settings: Partial<Settings>;
  readonly invariants: readonly string[];
  readonly fleet: Fleet | null;
}

export function checkSlice(task: SliceTask): SliceResult {
  const invariants = task.invariants.map((id) => invariantById(id) as Invariant);
  const report = propertyCheck({
    runs: task.count,
    seed: task.seed,
    path: String(task.first),
    profile: task.profile,
    settings: task.settings,
    invariants,
    ...(task.fleet === null ? {} : { fleet: task.fleet }),
  });
  return toSlice(task.first, task.count, report);
}

export type { Case };
export default checkSlice;
