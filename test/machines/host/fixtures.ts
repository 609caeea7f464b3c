import { expect } from 'vitest';
import type { HostEvent, HostEventOf, HostEventType } from '../../../machines/host/event.ts';
import type {
  HostPolicy,
  HostRecord,
  HostState,
  OnHealthFailure,
} from '../../../machines/host/state.ts';
import { newPendingHost } from '../../../machines/host/state.ts';
import { type HostStepResult, hostStep, hostStepViaXState } from '../../../machines/host/step.ts';
import { specStep } from '../../../sim/spec-model/host.ts';

/*
 * Records and events for the host tests. Records for each state are written out by hand
 * (never produced by the machine), with a distinct timestamp per field so a value written
 * into the wrong field shows.
 */

export const SEC = 1000;
export const MIN = 60 * SEC;
export const T0 = Date.parse('2026-05-16T01:00:00Z');

export const RID = 'stable@r1';
export const HOST = 'h1';
export const CHANNEL = 'stable';
export const TARGET = 'target-abc';
export const PRIOR = 'prior-closure';
export const SOAK_DUE = T0 + 5 * MIN;

export const HALT: HostPolicy = { onHealthFailure: 'halt' };
export const ROLLBACK: HostPolicy = { onHealthFailure: 'rollback-and-halt' };
export const POLICIES: readonly HostPolicy[] = [HALT, ROLLBACK];
export const policy = (p: OnHealthFailure): HostPolicy => ({ onHealthFailure: p });

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function pendingRecord(overrides: Partial<HostRecord> = {}): HostRecord {
  return deepFreeze({ ...newPendingHost(RID, HOST, CHANNEL, TARGET, T0, SOAK_DUE), ...overrides });
}

/** A plausible record in each state, built by hand. */
export function recordIn(state: HostState, overrides: Partial<HostRecord> = {}): HostRecord {
  const pending = newPendingHost(RID, HOST, CHANNEL, TARGET, T0, SOAK_DUE);
  const activating: HostRecord = {
    ...pending,
    state: 'Activating',
    currentClosureAtDispatch: PRIOR,
    dispatchAckedAt: T0 + 1 * SEC,
    lastEventSeq: 1,
  };
  const deferred: HostRecord = {
    ...activating,
    state: 'Deferred',
    activationStartedAt: T0 + 2 * SEC,
    lastEventSeq: 3,
  };
  const soaking: HostRecord = {
    ...activating,
    state: 'Soaking',
    activationStartedAt: T0 + 2 * SEC,
    activationCompletedAt: T0 + 5 * SEC,
    currentClosure: TARGET,
    probes: {
      'nginx-version': {
        status: 'pass',
        mode: 'enforce',
        lastObservedAt: T0 + 20 * SEC,
        lastPassAt: T0 + 20 * SEC,
        failureReason: null,
      },
      'evidence-nis2': {
        status: 'fail',
        mode: 'observe',
        lastObservedAt: T0 + 21 * SEC,
        lastPassAt: null,
        failureReason: 'control missing',
      },
      legacy: {
        status: 'fail',
        mode: 'disabled',
        lastObservedAt: T0 + 22 * SEC,
        lastPassAt: T0 + 12 * SEC,
        failureReason: 'stale',
      },
    },
    lastEventSeq: 7,
  };
  const converged: HostRecord = {
    ...soaking,
    state: 'Converged',
    probeObservedFirstAt: T0 + 11 * SEC,
    convergedAt: T0 + 6 * MIN,
    lastEventSeq: 9,
  };
  const failed: HostRecord = {
    ...soaking,
    state: 'Failed',
    probes: {
      'nginx-version': {
        status: 'fail',
        mode: 'enforce',
        lastObservedAt: T0 + 120 * SEC,
        lastPassAt: T0 + 20 * SEC,
        failureReason: 'HTTP 503',
      },
    },
    probeObservedFirstAt: T0 + 11 * SEC,
    probeFailureFirstAt: T0 + 30 * SEC,
    failedAt: T0 + 150 * SEC,
    policyApplied: 'rollback-and-halt',
    lastEventSeq: 12,
  };
  const reverted: HostRecord = {
    ...failed,
    state: 'Reverted',
    revertedAt: T0 + 160 * SEC,
    revertedTo: PRIOR,
    currentClosure: PRIOR,
    lastEventSeq: 13,
  };
  const by: Record<HostState, HostRecord> = {
    Pending: pending,
    Activating: activating,
    Deferred: deferred,
    Soaking: soaking,
    Converged: converged,
    Failed: failed,
    Reverted: reverted,
  };
  return deepFreeze({ ...by[state], ...overrides });
}

/** A canonical event of each type, with a distinct timestamp per kind of field. */
export function eventOf<T extends HostEventType>(
  type: T,
  seq: number,
  overrides: Partial<Omit<HostEventOf<T>, 'type'>> = {},
): HostEventOf<T> {
  const base = ((): Record<string, unknown> => {
    switch (type as HostEventType) {
      case 'LocalActivate':
        return {
          currentClosureAtDispatch: PRIOR,
          targetClosure: 'ignored-event-target',
          receivedAt: T0 + 1 * SEC,
          soakDueAt: T0 + 99 * MIN,
        };
      case 'RemoteDispatchAck':
        return { currentClosureAtDispatch: PRIOR, receivedAt: T0 + 1 * SEC };
      case 'LocalActivationStarted':
      case 'RemoteActivationStarted':
        return { startedAt: T0 + 2 * SEC, switchMethod: 'switch' };
      case 'LocalActivationCompleted':
      case 'RemoteActivationCompleted':
        return { observedCurrentClosure: TARGET, exitCode: 0, completedAt: T0 + 5 * SEC };
      case 'LocalActivationDeferred':
      case 'RemoteActivationDeferred':
        return { component: 'systemd', deferredAt: T0 + 3 * SEC };
      case 'LocalActivationFailed':
      case 'RemoteActivationFailed':
        return { exitCode: 1, stderrTail: 'error: switch failed', failedAt: T0 + 4 * SEC };
      case 'LocalProbeTopologyDeclared':
      case 'RemoteProbeTopologyDeclared':
        return {
          probes: [
            { probeName: 'nginx-version', kind: 'http', mode: 'enforce' },
            { probeName: 'evidence-nis2', kind: 'evidence', mode: 'observe' },
            { probeName: 'legacy', kind: 'exec', mode: 'disabled' },
          ],
          declaredAt: T0 + 7 * SEC,
        };
      case 'LocalProbeObservedFirst':
      case 'RemoteProbeObservedFirst':
        return { probeName: 'nginx-version', mode: 'enforce', observedAt: T0 + 8 * SEC };
      case 'LocalProbeResult':
      case 'RemoteProbeResult':
        return {
          probeName: 'nginx-version',
          mode: 'enforce',
          status: 'fail',
          observedAt: T0 + 9 * SEC,
          failureReason: 'HTTP 503',
          subResults: null,
        };
      case 'LocalProbeFailureFirst':
      case 'RemoteProbeFailureFirst':
        return { probeName: 'nginx-version', mode: 'enforce', firstFailedAt: T0 + 10 * SEC };
      case 'LocalSustainedFailureCrossed':
      case 'RemoteFailed':
        return {
          failedAt: T0 + 125 * SEC,
          sustainedDurationSecs: 120,
          failingProbes: ['nginx-version'],
          policyApplied: 'rollback-and-halt',
        };
      case 'LocalRollbackCompleted':
      case 'RemoteRollbackComplete':
        return { revertedToClosure: PRIOR, exitCode: 0, completedAt: T0 + 135 * SEC };
      case 'LocalConvergedReached':
      case 'RemoteConverged':
        return { convergedAt: T0 + 6 * MIN, currentClosure: TARGET };
    }
  })();
  return deepFreeze({ type, ...base, ...overrides, seq }) as unknown as HostEventOf<T>;
}

/**
 * One step through both paths of the machine; asserts they agree with each other and that
 * neither mutated its inputs (they are deep-frozen), and returns the fast path's answer.
 */
export function stepBoth(record: HostRecord, event: HostEvent, p: HostPolicy): HostStepResult {
  const before = structuredClone(record);
  const fast = hostStep(record, event, p);
  const slow = hostStepViaXState(record, event, p);
  expect(slow).toStrictEqual(fast);
  expect(record).toEqual(before);
  return fast;
}

/** `stepBoth`, also asserting the machine equals the spec model. */
export function stepChecked(record: HostRecord, event: HostEvent, p: HostPolicy): HostStepResult {
  const got = stepBoth(record, event, p);
  expect(got).toStrictEqual(specStep(record, event, p));
  return got;
}

export function ok(result: HostStepResult) {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result;
}

export function err(result: HostStepResult) {
  if (result.ok) throw new Error(`expected an error, got state ${result.record.state}`);
  return result.error;
}
