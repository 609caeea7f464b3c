import type { HostEvent, HostEventType } from '../../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../../machines/host/state.ts';
import type { RolloutEvent, RolloutEventType } from '../../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../../machines/rollout/state.ts';

/*
 * A representative event of each type, built from the record the machine is in now:
 * the fields a designer would most likely mean (the next seq, the host's own target
 * closure, the next wave, "now" on the explorer's clock). They are only a starting
 * point — every field that matters can be edited (fields.ts) — and what each event
 * does is always asked of the machine itself, never looked up here.
 */

export const DEMO_HOST = 'web-01';
export const PRIOR_CLOSURE = 'v0-web-01';

export function rolloutEventOf(
  type: RolloutEventType,
  r: RolloutRecord,
  now: number,
): RolloutEvent {
  const rolloutId = r.rolloutId;
  switch (type) {
    case 'RolloutOpened':
      return { type, rolloutId, channel: r.channel, targetRef: r.targetRef, at: now };
    case 'HostJoined':
      return { type, rolloutId, hostId: DEMO_HOST, wave: r.currentWave, at: now };
    case 'HostStateChanged':
      return { type, rolloutId, hostId: DEMO_HOST, from: 'Soaking', to: 'Converged', at: now };
    case 'WaveAdvanced':
      return { type, rolloutId, fromWave: r.currentWave, toWave: r.currentWave + 1, at: now };
    case 'RolloutTerminal':
      return { type, rolloutId, at: now };
    case 'SuccessorOpened':
      return {
        type,
        supersededRolloutId: rolloutId,
        successorRolloutId: `${r.channel}@v2`,
        at: now,
      };
    case 'RetentionExpired':
      return { type, rolloutId, at: now };
    case 'OperatorClearance':
      return { type, rolloutId, operator: 'alice', reason: 'manual clearance', at: now };
  }
}

export function hostEventOf(
  type: HostEventType,
  h: HostRecord,
  policy: HostPolicy,
  now: number,
): HostEvent {
  const seq = h.lastEventSeq + 1;
  const prior = h.currentClosureAtDispatch ?? PRIOR_CLOSURE;
  switch (type) {
    case 'LocalActivate':
      return {
        type,
        seq,
        targetClosure: h.targetClosure,
        soakDueAt: h.soakDueAt ?? now + 300_000,
        currentClosureAtDispatch: prior,
        receivedAt: now,
      };
    case 'RemoteDispatchAck':
      return { type, seq, currentClosureAtDispatch: prior, receivedAt: now };
    case 'LocalActivationStarted':
    case 'RemoteActivationStarted':
      return { type, seq, startedAt: now, switchMethod: 'switch' };
    case 'LocalActivationCompleted':
    case 'RemoteActivationCompleted':
      return { type, seq, observedCurrentClosure: h.targetClosure, exitCode: 0, completedAt: now };
    case 'LocalActivationDeferred':
    case 'RemoteActivationDeferred':
      return { type, seq, component: 'kernel', deferredAt: now };
    case 'LocalActivationFailed':
    case 'RemoteActivationFailed':
      return {
        type,
        seq,
        exitCode: 1,
        stderrTail: 'switch-to-configuration failed',
        failedAt: now,
      };
    case 'LocalProbeTopologyDeclared':
    case 'RemoteProbeTopologyDeclared':
      return {
        type,
        seq,
        probes: [{ probeName: 'http', kind: 'http', mode: 'enforce' }],
        declaredAt: now,
      };
    case 'LocalProbeObservedFirst':
    case 'RemoteProbeObservedFirst':
      return { type, seq, probeName: 'http', mode: 'enforce', observedAt: now };
    case 'LocalProbeResult':
    case 'RemoteProbeResult':
      return {
        type,
        seq,
        probeName: 'http',
        mode: 'enforce',
        status: 'pass',
        observedAt: now,
        failureReason: null,
        subResults: null,
      };
    case 'LocalProbeFailureFirst':
    case 'RemoteProbeFailureFirst':
      return { type, seq, probeName: 'http', mode: 'enforce', firstFailedAt: now };
    case 'LocalSustainedFailureCrossed':
    case 'RemoteFailed':
      return {
        type,
        seq,
        failedAt: now,
        sustainedDurationSecs: 120,
        failingProbes: ['http'],
        policyApplied: policy.onHealthFailure,
      };
    case 'LocalRollbackCompleted':
    case 'RemoteRollbackComplete':
      return { type, seq, revertedToClosure: prior, exitCode: 0, completedAt: now };
    case 'LocalConvergedReached':
    case 'RemoteConverged':
      return {
        type,
        seq,
        convergedAt: Math.max(now, h.soakDueAt ?? now),
        currentClosure: h.currentClosure ?? h.targetClosure,
      };
  }
}
