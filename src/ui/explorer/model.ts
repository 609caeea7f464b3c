import { MACHINES } from '../../../machines/catalog.ts';
import type { HostEffect } from '../../../machines/host/effect.ts';
import type { HostTransitionError } from '../../../machines/host/error.ts';
import type { HostEvent, HostEventType } from '../../../machines/host/event.ts';
import { type HostPolicy, type HostRecord, newPendingHost } from '../../../machines/host/state.ts';
import { hostStep } from '../../../machines/host/step.ts';
import type { RolloutEffect } from '../../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../../machines/rollout/error.ts';
import type { RolloutEvent, RolloutEventType } from '../../../machines/rollout/event.ts';
import { openRolloutRecord, type RolloutRecord } from '../../../machines/rollout/state.ts';
import { rolloutStep } from '../../../machines/rollout/step.ts';
import { RUN_START } from '../../../sim/world.ts';
import { DEMO_HOST, hostEventOf, rolloutEventOf } from './events.ts';

/*
 * The machine explorer's state, as plain data: the record the machine is in, the
 * explorer's clock, the steps taken (for undo), and the states and transitions seen.
 * Every answer — what an event would do, what applying it gives — comes from calling
 * the machine's step function (`rolloutStep`, `hostStep`); nothing here knows the
 * transition table.
 */

export type MachineName = 'rollout' | 'host';
export type AnyRecord = RolloutRecord | HostRecord;
export type AnyEvent = RolloutEvent | HostEvent;
export type AnyEffect = RolloutEffect | HostEffect;
export type AnyError = RolloutTransitionError | HostTransitionError;

export type OutcomeKind =
  | 'transition'
  | 'self'
  | 'no-op'
  | 'illegal'
  | 'unimplemented'
  | 'seq regression'
  | 'invariant'
  | 'refused';

export interface Outcome {
  readonly kind: OutcomeKind;
  readonly from: string;
  /** The state after the step (the same state when refused). */
  readonly to: string;
  readonly record: AnyRecord;
  readonly effects: readonly AnyEffect[];
  readonly error: AnyError | null;
}

export interface Step {
  readonly event: AnyEvent;
  readonly before: AnyRecord;
  readonly clockBefore: number;
  readonly outcome: Outcome;
}

export interface ExplorerState {
  readonly machine: MachineName;
  readonly record: AnyRecord;
  readonly policy: HostPolicy;
  /** "Now" for the next event's timestamps; each applied step moves it a minute on. */
  readonly clock: number;
  readonly history: readonly Step[];
  /** States reached in this session (undo does not forget them). */
  readonly visited: readonly string[];
  /** `from>to` of the transitions taken in this session. */
  readonly taken: readonly string[];
}

export const CLOCK_STEP_MS = 60_000;

export function initialRecord(machine: MachineName): AnyRecord {
  return machine === 'rollout'
    ? openRolloutRecord('stable', 'v1', RUN_START)
    : newPendingHost(
        'stable@v1',
        DEMO_HOST,
        'stable',
        `v1-${DEMO_HOST}`,
        RUN_START,
        RUN_START + 5 * 60_000,
      );
}

export function initialExplorer(
  machine: MachineName,
  policy: HostPolicy = { onHealthFailure: 'rollback-and-halt' },
): ExplorerState {
  const record = initialRecord(machine);
  return {
    machine,
    record,
    policy,
    clock: RUN_START,
    history: [],
    visited: [record.state],
    taken: [],
  };
}

export function eventTypes(machine: MachineName): readonly string[] {
  return MACHINES[machine].events;
}

export function defaultEvent(s: ExplorerState, type: string): AnyEvent {
  return s.machine === 'rollout'
    ? rolloutEventOf(type as RolloutEventType, s.record as RolloutRecord, s.clock)
    : hostEventOf(type as HostEventType, s.record as HostRecord, s.policy, s.clock);
}

const ERROR_KIND: Readonly<Record<string, OutcomeKind>> = {
  IllegalForState: 'illegal',
  Unimplemented: 'unimplemented',
  SeqRegression: 'seq regression',
  Invariant: 'invariant',
};

/** Whether two records differ in anything but the seq stamp every accepted host event leaves. */
function changed(a: AnyRecord, b: AnyRecord): boolean {
  const strip = (r: AnyRecord) => JSON.stringify({ ...r, lastEventSeq: undefined });
  return strip(a) !== strip(b);
}

/** What `event` does to the current record, asked of the machine. */
export function outcomeOf(s: ExplorerState, event: AnyEvent): Outcome {
  const result =
    s.machine === 'rollout'
      ? rolloutStep(s.record as RolloutRecord, event as RolloutEvent)
      : hostStep(s.record as HostRecord, event as HostEvent, s.policy);
  const from = s.record.state;
  if (!result.ok) {
    return {
      kind: ERROR_KIND[result.error.type] ?? 'refused',
      from,
      to: from,
      record: s.record,
      effects: [],
      error: result.error,
    };
  }
  const to = result.record.state;
  const kind: OutcomeKind =
    to !== from
      ? 'transition'
      : result.effects.length > 0 || changed(s.record, result.record)
        ? 'self'
        : 'no-op';
  return { kind, from, to, record: result.record, effects: result.effects, error: null };
}

/** Apply an event: the machine's answer becomes the new record (a refusal leaves it), and the step is kept for undo. */
export function applyEvent(s: ExplorerState, event: AnyEvent): ExplorerState {
  const outcome = outcomeOf(s, event);
  const edge = `${outcome.from}>${outcome.to}`;
  return {
    ...s,
    record: outcome.record,
    clock: s.clock + CLOCK_STEP_MS,
    history: [...s.history, { event, before: s.record, clockBefore: s.clock, outcome }],
    visited: s.visited.includes(outcome.to) ? s.visited : [...s.visited, outcome.to],
    taken: outcome.kind !== 'transition' || s.taken.includes(edge) ? s.taken : [...s.taken, edge],
  };
}

export function undo(s: ExplorerState): ExplorerState {
  const last = s.history.at(-1);
  if (last === undefined) return s;
  return { ...s, record: last.before, clock: last.clockBefore, history: s.history.slice(0, -1) };
}

export function togglePolicy(s: ExplorerState): ExplorerState {
  return {
    ...s,
    policy: { onHealthFailure: s.policy.onHealthFailure === 'halt' ? 'rollback-and-halt' : 'halt' },
  };
}

/** Back to the initial record; what this session has reached stays marked. */
export function reset(s: ExplorerState): ExplorerState {
  return { ...initialExplorer(s.machine, s.policy), visited: s.visited, taken: s.taken };
}
