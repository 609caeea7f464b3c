import { describe, expect, test } from 'vitest';
import type { HostEffect } from '../../../machines/host/effect.ts';
import type { HostEvent } from '../../../machines/host/event.ts';
import { rehydrationEffects } from '../../../machines/host/rehydration.ts';
import type { HostPolicy, HostRecord, ProbeSubResult } from '../../../machines/host/state.ts';
import { newPendingHost } from '../../../machines/host/state.ts';
import { SPEC_INVARIANT, SPEC_STATES } from '../../../sim/spec-model/host.ts';
import {
  deepFreeze,
  err,
  eventOf,
  HALT,
  MIN,
  ok,
  ROLLBACK,
  SEC,
  stepChecked,
  T0,
} from './fixtures.ts';

/*
 * Spec §5.5 (`SM/tests/scenarios.rs`): host web-01, target target-closure-abc,
 * soak_due_at = t0+5m, t0 = 2026-05-16T01:00:00Z. Every step runs through both machine
 * paths and the spec model (stepChecked). Then the §5.6 unit tests.
 */

const RID = 'stable@r1';
const HOST = 'web-01';
const TARGET = 'target-closure-abc';
const PRIOR = 'prior-closure';
const SOAK_DUE = T0 + 5 * MIN;

const fresh = (): HostRecord =>
  deepFreeze(newPendingHost(RID, HOST, 'stable', TARGET, T0, SOAK_DUE));

/** Run a chain of events, checking each step, and return every intermediate result. */
function run(policy: HostPolicy, events: readonly HostEvent[], start: HostRecord = fresh()) {
  let record = start;
  const results = [];
  for (const e of events) {
    const r = ok(stepChecked(record, e, policy));
    results.push(r);
    record = deepFreeze(r.record);
  }
  return { record, results };
}

const activate = (seq: number, prior = PRIOR) =>
  eventOf('LocalActivate', seq, {
    currentClosureAtDispatch: prior,
    targetClosure: TARGET,
    receivedAt: T0 + 1 * SEC,
    soakDueAt: SOAK_DUE,
  });
const complete = (seq: number) =>
  eventOf('LocalActivationCompleted', seq, {
    observedCurrentClosure: TARGET,
    exitCode: 0,
    completedAt: T0 + 5 * SEC,
  });

const types = (effects: readonly HostEffect[]) => effects.map((e) => e.type);

describe('§5.5 host scenarios (SM/tests/scenarios.rs)', () => {
  test('1. happy path: Pending → Activating → Soaking → Converged', () => {
    const { results } = run(HALT, [
      activate(1),
      complete(2),
      eventOf('LocalConvergedReached', 3, { currentClosure: TARGET, convergedAt: T0 + 6 * MIN }),
    ]);
    const [a, s, c] = results;
    expect(a?.record.state).toBe('Activating');
    expect(s?.record.state).toBe('Soaking');
    expect(s?.record.currentClosure).toBe(TARGET);
    expect(c?.record.state).toBe('Converged');
    expect(c?.record.convergedAt).toBe(T0 + 6 * MIN);
    expect(c?.record.lastEventSeq).toBe(3);
    expect(c?.effects).toContainEqual({
      type: 'RecordTransition',
      host: HOST,
      rolloutId: RID,
      from: 'Soaking',
      to: 'Converged',
      at: T0 + 6 * MIN,
    });
  });

  const sustained = (policyApplied: 'halt' | 'rollback-and-halt') =>
    eventOf('LocalSustainedFailureCrossed', 3, {
      failedAt: T0 + 125 * SEC,
      sustainedDurationSecs: 60,
      failingProbes: ['nginx-version'],
      policyApplied,
    });

  test('2. sustained failure under rollback-and-halt: Failed, rollback to prior, then Reverted', () => {
    const { results, record } = run(ROLLBACK, [
      activate(1),
      complete(2),
      sustained('rollback-and-halt'),
      eventOf('LocalRollbackCompleted', 4, {
        revertedToClosure: PRIOR,
        exitCode: 0,
        completedAt: T0 + 135 * SEC,
      }),
    ]);
    const failed = results[2];
    expect(failed?.record.state).toBe('Failed');
    expect(failed?.record.policyApplied).toBe('rollback-and-halt');
    expect(failed?.effects).toContainEqual({
      type: 'LocalFireRollbackTo',
      rolloutId: RID,
      closure: PRIOR,
    });
    expect(types(failed?.effects ?? [])).toEqual([
      'LocalEmitEvent',
      'RecordTransition',
      'LocalFireRollbackTo',
    ]);
    expect(record.state).toBe('Reverted');
    expect(record.revertedTo).toBe(PRIOR);
    expect(record.currentClosure).toBe(PRIOR);
    expect(record.revertedAt).toBe(T0 + 135 * SEC);
  });

  test('3. sustained failure under halt only: Failed, no LocalFireRollbackTo', () => {
    const { record, results } = run(HALT, [activate(1), complete(2), sustained('halt')]);
    expect(record.state).toBe('Failed');
    expect(record.policyApplied).toBe('halt');
    expect(types(results[2]?.effects ?? [])).not.toContain('LocalFireRollbackTo');
  });

  test('4. convergence invariant: a wrong closure is rejected with Invariant', () => {
    const { record } = run(HALT, [activate(1), complete(2)]);
    const e = eventOf('LocalConvergedReached', 3, {
      currentClosure: 'wrong-closure',
      convergedAt: T0 + 6 * MIN,
    });
    expect(err(stepChecked(record, e, HALT))).toStrictEqual({
      type: 'Invariant',
      message: SPEC_INVARIANT.closure,
    });
  });

  test('5. activation failure under rollback-and-halt: immediate rollback, policy from the argument', () => {
    const { record } = run(ROLLBACK, [activate(1)]);
    const r = ok(
      stepChecked(
        record,
        eventOf('LocalActivationFailed', 2, {
          exitCode: 1,
          stderrTail: 'boom',
          failedAt: T0 + 30 * SEC,
        }),
        ROLLBACK,
      ),
    );
    expect(r.record.state).toBe('Failed');
    expect(r.record.policyApplied).toBe('rollback-and-halt');
    expect(r.effects.at(-1)).toStrictEqual({
      type: 'LocalFireRollbackTo',
      rolloutId: RID,
      closure: PRIOR,
    });
  });

  test('6. probe result: empty map after completion, one record after a result', () => {
    const { record } = run(HALT, [activate(1), complete(2)]);
    expect(record.probes).toStrictEqual({});
    const r = ok(
      stepChecked(
        record,
        eventOf('LocalProbeResult', 3, {
          probeName: 'nginx',
          mode: 'enforce',
          status: 'pass',
          observedAt: T0 + 10 * SEC,
          failureReason: null,
          subResults: null,
        }),
        HALT,
      ),
    );
    expect(r.record.state).toBe('Soaking');
    expect(Object.keys(r.record.probes)).toEqual(['nginx']);
    expect(types(r.effects)).toEqual(['LocalEmitEvent']);
    const [emit] = r.effects;
    expect(emit?.type === 'LocalEmitEvent' && emit.payload.type).toBe('ProbeResult');
  });

  test('7. local deferral: Deferred, nothing completed, durable emit then RecordTransition', () => {
    const { record } = run(HALT, [activate(1)]);
    const r = ok(
      stepChecked(
        record,
        eventOf('LocalActivationDeferred', 2, { component: 'systemd', deferredAt: T0 + 20 * SEC }),
        HALT,
      ),
    );
    expect(r.record.state).toBe('Deferred');
    expect(r.record.lastEventSeq).toBe(2);
    expect(r.record.currentClosure).toBeNull();
    expect(r.record.activationCompletedAt).toBeNull();
    expect(r.effects).toStrictEqual([
      {
        type: 'LocalEmitEvent',
        rolloutId: RID,
        payload: {
          type: 'ActivationDeferred',
          component: 'systemd',
          deferredAt: T0 + 20 * SEC,
          seq: 2,
        },
        durable: true,
      },
      {
        type: 'RecordTransition',
        host: HOST,
        rolloutId: RID,
        from: 'Activating',
        to: 'Deferred',
        at: T0 + 20 * SEC,
      },
    ]);
  });

  test('8. remote deferral: RemoteDispatchAck then RemoteActivationDeferred{dbus}', () => {
    const { record, results } = run(HALT, [
      eventOf('RemoteDispatchAck', 1, {
        currentClosureAtDispatch: PRIOR,
        receivedAt: T0 + 1 * SEC,
      }),
      eventOf('RemoteActivationDeferred', 2, { component: 'dbus', deferredAt: T0 + 20 * SEC }),
    ]);
    expect(record.state).toBe('Deferred');
    expect(results[1]?.effects[0]).toStrictEqual({
      type: 'RemoteAppendEventLog',
      host: HOST,
      rolloutId: RID,
      payload: { type: 'ActivationDeferred', component: 'dbus', deferredAt: T0 + 20 * SEC, seq: 2 },
    });
  });

  test('9. deferred, then synthesized RemoteActivationCompleted: Soaking', () => {
    const { record } = run(HALT, [
      eventOf('RemoteDispatchAck', 1, {
        currentClosureAtDispatch: PRIOR,
        receivedAt: T0 + 1 * SEC,
      }),
      eventOf('RemoteActivationDeferred', 2, { component: 'kernel', deferredAt: T0 + 20 * SEC }),
      eventOf('RemoteActivationCompleted', 3, {
        observedCurrentClosure: TARGET,
        exitCode: 0,
        completedAt: T0 + 2 * MIN,
      }),
    ]);
    expect(record.state).toBe('Soaking');
    expect(record.currentClosure).toBe(TARGET);
    expect(record.activationCompletedAt).toBe(T0 + 2 * MIN);
  });

  test('10. sub-results pass through verbatim into the outbound ProbeResult', () => {
    const { record } = run(HALT, [activate(1), complete(2)]);
    const subResults: readonly ProbeSubResult[] = [
      {
        controlId: 'encryption-at-rest',
        status: 'fail',
        framework: 'nis2',
        article: null,
        effectiveMode: 'observe',
        overrideReason: 'Q2 audit window: observe-mode default',
      },
      {
        controlId: 'access-control',
        status: 'pass',
        framework: 'nis2',
        article: null,
        effectiveMode: 'enforce',
        overrideReason: null,
      },
    ];
    const r = ok(
      stepChecked(
        record,
        eventOf('LocalProbeResult', 3, {
          probeName: 'evidence-nis2',
          mode: 'observe',
          status: 'fail',
          observedAt: T0 + 30 * SEC,
          failureReason: '1 control failing',
          subResults,
        }),
        HALT,
      ),
    );
    const [emit] = r.effects;
    if (emit?.type !== 'LocalEmitEvent' || emit.payload.type !== 'ProbeResult')
      throw new Error('no ProbeResult');
    expect(emit.payload.subResults).toStrictEqual(subResults);
    expect(emit.durable).toBe(false);
  });
});

describe('§5.6 other host unit tests', () => {
  describe('SM/src/transitions/pending.rs', () => {
    test('LocalActivate(seq 1): Activating, prior closure, dispatch_acked_at, effects RT, Emit, FireSwitch', () => {
      const r = ok(stepChecked(fresh(), activate(1), HALT));
      expect(r.record.state).toBe('Activating');
      expect(r.record.currentClosureAtDispatch).toBe(PRIOR);
      expect(r.record.dispatchAckedAt).not.toBeNull();
      expect(r.record.lastEventSeq).toBe(1);
      expect(types(r.effects)).toEqual(['RecordTransition', 'LocalEmitEvent', 'LocalFireSwitch']);
    });

    test('RemoteDispatchAck: effects RemoteAppendEventLog, RecordTransition', () => {
      const r = ok(
        stepChecked(
          fresh(),
          eventOf('RemoteDispatchAck', 1, { currentClosureAtDispatch: PRIOR }),
          HALT,
        ),
      );
      expect(r.record.state).toBe('Activating');
      expect(types(r.effects)).toEqual(['RemoteAppendEventLog', 'RecordTransition']);
    });

    test('LocalActivationCompleted in Pending: IllegalForState', () => {
      expect(err(stepChecked(fresh(), complete(1), HALT))).toStrictEqual({
        type: 'IllegalForState',
        from: 'Pending',
        event: 'LocalActivationCompleted',
        rolloutId: RID,
        hostname: HOST,
      });
    });

    test('last_event_seq 5 and LocalActivate seq 5: SeqRegression', () => {
      const record = deepFreeze({ ...fresh(), lastEventSeq: 5 });
      expect(err(stepChecked(record, activate(5), HALT))).toStrictEqual({
        type: 'SeqRegression',
        got: 5,
        last: 5,
        rolloutId: RID,
        hostname: HOST,
      });
    });
  });

  describe('SM/src/rehydration.rs', () => {
    test('Pending gives no effects', () => {
      expect(rehydrationEffects(fresh())).toStrictEqual([]);
    });
    test.each(SPEC_STATES.filter((s) => s !== 'Pending'))(
      '%s gives LocalResetProbeCache{rollout_id "stable@r1"}',
      (state) => {
        expect(rehydrationEffects({ ...fresh(), state })).toStrictEqual([
          { type: 'LocalResetProbeCache', rolloutId: 'stable@r1' },
        ]);
      },
    );
  });
});
