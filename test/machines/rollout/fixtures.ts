/*
 * Shared fixtures for the rollout-machine tests: the upstream fixture time and record
 * (spec §5.2), event builders for the eight `RolloutEvent` variants, and a helper that
 * runs one step through both the compiled path and XState's own `transition()`.
 */
import { expect } from 'vitest';
import type { HostState } from '../../../machines/host/state.ts';
import type { RolloutEvent } from '../../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  type RolloutRecord,
  type RolloutState,
} from '../../../machines/rollout/state.ts';
import {
  type RolloutStepResult,
  rolloutStep,
  rolloutStepViaXState,
} from '../../../machines/rollout/step.ts';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Upstream fixture time, spec §5.2: 2026-05-16T01:00Z. */
export const T0 = Date.parse('2026-05-16T01:00:00Z');

/** Record `r1 / stable / ref-1`, spec §5.1/§5.2. */
export const R1_ID = 'stable@ref-1';
export const R2_ID = 'stable@ref-2';
export const R3_ID = 'stable@ref-3';
/** An id that names some other rollout: the reducer must not care (spec §1.3, §6 item 19). */
export const FOREIGN_ID = 'edge@ref-9';
export const FOREIGN_SUCCESSOR_ID = 'edge@ref-10';

/** The eight rollout states, in the order of the spec §1.4 table (written out, not imported). */
export const STATES = [
  'Opening',
  'Active',
  'Converging',
  'Terminal',
  'Reverted',
  'Failed',
  'Superseded',
  'Pruned',
] as const satisfies readonly RolloutState[];

/** The eight event variants, in the column order of the spec §1.4 table. */
export const EVENT_TYPES = [
  'RolloutOpened',
  'HostJoined',
  'HostStateChanged',
  'WaveAdvanced',
  'RolloutTerminal',
  'SuccessorOpened',
  'RetentionExpired',
  'OperatorClearance',
] as const satisfies readonly RolloutEvent['type'][];

/** The seven host states, spec §1.3 / §3.1, including `Deferred`. */
export const HOST_STATES = [
  'Pending',
  'Activating',
  'Deferred',
  'Soaking',
  'Converged',
  'Failed',
  'Reverted',
] as const satisfies readonly HostState[];

/** The fresh `Opening` row r1 / stable / ref-1 at t0, wave 0. */
export function r1(): RolloutRecord {
  return openRolloutRecord('stable', 'ref-1', T0);
}

/** r1 placed in `state` with optional field overrides (as upstream unit tests build records). */
export function r1In(state: RolloutState, patch: Partial<RolloutRecord> = {}): RolloutRecord {
  return { ...r1(), state, ...patch };
}

/** Event builders. `id` defaults to r1's id; `at` is always explicit. */
export const ev = {
  opened: (at: number, id = R1_ID, targetRef = 'ref-1'): RolloutEvent => ({
    type: 'RolloutOpened',
    rolloutId: id,
    channel: 'stable',
    targetRef,
    at,
  }),
  joined: (at: number, wave: number, hostId = 'h1', id = R1_ID): RolloutEvent => ({
    type: 'HostJoined',
    rolloutId: id,
    hostId,
    wave,
    at,
  }),
  hostChanged: (
    at: number,
    from: HostState,
    to: HostState,
    hostId = 'h1',
    id = R1_ID,
  ): RolloutEvent => ({
    type: 'HostStateChanged',
    rolloutId: id,
    hostId,
    from,
    to,
    at,
  }),
  waveAdvanced: (at: number, fromWave: number, toWave: number, id = R1_ID): RolloutEvent => ({
    type: 'WaveAdvanced',
    rolloutId: id,
    fromWave,
    toWave,
    at,
  }),
  terminal: (at: number, id = R1_ID): RolloutEvent => ({
    type: 'RolloutTerminal',
    rolloutId: id,
    at,
  }),
  successor: (at: number, superseded = R1_ID, successor = R2_ID): RolloutEvent => ({
    type: 'SuccessorOpened',
    supersededRolloutId: superseded,
    successorRolloutId: successor,
    at,
  }),
  retention: (at: number, id = R1_ID): RolloutEvent => ({
    type: 'RetentionExpired',
    rolloutId: id,
    at,
  }),
  clearance: (at: number, id = R1_ID): RolloutEvent => ({
    type: 'OperatorClearance',
    rolloutId: id,
    operator: 'alice',
    reason: 'manual override',
    at,
  }),
};

/** The same event, but naming some other rollout in every id field it has. */
export function withForeignIds(event: RolloutEvent): RolloutEvent {
  if (event.type === 'SuccessorOpened') {
    return { ...event, supersededRolloutId: FOREIGN_ID, successorRolloutId: FOREIGN_SUCCESSOR_ID };
  }
  return { ...event, rolloutId: FOREIGN_ID };
}

/** Freeze a value and everything it holds, so a mutating step would throw. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * One step through both paths, on frozen inputs. Asserts the two answers are identical
 * and that the input record was not modified, then returns the answer.
 */
export function stepBoth(record: RolloutRecord, event: RolloutEvent): RolloutStepResult {
  const before = structuredClone(record);
  const frozenRecord = deepFreeze(structuredClone(record));
  const frozenEvent = deepFreeze(structuredClone(event));
  const fast = rolloutStep(frozenRecord, frozenEvent);
  const viaXState = rolloutStepViaXState(frozenRecord, frozenEvent);
  expect(viaXState, 'rolloutStepViaXState must equal rolloutStep').toStrictEqual(fast);
  expect(record, 'the input record is never modified').toStrictEqual(before);
  return fast;
}

/** Step expecting success; fails the test with the error otherwise. */
export function stepOk(
  record: RolloutRecord,
  event: RolloutEvent,
): Extract<RolloutStepResult, { ok: true }> {
  const result = stepBoth(record, event);
  if (!result.ok) {
    throw new Error(
      `expected ${record.state} × ${event.type} to succeed, got ${JSON.stringify(result.error)}`,
    );
  }
  return result;
}

/** Step expecting an error; fails the test with the record otherwise. */
export function stepErr(
  record: RolloutRecord,
  event: RolloutEvent,
): Extract<RolloutStepResult, { ok: false }> {
  const result = stepBoth(record, event);
  if (result.ok) {
    throw new Error(
      `expected ${record.state} × ${event.type} to fail, got state ${result.record.state}`,
    );
  }
  return result;
}
