import { MACHINES } from '../../machines/catalog.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { quote } from '../../sim/quote.ts';
import type { JsonValue } from '../codec/codec.ts';
import { hostStepInput, rolloutStepInput } from '../codec/index.ts';
import {
  allPathsToState,
  type Found,
  type MachineName,
  type PathQuery,
  pathsToCell,
  pathToState,
  replay,
  startRecord,
} from '../paths/search.ts';
import { UsageError } from './usage-error.ts';

/*
 * `rollout-sim paths`: the event sequences that reach a state or a table cell, printed as
 * `rollout-sim step` input lines. Each line carries the record the previous line's step
 * returned, so the output pipes into `step` and its last answer is the target.
 */

export interface PathsOptions {
  readonly to?: string;
  readonly cell?: string;
  readonly from?: string;
  readonly all: boolean;
  readonly policy: HostPolicy['onHealthFailure'];
  readonly json: boolean;
}

/** How many simple paths `--all` prints at most: the host graph has thousands. */
export const ALL_LIMIT = 20;

function checkState(machine: MachineName, state: string, flag: string): void {
  const states = MACHINES[machine].states;
  if (!states.includes(state)) {
    throw new UsageError(
      `${flag}: unknown ${machine} state ${quote(state)} (one of ${states.join(', ')})`,
    );
  }
}

function parseCell(machine: MachineName, cell: string): { state: string; event: string } {
  const [state, event, ...rest] = cell.split(':');
  if (
    state === undefined ||
    event === undefined ||
    rest.length > 0 ||
    state === '' ||
    event === ''
  ) {
    throw new UsageError(`--cell: expected STATE:EVENT, got ${quote(cell)}`);
  }
  checkState(machine, state, '--cell');
  const events = MACHINES[machine].events;
  if (!events.includes(event)) {
    throw new UsageError(
      `--cell: unknown ${machine} event ${quote(event)} (one of ${events.join(', ')})`,
    );
  }
  return { state, event };
}

/** One step input line in the wire form of DESIGN §3. */
function stepLine(
  q: PathQuery,
  record: RolloutRecord | HostRecord,
  event: RolloutEvent | HostEvent,
): JsonValue {
  return q.machine === 'rollout'
    ? rolloutStepInput.encode({ record: record as RolloutRecord, event: event as RolloutEvent })
    : hostStepInput.encode({
        host: record as HostRecord,
        event: event as HostEvent,
        policy: q.policy,
      });
}

function find(machine: MachineName, o: PathsOptions, q: PathQuery): Found[] {
  if (o.from !== undefined) checkState(machine, o.from, '--from');
  if (o.cell !== undefined && o.to !== undefined) {
    throw new UsageError('--to and --cell ask for different things: give one');
  }
  if (o.cell !== undefined) {
    if (o.all) throw new UsageError('--all goes with --to, not --cell');
    const { state, event } = parseCell(machine, o.cell);
    return pathsToCell(q, state, event);
  }
  if (o.to === undefined) throw new UsageError('give --to STATE or --cell STATE:EVENT');
  checkState(machine, o.to, '--to');
  if (o.all) return allPathsToState(q, o.to, ALL_LIMIT);
  const one = pathToState(q, o.to);
  return one === null ? [] : [one];
}

/** The lines `paths` prints, and whether anything was found. */
export function pathsOutput(
  machine: MachineName,
  o: PathsOptions,
): {
  readonly lines: readonly string[];
  readonly found: boolean;
} {
  const q: PathQuery = {
    machine,
    policy: { onHealthFailure: o.policy },
    ...(o.from === undefined ? {} : { from: o.from }),
  };
  const found = find(machine, o, q);
  const start = startRecord(q);
  if (start === null || found.length === 0) return { lines: [], found: false };
  const rendered = found.map((f) => ({
    label: f.label,
    steps: replay(q, start, f.events).map((l) => stepLine(q, l.before, l.event)),
  }));
  if (o.json) {
    return {
      lines: [JSON.stringify(rendered.map((r) => ({ label: r.label, steps: r.steps })))],
      found: true,
    };
  }
  // Paths follow each other with no separator, since `step` answers every line (a blank
  // one too); each path starts again from the start record, and `--json` names them.
  const lines = rendered.flatMap((r) => r.steps.map((s) => JSON.stringify(s)));
  return { lines, found: true };
}
