import { describe, expect, test } from 'vitest';
import type { HostEffect } from '../../../machines/host/effect.ts';
import { CONVERGED_INVARIANTS } from '../../../machines/host/error.ts';
import { HOST_EVENT_TYPES, type HostEventType } from '../../../machines/host/event.ts';
import { outboundOf } from '../../../machines/host/outbound.ts';
import {
  HOST_STATES,
  type HostRecord,
  type HostState,
  type OnHealthFailure,
} from '../../../machines/host/state.ts';
import { hostStep, hostStepViaXState } from '../../../machines/host/step.ts';
import {
  REMOTE_MIRROR,
  SPEC_EVENTS,
  SPEC_INVARIANT,
  SPEC_LEGAL_PAIRS,
  SPEC_LOCAL_EVENTS,
  SPEC_STATES,
  specCell,
  specPayload,
  specStep,
} from '../../../sim/spec-model/host.ts';
import {
  CHANNEL,
  err,
  eventOf,
  HALT,
  HOST,
  MIN,
  ok,
  POLICIES,
  PRIOR,
  RID,
  ROLLBACK,
  recordIn,
  SEC,
  SOAK_DUE,
  stepBoth,
  stepChecked,
  T0,
  TARGET,
} from './fixtures.ts';

/*
 * Spec §3.7–§3.8.1, cell by cell: every one of the 168 (state, event) pairs through both
 * the compiled step and XState's transition(), compared field by field and effect by effect
 * with the spec model (sim/spec-model/host.ts), plus the named sub-cases of §3.8.1–§3.10.
 */

const rt = (from: HostState, to: HostState, at: number): HostEffect => ({
  type: 'RecordTransition',
  host: HOST,
  rolloutId: RID,
  from,
  to,
  at,
});

// ---------------------------------------------------------------------------------------
// The vocabulary and the legal set
// ---------------------------------------------------------------------------------------

describe('§3.8 vocabulary', () => {
  test('the machine has the 7 spec states, in §3.1 order', () => {
    expect([...HOST_STATES]).toEqual([...SPEC_STATES]);
  });

  test('the machine has the 24 spec events, in §3.4 order', () => {
    expect([...HOST_EVENT_TYPES]).toEqual([...SPEC_EVENTS]);
    expect(new Set(HOST_EVENT_TYPES).size).toBe(24);
  });

  test('the three Invariant messages are verbatim (§3.6)', () => {
    expect(CONVERGED_INVARIANTS).toEqual(SPEC_INVARIANT);
  });

  test('exactly 28 of the 168 pairs are legal: 2 + 8 + 4 + 12 + 2', () => {
    expect(SPEC_STATES.length * SPEC_EVENTS.length).toBe(168);
    expect(SPEC_LEGAL_PAIRS).toHaveLength(28);
    const perState = Object.fromEntries(
      SPEC_STATES.map((s) => [s, SPEC_LEGAL_PAIRS.filter(([st]) => st === s).length]),
    );
    expect(perState).toEqual({
      Pending: 2,
      Activating: 8,
      Deferred: 4,
      Soaking: 12,
      Converged: 0,
      Failed: 2,
      Reverted: 0,
    });
  });

  test('each Local/Remote pair has the same legality and target (§3.8)', () => {
    for (const s of SPEC_STATES) {
      for (const local of SPEC_LOCAL_EVENTS) {
        expect(specCell(s, REMOTE_MIRROR[local])?.to).toBe(specCell(s, local)?.to);
      }
    }
  });

  test('the machine accepts exactly the 28 spec pairs (no IllegalForState on them, IllegalForState elsewhere)', () => {
    const accepted: [HostState, HostEventType][] = [];
    for (const s of SPEC_STATES) {
      for (const e of SPEC_EVENTS) {
        const record = recordIn(s);
        const r = stepBoth(record, eventOf(e, record.lastEventSeq + 1), HALT);
        if (r.ok || r.error.type !== 'IllegalForState') accepted.push([s, e]);
      }
    }
    expect(accepted).toEqual(SPEC_LEGAL_PAIRS.map(([s, e]) => [s, e]));
  });
});

// ---------------------------------------------------------------------------------------
// 168 cells
// ---------------------------------------------------------------------------------------

/**
 * The effect types of each legal cell, in order, written out literally from §3.8.1 for the
 * canonical fixtures (prior closure known; the sustained-failure event says
 * rollback-and-halt). A second, literal transcription that checks the model too.
 */
const EFFECT_ORDER: Record<string, (p: OnHealthFailure) => readonly HostEffect['type'][]> = {
  'Pending × LocalActivate': () => ['RecordTransition', 'LocalEmitEvent', 'LocalFireSwitch'],
  'Pending × RemoteDispatchAck': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Activating × LocalActivationStarted': () => ['LocalEmitEvent'],
  'Activating × RemoteActivationStarted': () => ['RemoteAppendEventLog'],
  'Activating × LocalActivationCompleted': () => [
    'LocalResetProbeCache',
    'LocalEmitEvent',
    'RecordTransition',
  ],
  'Activating × RemoteActivationCompleted': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Activating × LocalActivationDeferred': () => ['LocalEmitEvent', 'RecordTransition'],
  'Activating × RemoteActivationDeferred': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Activating × LocalActivationFailed': (p) =>
    p === 'halt'
      ? ['LocalEmitEvent', 'RecordTransition']
      : ['LocalEmitEvent', 'RecordTransition', 'LocalFireRollbackTo'],
  'Activating × RemoteActivationFailed': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Deferred × LocalActivationCompleted': () => [
    'LocalResetProbeCache',
    'LocalEmitEvent',
    'RecordTransition',
  ],
  'Deferred × RemoteActivationCompleted': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Deferred × LocalActivationFailed': () => ['LocalEmitEvent', 'RecordTransition'],
  'Deferred × RemoteActivationFailed': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Soaking × LocalProbeTopologyDeclared': () => ['LocalEmitEvent'],
  'Soaking × RemoteProbeTopologyDeclared': () => ['RemoteAppendEventLog'],
  'Soaking × LocalProbeObservedFirst': () => ['LocalEmitEvent'],
  'Soaking × RemoteProbeObservedFirst': () => ['RemoteAppendEventLog'],
  'Soaking × LocalProbeResult': () => ['LocalEmitEvent'],
  'Soaking × RemoteProbeResult': () => ['RemoteAppendEventLog'],
  'Soaking × LocalProbeFailureFirst': () => ['LocalEmitEvent'],
  'Soaking × RemoteProbeFailureFirst': () => ['RemoteAppendEventLog'],
  'Soaking × LocalSustainedFailureCrossed': () => [
    'LocalEmitEvent',
    'RecordTransition',
    'LocalFireRollbackTo',
  ],
  'Soaking × RemoteFailed': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Soaking × LocalConvergedReached': () => ['LocalEmitEvent', 'RecordTransition'],
  'Soaking × RemoteConverged': () => ['RemoteAppendEventLog', 'RecordTransition'],
  'Failed × LocalRollbackCompleted': () => ['LocalEmitEvent', 'RecordTransition'],
  'Failed × RemoteRollbackComplete': () => [
    'RemoteAppendEventLog',
    'RemoteInsertQuarantine',
    'RecordTransition',
  ],
};

/** Durable flags of §3.8.1: the three probe observation events are not durable. */
const NOT_DURABLE: readonly HostEventType[] = [
  'LocalProbeObservedFirst',
  'LocalProbeResult',
  'LocalProbeFailureFirst',
];

const CELLS = SPEC_STATES.flatMap((state) =>
  SPEC_EVENTS.map(
    (event) => [state, event, specCell(state, event)?.to ?? 'IllegalForState'] as const,
  ),
);

describe('§3.8 the 168 cells (both paths, both policies, seq +1 and a gap)', () => {
  test('168 cells, 28 of them legal', () => {
    expect(CELLS).toHaveLength(168);
    expect(CELLS.filter(([, , outcome]) => outcome !== 'IllegalForState')).toHaveLength(28);
    expect(Object.keys(EFFECT_ORDER)).toHaveLength(28);
  });

  test.each(CELLS)('%s × %s → %s', (state, event) => {
    const c = specCell(state, event);
    for (const p of POLICIES) {
      const record = recordIn(state);
      for (const seq of [record.lastEventSeq + 1, record.lastEventSeq + 1000]) {
        const e = eventOf(event, seq);
        const got = stepBoth(record, e, p);
        expect(got).toStrictEqual(specStep(record, e, p));
        if (c === undefined) {
          expect(got).toStrictEqual({
            ok: false,
            error: { type: 'IllegalForState', from: state, event, rolloutId: RID, hostname: HOST },
          });
          continue;
        }
        const { record: next, effects } = ok(got);
        expect(next.state).toBe(c.to);
        expect(next.lastEventSeq).toBe(seq);
        // Only the declared fields (plus state and last_event_seq) may differ.
        const changed = (Object.keys(record) as (keyof HostRecord)[]).filter(
          (k) => JSON.stringify(record[k]) !== JSON.stringify(next[k]),
        );
        for (const k of changed) {
          expect(['state', 'lastEventSeq', ...c.writes]).toContain(k);
        }
        expect(Object.keys(next).sort()).toEqual(Object.keys(record).sort());
        // Effect order, literally.
        expect(effects.map((x) => x.type)).toEqual(
          EFFECT_ORDER[`${state} × ${event}`]?.(p.onHealthFailure),
        );
        // Exactly one RecordTransition per state change, none otherwise, stamped with the event's time.
        const rts = effects.filter((x) => x.type === 'RecordTransition');
        expect(rts).toHaveLength(c.to === state ? 0 : 1);
        // Local arms emit only agent-side effects; Remote arms only CP-side ones.
        for (const x of effects) {
          if (x.type === 'RecordTransition') continue;
          expect(x.type.startsWith(event.startsWith('Local') ? 'Local' : 'Remote')).toBe(true);
        }
        // Every emitted or logged payload is the event's own outbound payload.
        for (const x of effects) {
          if (x.type === 'LocalEmitEvent') {
            expect(x.payload).toStrictEqual(specPayload(e));
            expect(x.payload).toStrictEqual(outboundOf(e));
            expect(x.durable).toBe(!NOT_DURABLE.includes(event));
          }
          if (x.type === 'RemoteAppendEventLog') {
            expect(x.payload).toStrictEqual(specPayload(e));
            expect(x.host).toBe(HOST);
          }
        }
      }
    }
  });
});

// ---------------------------------------------------------------------------------------
// Sub-cases, asserted with literal values
// ---------------------------------------------------------------------------------------

describe('§3.8.1 / §3.9 activation failure from Activating', () => {
  const failedAt = T0 + 4 * SEC;
  const payload = (seq: number) => ({
    type: 'ActivationFailed',
    exitCode: 1,
    stderrTail: 'error: switch failed',
    failedAt,
    seq,
  });

  test('LocalActivationFailed under halt: policy_applied=halt, no rollback', () => {
    const record = recordIn('Activating');
    const r = ok(stepChecked(record, eventOf('LocalActivationFailed', 2), HALT));
    expect(r.record).toStrictEqual({
      ...record,
      state: 'Failed',
      activationFailedAt: failedAt,
      failedAt,
      policyApplied: 'halt',
      lastEventSeq: 2,
    });
    expect(r.effects).toStrictEqual([
      { type: 'LocalEmitEvent', rolloutId: RID, payload: payload(2), durable: true },
      rt('Activating', 'Failed', failedAt),
    ]);
  });

  test('LocalActivationFailed under rollback-and-halt with a known prior closure: rollback effect last', () => {
    const record = recordIn('Activating');
    const r = ok(stepChecked(record, eventOf('LocalActivationFailed', 2), ROLLBACK));
    expect(r.record).toStrictEqual({
      ...record,
      state: 'Failed',
      activationFailedAt: failedAt,
      failedAt,
      policyApplied: 'rollback-and-halt',
      lastEventSeq: 2,
    });
    expect(r.effects).toStrictEqual([
      { type: 'LocalEmitEvent', rolloutId: RID, payload: payload(2), durable: true },
      rt('Activating', 'Failed', failedAt),
      { type: 'LocalFireRollbackTo', rolloutId: RID, closure: PRIOR },
    ]);
  });

  test('LocalActivationFailed under rollback-and-halt with current_closure_at_dispatch null: no rollback', () => {
    const record = recordIn('Activating', { currentClosureAtDispatch: null });
    const r = ok(stepChecked(record, eventOf('LocalActivationFailed', 2), ROLLBACK));
    expect(r.record.state).toBe('Failed');
    expect(r.record.policyApplied).toBe('rollback-and-halt');
    expect(r.effects).toStrictEqual([
      { type: 'LocalEmitEvent', rolloutId: RID, payload: payload(2), durable: true },
      rt('Activating', 'Failed', failedAt),
    ]);
  });

  test('a prior closure of "" is Some(""): it is known, so the rollback fires to ""', () => {
    const record = recordIn('Activating', { currentClosureAtDispatch: '' });
    const r = ok(stepChecked(record, eventOf('LocalActivationFailed', 2), ROLLBACK));
    expect(r.effects.at(-1)).toStrictEqual({
      type: 'LocalFireRollbackTo',
      rolloutId: RID,
      closure: '',
    });
  });

  test.each(POLICIES.map((p) => [p.onHealthFailure, p] as const))(
    'RemoteActivationFailed never rolls back but records policy_applied from the policy argument (%s)',
    (_name, p) => {
      const record = recordIn('Activating');
      const r = ok(stepChecked(record, eventOf('RemoteActivationFailed', 2), p));
      expect(r.record).toStrictEqual({
        ...record,
        state: 'Failed',
        activationFailedAt: failedAt,
        failedAt,
        policyApplied: p.onHealthFailure,
        lastEventSeq: 2,
      });
      expect(r.effects).toStrictEqual([
        { type: 'RemoteAppendEventLog', host: HOST, rolloutId: RID, payload: payload(2) },
        rt('Activating', 'Failed', failedAt),
      ]);
    },
  );
});

describe('§3.8.1 / §6.13 failure out of Deferred', () => {
  test.each(
    POLICIES.flatMap((p) =>
      (['LocalActivationFailed', 'RemoteActivationFailed'] as const).map(
        (event) => [event, p.onHealthFailure, p] as const,
      ),
    ),
  )('Deferred × %s under %s: policy_applied stays None, never a rollback', (event, _name, p) => {
    const record = recordIn('Deferred');
    const r = ok(stepChecked(record, eventOf(event, 4), p));
    const failedAt = T0 + 4 * SEC;
    expect(r.record).toStrictEqual({
      ...record,
      state: 'Failed',
      activationFailedAt: failedAt,
      failedAt,
      policyApplied: null,
      lastEventSeq: 4,
    });
    const pl = {
      type: 'ActivationFailed',
      exitCode: 1,
      stderrTail: 'error: switch failed',
      failedAt,
      seq: 4,
    };
    expect(r.effects).toStrictEqual([
      event === 'LocalActivationFailed'
        ? { type: 'LocalEmitEvent', rolloutId: RID, payload: pl, durable: true }
        : { type: 'RemoteAppendEventLog', host: HOST, rolloutId: RID, payload: pl },
      rt('Deferred', 'Failed', failedAt),
    ]);
  });
});

describe('§3.8.1 / §3.9 sustained failure: the event carries the policy', () => {
  const failedAt = T0 + 125 * SEC;
  const sustained = (p: OnHealthFailure) =>
    eventOf('LocalSustainedFailureCrossed', 8, { policyApplied: p, sustainedDurationSecs: 95 });

  test.each(POLICIES.map((p) => [p.onHealthFailure, p] as const))(
    'event rollback-and-halt (step policy argument %s): rolls back to the prior closure',
    (_name, arg) => {
      const record = recordIn('Soaking');
      const r = ok(stepChecked(record, sustained('rollback-and-halt'), arg));
      expect(r.record).toStrictEqual({
        ...record,
        state: 'Failed',
        failedAt,
        policyApplied: 'rollback-and-halt',
        lastEventSeq: 8,
      });
      expect(r.effects).toStrictEqual([
        {
          type: 'LocalEmitEvent',
          rolloutId: RID,
          payload: {
            type: 'Failed',
            failedAt,
            sustainedDurationSecs: 95,
            failingProbes: ['nginx-version'],
            policyApplied: 'rollback-and-halt',
            seq: 8,
          },
          durable: true,
        },
        rt('Soaking', 'Failed', failedAt),
        { type: 'LocalFireRollbackTo', rolloutId: RID, closure: PRIOR },
      ]);
    },
  );

  test.each(POLICIES.map((p) => [p.onHealthFailure, p] as const))(
    'event halt (step policy argument %s): no rollback, policy halt',
    (_name, arg) => {
      const record = recordIn('Soaking');
      const r = ok(stepChecked(record, sustained('halt'), arg));
      expect(r.record.policyApplied).toBe('halt');
      expect(r.record.state).toBe('Failed');
      expect(r.effects.map((x) => x.type)).toEqual(['LocalEmitEvent', 'RecordTransition']);
    },
  );

  test('event rollback-and-halt with current_closure_at_dispatch null: no rollback', () => {
    const record = recordIn('Soaking', { currentClosureAtDispatch: null });
    const r = ok(stepChecked(record, sustained('rollback-and-halt'), ROLLBACK));
    expect(r.record.policyApplied).toBe('rollback-and-halt');
    expect(r.effects.map((x) => x.type)).toEqual(['LocalEmitEvent', 'RecordTransition']);
  });

  test.each(
    (['halt', 'rollback-and-halt'] as const).flatMap((ev) =>
      POLICIES.map((arg) => [ev, arg.onHealthFailure, arg] as const),
    ),
  )(
    'RemoteFailed (event %s, argument %s): policy from the event, never a rollback',
    (ev, _name, arg) => {
      const record = recordIn('Soaking');
      const r = ok(stepChecked(record, eventOf('RemoteFailed', 8, { policyApplied: ev }), arg));
      expect(r.record).toStrictEqual({
        ...record,
        state: 'Failed',
        failedAt,
        policyApplied: ev,
        lastEventSeq: 8,
      });
      expect(r.effects).toStrictEqual([
        {
          type: 'RemoteAppendEventLog',
          host: HOST,
          rolloutId: RID,
          payload: {
            type: 'Failed',
            failedAt,
            sustainedDurationSecs: 120,
            failingProbes: ['nginx-version'],
            policyApplied: ev,
            seq: 8,
          },
        },
        rt('Soaking', 'Failed', failedAt),
      ]);
    },
  );
});

describe('§3.10 convergence invariants', () => {
  const enforceFail = {
    status: 'fail',
    mode: 'enforce',
    lastObservedAt: T0 + 30 * SEC,
    lastPassAt: null,
    failureReason: 'HTTP 503',
  } as const;
  const KINDS = ['LocalConvergedReached', 'RemoteConverged'] as const;

  test.each(KINDS)('%s: current_closure != target_closure', (kind) => {
    const record = recordIn('Soaking');
    const r = stepChecked(record, eventOf(kind, 8, { currentClosure: 'wrong-closure' }), HALT);
    expect(r).toStrictEqual({
      ok: false,
      error: { type: 'Invariant', message: 'Converged event: current_closure != target_closure' },
    });
  });

  test.each(KINDS)('%s: converged_at before soak_due_at', (kind) => {
    const record = recordIn('Soaking');
    const r = stepChecked(record, eventOf(kind, 8, { convergedAt: SOAK_DUE - 1 }), HALT);
    expect(r).toStrictEqual({
      ok: false,
      error: { type: 'Invariant', message: 'Converged event: converged_at before soak_due_at' },
    });
  });

  test.each(KINDS)('%s: an enforce-mode probe is not Pass', (kind) => {
    const record = recordIn('Soaking', { probes: { 'nginx-version': enforceFail } });
    const r = stepChecked(record, eventOf(kind, 8), HALT);
    expect(r).toStrictEqual({
      ok: false,
      error: {
        type: 'Invariant',
        message: 'Converged event: at least one enforce-mode probe is not Pass',
      },
    });
  });

  test.each(KINDS)('%s: precedence closure > soak > probes when several fail', (kind) => {
    const bad = recordIn('Soaking', { probes: { 'nginx-version': enforceFail } });
    const all = stepChecked(bad, eventOf(kind, 8, { currentClosure: 'x', convergedAt: T0 }), HALT);
    expect(err(all)).toStrictEqual({ type: 'Invariant', message: SPEC_INVARIANT.closure });
    const closureAndProbes = stepChecked(bad, eventOf(kind, 8, { currentClosure: 'x' }), HALT);
    expect(err(closureAndProbes)).toStrictEqual({
      type: 'Invariant',
      message: SPEC_INVARIANT.closure,
    });
    const soakAndProbes = stepChecked(bad, eventOf(kind, 8, { convergedAt: T0 }), HALT);
    expect(err(soakAndProbes)).toStrictEqual({ type: 'Invariant', message: SPEC_INVARIANT.soak });
  });

  test.each(KINDS)('%s: converged_at == soak_due_at counts as elapsed', (kind) => {
    const record = recordIn('Soaking');
    const r = ok(stepChecked(record, eventOf(kind, 8, { convergedAt: SOAK_DUE }), HALT));
    expect(r.record).toStrictEqual({
      ...record,
      state: 'Converged',
      convergedAt: SOAK_DUE,
      currentClosure: TARGET,
      lastEventSeq: 8,
    });
    expect(r.effects.at(-1)).toStrictEqual(rt('Soaking', 'Converged', SOAK_DUE));
  });

  test.each(KINDS)('%s: soak_due_at None skips the soak check', (kind) => {
    const record = recordIn('Soaking', { soakDueAt: null });
    const r = ok(stepChecked(record, eventOf(kind, 8, { convergedAt: T0 - 10 * MIN }), HALT));
    expect(r.record.state).toBe('Converged');
    expect(r.record.convergedAt).toBe(T0 - 10 * MIN);
  });

  test.each(KINDS)('%s: failing observe and disabled probes do not block', (kind) => {
    const record = recordIn('Soaking', {
      probes: {
        obs: { ...enforceFail, mode: 'observe' },
        dis: { ...enforceFail, mode: 'disabled' },
        ok: { ...enforceFail, status: 'pass', failureReason: null },
      },
    });
    expect(ok(stepChecked(record, eventOf(kind, 8), HALT)).record.state).toBe('Converged');
  });

  test.each(KINDS)('%s: an empty probe map passes (no observation or topology needed)', (kind) => {
    const record = recordIn('Soaking', { probes: {}, probeObservedFirstAt: null });
    expect(ok(stepChecked(record, eventOf(kind, 8), HALT)).record.state).toBe('Converged');
  });

  test.each(KINDS)('%s: writes current_closure from the event (equal to the target)', (kind) => {
    // current_closure was something else (e.g. a Remote completion observed another closure).
    const record = recordIn('Soaking', { currentClosure: 'observed-other' });
    const r = ok(stepChecked(record, eventOf(kind, 8), HALT));
    expect(r.record.currentClosure).toBe(TARGET);
  });
});

describe('§3.8.1 update_probe', () => {
  const base = recordIn('Soaking', { probes: {} });
  const KINDS = ['LocalProbeResult', 'RemoteProbeResult'] as const;

  test.each(KINDS)(
    '%s creates a failing probe: last_pass_at None, failure_reason from the event',
    (kind) => {
      const r = ok(stepChecked(base, eventOf(kind, 8), HALT));
      expect(r.record.probes).toStrictEqual({
        'nginx-version': {
          status: 'fail',
          mode: 'enforce',
          lastObservedAt: T0 + 9 * SEC,
          lastPassAt: null,
          failureReason: 'HTTP 503',
        },
      });
    },
  );

  test.each(KINDS)(
    '%s creates a passing probe: last_pass_at = observed_at, failure_reason None',
    (kind) => {
      const r = ok(
        stepChecked(
          base,
          eventOf(kind, 8, { status: 'pass', failureReason: 'ignored on pass' }),
          HALT,
        ),
      );
      expect(r.record.probes).toStrictEqual({
        'nginx-version': {
          status: 'pass',
          mode: 'enforce',
          lastObservedAt: T0 + 9 * SEC,
          lastPassAt: T0 + 9 * SEC,
          failureReason: null,
        },
      });
    },
  );

  test.each(KINDS)('%s pass after fail clears failure_reason and sets last_pass_at', (kind) => {
    const record = recordIn('Soaking', {
      probes: {
        p: {
          status: 'fail',
          mode: 'observe',
          lastObservedAt: T0,
          lastPassAt: T0 - 1,
          failureReason: 'bad',
        },
      },
    });
    const r = ok(
      stepChecked(
        record,
        eventOf(kind, 8, {
          probeName: 'p',
          mode: 'enforce',
          status: 'pass',
          observedAt: T0 + 50 * SEC,
          failureReason: null,
        }),
        HALT,
      ),
    );
    expect(r.record.probes).toStrictEqual({
      p: {
        status: 'pass',
        mode: 'enforce',
        lastObservedAt: T0 + 50 * SEC,
        lastPassAt: T0 + 50 * SEC,
        failureReason: null,
      },
    });
  });

  test.each(KINDS)(
    '%s fail after pass keeps last_pass_at and takes the event failure_reason',
    (kind) => {
      const record = recordIn('Soaking');
      const r = ok(
        stepChecked(
          record,
          eventOf(kind, 8, {
            mode: 'observe',
            observedAt: T0 + 60 * SEC,
            failureReason: 'timeout',
          }),
          HALT,
        ),
      );
      expect(r.record.probes).toStrictEqual({
        ...record.probes,
        'nginx-version': {
          status: 'fail',
          mode: 'observe',
          lastObservedAt: T0 + 60 * SEC,
          lastPassAt: T0 + 20 * SEC,
          failureReason: 'timeout',
        },
      });
    },
  );

  test.each(KINDS)('%s fail with no reason overwrites an earlier reason with None', (kind) => {
    const record = recordIn('Soaking', {
      probes: {
        p: {
          status: 'fail',
          mode: 'enforce',
          lastObservedAt: T0,
          lastPassAt: null,
          failureReason: 'old',
        },
      },
    });
    const r = ok(
      stepChecked(record, eventOf(kind, 8, { probeName: 'p', failureReason: null }), HALT),
    );
    expect(r.record.probes.p?.failureReason).toBeNull();
  });

  test('sub_results are passed through verbatim in the payload and not stored', () => {
    const subResults = [
      {
        controlId: 'c-1',
        status: 'fail',
        framework: 'nis2',
        article: 'Art. 21',
        effectiveMode: 'observe',
        overrideReason: 'why',
      },
    ] as const;
    const r = ok(stepChecked(base, eventOf('LocalProbeResult', 8, { subResults }), HALT));
    const emitted = r.effects[0];
    expect(
      emitted?.type === 'LocalEmitEvent' &&
        emitted.payload.type === 'ProbeResult' &&
        emitted.payload.subResults,
    ).toStrictEqual(subResults);
    expect(JSON.stringify(r.record)).not.toContain('c-1');
  });

  // Compared as JSON: vitest's strict equality reads `.constructor` and `__proto__`, which
  // these keys shadow, so it cannot compare such records itself.
  test.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'a probe named %s is an ordinary own key (both paths and the model agree)',
    (name) => {
      let record: HostRecord = base;
      const steps = [
        eventOf('RemoteProbeResult', 8, { probeName: name }),
        eventOf('LocalProbeResult', 9, { probeName: name, status: 'pass', failureReason: null }),
        eventOf('LocalProbeResult', 10, { probeName: name, failureReason: 'again' }),
      ];
      for (const e of steps) {
        const fast = ok(hostStep(record, e, HALT));
        const slow = hostStepViaXState(record, e, HALT);
        expect(JSON.stringify(slow)).toBe(JSON.stringify(fast));
        expect(JSON.stringify(specStep(record, e, HALT))).toBe(JSON.stringify(fast));
        expect(Object.hasOwn(fast.record.probes, name)).toBe(true);
        expect(Object.getPrototypeOf(fast.record.probes)).toBe(Object.prototype);
        record = fast.record;
      }
      expect(Object.keys(record.probes)).toEqual([name]);
      expect(JSON.parse(JSON.stringify(record.probes))).toEqual({
        [name]: {
          status: 'fail',
          mode: 'enforce',
          lastObservedAt: T0 + 9 * SEC,
          lastPassAt: T0 + 9 * SEC,
          failureReason: 'again',
        },
      });
      // A failing enforce probe under that name blocks convergence.
      expect(err(hostStep(record, eventOf('RemoteConverged', 20), HALT))).toStrictEqual({
        type: 'Invariant',
        message: SPEC_INVARIANT.probes,
      });
    },
  );
});

test.each(['__proto__', 'constructor'])(
  'a second probe after one named %s keeps both, in the model as in the machine',
  (name) => {
    // The model copied the map by assignment, and `out.__proto__ = v` set the prototype:
    // the first probe vanished from the model's record, and model.steps-agree would have
    // taken the machine for wrong.
    let record: HostRecord = { ...recordIn('Soaking'), probes: {} };
    for (const e of [
      eventOf('LocalProbeResult', 8, { probeName: name }),
      eventOf('LocalProbeResult', 9, { probeName: 'http' }),
    ]) {
      const fast = ok(hostStep(record, e, HALT));
      expect(JSON.stringify(specStep(record, e, HALT))).toBe(JSON.stringify(fast));
      record = fast.record;
    }
    expect(Object.keys(record.probes)).toEqual([name, 'http']);
    expect(Object.getPrototypeOf(record.probes)).toBe(Object.prototype);
  },
);

describe('§3.8.1 first wins: probe_observed_first_at and probe_failure_first_at', () => {
  test('ObservedFirst: the first value wins (Local then Remote)', () => {
    const s0 = recordIn('Soaking');
    const s1 = ok(
      stepChecked(s0, eventOf('LocalProbeObservedFirst', 8, { observedAt: T0 + 40 * SEC }), HALT),
    );
    expect(s1.record.probeObservedFirstAt).toBe(T0 + 40 * SEC);
    const s2 = ok(
      stepChecked(
        s1.record,
        eventOf('RemoteProbeObservedFirst', 9, { observedAt: T0 + 30 * SEC }),
        HALT,
      ),
    );
    expect(s2.record).toStrictEqual({ ...s1.record, lastEventSeq: 9 });
    expect(s2.effects).toHaveLength(1);
  });

  test('FailureFirst: the first value wins and is never cleared, even after a pass', () => {
    const s0 = recordIn('Soaking');
    const s1 = ok(
      stepChecked(
        s0,
        eventOf('RemoteProbeFailureFirst', 8, { firstFailedAt: T0 + 40 * SEC }),
        HALT,
      ),
    );
    expect(s1.record.probeFailureFirstAt).toBe(T0 + 40 * SEC);
    const s2 = ok(
      stepChecked(
        s1.record,
        eventOf('LocalProbeResult', 9, { status: 'pass', failureReason: null }),
        HALT,
      ),
    );
    expect(s2.record.probeFailureFirstAt).toBe(T0 + 40 * SEC);
    const s3 = ok(
      stepChecked(
        s2.record,
        eventOf('LocalProbeFailureFirst', 10, { firstFailedAt: T0 + 90 * SEC, mode: 'observe' }),
        HALT,
      ),
    );
    expect(s3.record).toStrictEqual({ ...s2.record, lastEventSeq: 10 });
    expect(s3.effects).toStrictEqual([
      {
        type: 'LocalEmitEvent',
        rolloutId: RID,
        payload: {
          type: 'ProbeFailureFirst',
          probeName: 'nginx-version',
          mode: 'observe',
          firstFailedAt: T0 + 90 * SEC,
          seq: 10,
        },
        durable: false,
      },
    ]);
  });

  test('probe events with an earlier timestamp do not replace a later first value', () => {
    const s0 = recordIn('Soaking', {
      probeObservedFirstAt: T0 + 100 * SEC,
      probeFailureFirstAt: T0 + 100 * SEC,
    });
    const a = ok(stepChecked(s0, eventOf('LocalProbeObservedFirst', 8, { observedAt: T0 }), HALT));
    const b = ok(
      stepChecked(a.record, eventOf('LocalProbeFailureFirst', 9, { firstFailedAt: T0 }), HALT),
    );
    expect(b.record.probeObservedFirstAt).toBe(T0 + 100 * SEC);
    expect(b.record.probeFailureFirstAt).toBe(T0 + 100 * SEC);
  });
});

describe('§6.14 exit codes and closures are not checked', () => {
  test.each([1, -1, 255, 137])(
    'ActivationCompleted with exit_code %i still goes to Soaking',
    (exitCode) => {
      for (const from of ['Activating', 'Deferred'] as const) {
        for (const kind of ['LocalActivationCompleted', 'RemoteActivationCompleted'] as const) {
          const record = recordIn(from);
          const r = ok(stepChecked(record, eventOf(kind, 5, { exitCode }), HALT));
          expect(r.record.state).toBe('Soaking');
        }
      }
    },
  );

  test('ActivationCompleted observing a closure other than the target: Soaking with that closure', () => {
    for (const kind of ['LocalActivationCompleted', 'RemoteActivationCompleted'] as const) {
      const record = recordIn('Activating');
      const r = ok(
        stepChecked(record, eventOf(kind, 5, { observedCurrentClosure: 'not-the-target' }), HALT),
      );
      expect(r.record).toStrictEqual({
        ...record,
        state: 'Soaking',
        activationCompletedAt: T0 + 5 * SEC,
        currentClosure: 'not-the-target',
        probes: {},
        lastEventSeq: 5,
      });
    }
  });

  test('ActivationCompleted clears a stale probe map; LocalResetProbeCache comes first', () => {
    const stale = recordIn('Soaking').probes;
    for (const from of ['Activating', 'Deferred'] as const) {
      const record = recordIn(from, { probes: stale });
      const r = ok(stepChecked(record, eventOf('LocalActivationCompleted', 5), HALT));
      expect(r.record.probes).toStrictEqual({});
      expect(r.effects[0]).toStrictEqual({ type: 'LocalResetProbeCache', rolloutId: RID });
    }
  });

  test.each([0, 1, -9])(
    'RollbackCompleted with exit_code %i and a closure unlike the prior one: Reverted',
    (exitCode) => {
      for (const kind of ['LocalRollbackCompleted', 'RemoteRollbackComplete'] as const) {
        const record = recordIn('Failed');
        const r = ok(
          stepChecked(
            record,
            eventOf(kind, 20, { exitCode, revertedToClosure: 'somewhere-else' }),
            HALT,
          ),
        );
        expect(r.record).toStrictEqual({
          ...record,
          state: 'Reverted',
          revertedAt: T0 + 135 * SEC,
          revertedTo: 'somewhere-else',
          currentClosure: 'somewhere-else',
          lastEventSeq: 20,
        });
      }
    },
  );

  test('Failed → Reverted whatever the recorded policy (halt included)', () => {
    const record = recordIn('Failed', { policyApplied: 'halt' });
    expect(ok(stepChecked(record, eventOf('LocalRollbackCompleted', 20), HALT)).record.state).toBe(
      'Reverted',
    );
  });
});

describe('§3.8.1 LocalActivate and RemoteDispatchAck', () => {
  test('LocalActivate ignores event.target_closure and event.soak_due_at', () => {
    const record = recordIn('Pending');
    const e = eventOf('LocalActivate', 1, {
      targetClosure: 'evil-target',
      soakDueAt: T0 + 999 * MIN,
    });
    const r = ok(stepChecked(record, e, HALT));
    expect(r.record).toStrictEqual({
      ...record,
      state: 'Activating',
      currentClosureAtDispatch: PRIOR,
      dispatchAckedAt: T0 + 1 * SEC,
      lastEventSeq: 1,
    });
    expect(r.record.targetClosure).toBe(TARGET);
    expect(r.record.soakDueAt).toBe(SOAK_DUE);
    expect(r.effects).toStrictEqual([
      rt('Pending', 'Activating', T0 + 1 * SEC),
      {
        type: 'LocalEmitEvent',
        rolloutId: RID,
        payload: {
          type: 'DispatchAck',
          currentClosureAtDispatch: PRIOR,
          receivedAt: T0 + 1 * SEC,
          seq: 1,
        },
        durable: true,
      },
      { type: 'LocalFireSwitch', rolloutId: RID, target: TARGET },
    ]);
  });

  test('RemoteDispatchAck: append then RecordTransition', () => {
    const record = recordIn('Pending');
    const r = ok(
      stepChecked(record, eventOf('RemoteDispatchAck', 3, { currentClosureAtDispatch: '' }), HALT),
    );
    expect(r.record.currentClosureAtDispatch).toBe('');
    expect(r.effects).toStrictEqual([
      {
        type: 'RemoteAppendEventLog',
        host: HOST,
        rolloutId: RID,
        payload: {
          type: 'DispatchAck',
          currentClosureAtDispatch: '',
          receivedAt: T0 + 1 * SEC,
          seq: 3,
        },
      },
      rt('Pending', 'Activating', T0 + 1 * SEC),
    ]);
  });
});

describe('§3.8.1 RemoteRollbackComplete', () => {
  test('emits [RemoteAppendEventLog, RemoteInsertQuarantine{channel, closure: TARGET}, RecordTransition]', () => {
    const record = recordIn('Failed');
    const r = ok(stepChecked(record, eventOf('RemoteRollbackComplete', 13), HALT));
    expect(r.effects).toStrictEqual([
      {
        type: 'RemoteAppendEventLog',
        host: HOST,
        rolloutId: RID,
        payload: {
          type: 'RollbackComplete',
          revertedToClosure: PRIOR,
          exitCode: 0,
          completedAt: T0 + 135 * SEC,
          seq: 13,
        },
      },
      { type: 'RemoteInsertQuarantine', channel: CHANNEL, closure: TARGET },
      rt('Failed', 'Reverted', T0 + 135 * SEC),
    ]);
  });

  test('LocalRollbackCompleted does not quarantine', () => {
    const r = ok(stepChecked(recordIn('Failed'), eventOf('LocalRollbackCompleted', 13), HALT));
    expect(r.effects.map((x) => x.type)).toEqual(['LocalEmitEvent', 'RecordTransition']);
  });
});

describe('§3.8.1 durable flags', () => {
  const LOCAL_LEGAL = SPEC_LEGAL_PAIRS.filter(([, e]) => e.startsWith('Local'));
  test.each(
    LOCAL_LEGAL.map(([state, event]) => [state, event, !NOT_DURABLE.includes(event)] as const),
  )('%s × %s emits durable=%s', (state, event, durable) => {
    const record = recordIn(state);
    const r = ok(stepChecked(record, eventOf(event, record.lastEventSeq + 1), ROLLBACK));
    const emits = r.effects.filter((x) => x.type === 'LocalEmitEvent');
    expect(emits).toHaveLength(1);
    expect(emits[0]?.type === 'LocalEmitEvent' && emits[0].durable).toBe(durable);
  });
});

describe('§3.7 / §3.11 last_event_seq', () => {
  test.each(SPEC_LEGAL_PAIRS.map(([state, event]) => [state, event] as const))(
    '%s × %s sets last_event_seq = seq, gaps allowed',
    (state, event) => {
      for (const gap of [1, 2, 50, 1_000_000]) {
        const record = recordIn(state);
        const seq = record.lastEventSeq + gap;
        expect(ok(stepChecked(record, eventOf(event, seq), ROLLBACK)).record.lastEventSeq).toBe(
          seq,
        );
      }
    },
  );

  test('an Invariant error does not advance last_event_seq (the record is untouched)', () => {
    const record = recordIn('Soaking');
    expect(
      err(stepChecked(record, eventOf('RemoteConverged', 8, { currentClosure: 'x' }), HALT)).type,
    ).toBe('Invariant');
    // The same seq is still usable afterwards.
    expect(ok(stepChecked(record, eventOf('RemoteConverged', 8), HALT)).record.lastEventSeq).toBe(
      8,
    );
  });
});

// ---------------------------------------------------------------------------------------
// SeqRegression before legality: 7 states × 24 events × {seq == last, seq < last}
// ---------------------------------------------------------------------------------------

const LAST = 10;
const REGRESSIONS = SPEC_STATES.flatMap((state) =>
  SPEC_EVENTS.flatMap((event) =>
    [
      { seq: LAST, how: '== last' },
      { seq: 3, how: '< last' },
    ].map(
      ({ seq, how }) =>
        [
          state,
          event,
          specCell(state, event) === undefined ? 'illegal' : 'legal',
          seq,
          how,
        ] as const,
    ),
  ),
);

describe('§3.7 SeqRegression is checked before legality, in every state', () => {
  test('336 regression cases', () => expect(REGRESSIONS).toHaveLength(336));

  test.each(REGRESSIONS)(
    '%s × %s (%s) seq %i (%s) → SeqRegression',
    (state, event, _legality, seq) => {
      for (const p of POLICIES) {
        const record = recordIn(state, { lastEventSeq: LAST });
        // Payloads that would otherwise fail an invariant still report the regression first.
        const e = eventOf(event, seq);
        expect(stepChecked(record, e, p)).toStrictEqual({
          ok: false,
          error: { type: 'SeqRegression', got: seq, last: LAST, rolloutId: RID, hostname: HOST },
        });
      }
    },
  );

  test('seq 0 on a fresh Pending record (last 0) is a regression', () => {
    const record = recordIn('Pending');
    expect(err(stepChecked(record, eventOf('LocalActivate', 0), HALT))).toStrictEqual({
      type: 'SeqRegression',
      got: 0,
      last: 0,
      rolloutId: RID,
      hostname: HOST,
    });
  });

  test('a stale event on Converged yields SeqRegression, not IllegalForState; a fresh one IllegalForState', () => {
    const record = recordIn('Converged');
    expect(
      err(stepChecked(record, eventOf('RemoteConverged', record.lastEventSeq), HALT)).type,
    ).toBe('SeqRegression');
    expect(
      err(stepChecked(record, eventOf('RemoteConverged', record.lastEventSeq + 1), HALT)).type,
    ).toBe('IllegalForState');
  });

  test('a regression beats an invariant failure', () => {
    const record = recordIn('Soaking', { lastEventSeq: LAST });
    expect(
      err(
        stepChecked(record, eventOf('LocalConvergedReached', LAST, { currentClosure: 'x' }), HALT),
      ).type,
    ).toBe('SeqRegression');
  });
});
