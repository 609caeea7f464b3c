import type { HostPolicy } from '../../../machines/host/state.ts';
import { pathsToCell, pathToState } from '../../paths/search.ts';
import type { AnyEvent, AnyRecord, MachineName } from './model.ts';

/*
 * A plan in the explorer: the shortest event sequence (from `paths`, so from xstate/graph)
 * from the record shown now to a chosen state or cell, applied one event at a time.
 */

export interface Plan {
  /** What the plan reaches: `Reverted` or `Soaking × LocalConvergedReached`. */
  readonly target: string;
  /** The events still to apply, next first. */
  readonly events: readonly AnyEvent[];
  /** False when no sequence of events reaches the target from here. */
  readonly found: boolean;
}

export function planToState(
  machine: MachineName,
  policy: HostPolicy,
  start: AnyRecord,
  state: string,
): Plan {
  const found = pathToState({ machine, policy, start }, state);
  return { target: state, events: found?.events ?? [], found: found !== null };
}

/** The first branch `paths --cell` finds for the cell: the plain one. */
export function planToCell(
  machine: MachineName,
  policy: HostPolicy,
  start: AnyRecord,
  state: string,
  eventType: string,
): Plan {
  const [first] = pathsToCell({ machine, policy, start }, state, eventType);
  return {
    target: `${state} × ${eventType}`,
    events: first?.events ?? [],
    found: first !== undefined,
  };
}
