import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { HostEvent, HostEventType } from '../../../machines/host/event.ts';
import type { HostRecord, HostState } from '../../../machines/host/state.ts';
import { newPendingHost } from '../../../machines/host/state.ts';
import { hostStep } from '../../../machines/host/step.ts';
import {
  SPEC_EVENTS,
  SPEC_INVARIANT,
  SPEC_LEGAL_PAIRS,
  SPEC_STATES,
  specCell,
} from '../../../sim/spec-model/host.ts';
import {
  deepFreeze,
  err,
  eventOf,
  HALT,
  MIN,
  ok,
  SEC,
  stepBoth,
  stepChecked,
  T0,
} from './fixtures.ts';

/*
 * Spec §5.4: the upstream host invariant tests (`SM/tests/invariants.rs`), one named test
 * each, on the upstream fixture (r1 / h1 / stable, target target-abc, dispatched t0,
 * soak_due_at t0+5min, policy Halt). Test 1 is the upstream 120-pair subset; the full
 * 7 × 24 matrix (§6 item 21) follows it.
 */

const TARGET = 'target-abc';
const PRIOR = 'prior-closure';

/** `state_in(S)` of §5.4. */
function stateIn(state: HostState): HostRecord {
  const r: HostRecord = {
    ...newPendingHost('r1', 'h1', 'stable', TARGET, T0, T0 + 5 * MIN),
    state,
  };
  switch (state) {
    case 'Soaking':
      return deepFreeze({ ...r, currentClosure: TARGET, activationCompletedAt: T0 + 5 * SEC });
    case 'Converged':
      return deepFreeze({
        ...r,
        currentClosure: TARGET,
        activationCompletedAt: T0 + 5 * SEC,
        convergedAt: T0 + 6 * MIN,
      });
    case 'Failed':
      return deepFreeze({ ...r, failedAt: T0 + 125 * SEC, currentClosureAtDispatch: PRIOR });
    case 'Reverted':
      return deepFreeze({
        ...r,
        failedAt: T0 + 125 * SEC,
        currentClosureAtDispatch: PRIOR,
        revertedAt: T0 + 135 * SEC,
        revertedTo: PRIOR,
        currentClosure: PRIOR,
      });
    default:
      return deepFreeze(r);
  }
}

/** The 20 events of test 1: all but Local/Remote ActivationDeferred and ProbeTopologyDeclared. */
const TWENTY = SPEC_EVENTS.filter(
  (e) => !/ActivationDeferred$|ProbeTopologyDeclared$/.test(e),
) as readonly HostEventType[];
/** The 6 states of test 1: all but Deferred. */
const SIX = SPEC_STATES.filter((s) => s !== 'Deferred');

/** The upstream legal table of test 1, as §5.4 lists it. */
const UPSTREAM_LEGAL: Readonly<Record<string, readonly HostEventType[]>> = {
  Pending: ['LocalActivate', 'RemoteDispatchAck'],
  Activating: [
    'LocalActivationStarted',
    'RemoteActivationStarted',
    'LocalActivationCompleted',
    'RemoteActivationCompleted',
    'LocalActivationFailed',
    'RemoteActivationFailed',
  ],
  Soaking: [
    'LocalProbeObservedFirst',
    'RemoteProbeObservedFirst',
    'LocalProbeResult',
    'RemoteProbeResult',
    'LocalProbeFailureFirst',
    'RemoteProbeFailureFirst',
    'LocalSustainedFailureCrossed',
    'RemoteFailed',
    'LocalConvergedReached',
    'RemoteConverged',
  ],
  Failed: ['LocalRollbackCompleted', 'RemoteRollbackComplete'],
};

const isUpstreamLegal = (s: HostState, e: HostEventType) => UPSTREAM_LEGAL[s]?.includes(e) ?? false;

describe('§5.4 host invariants (SM/tests/invariants.rs)', () => {
  describe('1. every_illegal_state_event_pair_returns_transition_error (upstream 6 × 20 = 120 pairs)', () => {
    const pairs = SIX.flatMap((s) =>
      TWENTY.map((e) => [s, e, isUpstreamLegal(s, e) ? 'legal' : 'illegal'] as const),
    );

    test('120 pairs, 20 of them legal, and the upstream legal table agrees with §3.8', () => {
      expect(TWENTY).toHaveLength(20);
      expect(pairs).toHaveLength(120);
      expect(pairs.filter(([, , l]) => l === 'legal')).toHaveLength(20);
      for (const [s, e, l] of pairs) expect(specCell(s, e) !== undefined).toBe(l === 'legal');
    });

    test.each(pairs)('%s × %s (%s)', (s, e, legality) => {
      const r = stepBoth(stateIn(s), eventOf(e, 1), HALT);
      if (legality === 'legal') {
        // May still fail (e.g. an invariant), but never with IllegalForState.
        expect(r.ok || r.error.type !== 'IllegalForState').toBe(true);
      } else {
        expect(err(r)).toStrictEqual({
          type: 'IllegalForState',
          from: s,
          event: e,
          rolloutId: 'r1',
          hostname: 'h1',
        });
      }
    });
  });

  describe('1+. the full 7 × 24 = 168 matrix with 28 legal pairs (§6 item 21)', () => {
    const pairs = SPEC_STATES.flatMap((s) =>
      SPEC_EVENTS.map((e) => [s, e, specCell(s, e) === undefined ? 'illegal' : 'legal'] as const),
    );
    test('168 pairs, 28 legal', () => {
      expect(pairs).toHaveLength(168);
      expect(pairs.filter(([, , l]) => l === 'legal')).toHaveLength(28);
      expect(SPEC_LEGAL_PAIRS).toHaveLength(28);
    });
    test.each(pairs)('%s × %s (%s)', (s, e, legality) => {
      const r = stepChecked(stateIn(s), eventOf(e, 1), HALT);
      if (legality === 'legal') expect(r.ok || r.error.type !== 'IllegalForState').toBe(true);
      else
        expect(err(r)).toStrictEqual({
          type: 'IllegalForState',
          from: s,
          event: e,
          rolloutId: 'r1',
          hostname: 'h1',
        });
    });
  });

  describe('2. seq_regression_rejected_on_any_state', () => {
    const cases = (['Pending', 'Activating', 'Soaking', 'Failed'] as const).flatMap((s) =>
      SPEC_EVENTS.filter((e) => specCell(s, e) !== undefined).flatMap((e) =>
        [10, 5].map((seq) => [s, e, seq] as const),
      ),
    );
    test.each(cases)('%s × %s with seq %i, last_event_seq 10 → SeqRegression', (s, e, seq) => {
      const record = deepFreeze({ ...stateIn(s), lastEventSeq: 10 });
      expect(err(stepChecked(record, eventOf(e, seq), HALT))).toStrictEqual({
        type: 'SeqRegression',
        got: seq,
        last: 10,
        rolloutId: 'r1',
        hostname: 'h1',
      });
    });
  });

  test('3. converged_with_wrong_current_closure_rejected', () => {
    const e = eventOf('LocalConvergedReached', 1, {
      currentClosure: 'different-from-target',
      convergedAt: T0 + 6 * MIN,
    });
    expect(err(stepChecked(stateIn('Soaking'), e, HALT))).toStrictEqual({
      type: 'Invariant',
      message: SPEC_INVARIANT.closure,
    });
  });

  test('4. converged_before_soak_due_at_rejected', () => {
    const e = eventOf('LocalConvergedReached', 1, {
      currentClosure: TARGET,
      convergedAt: T0 + 1 * MIN,
    });
    expect(err(stepChecked(stateIn('Soaking'), e, HALT))).toStrictEqual({
      type: 'Invariant',
      message: SPEC_INVARIANT.soak,
    });
  });

  test('5. converged_with_failing_observe_probe_accepted', () => {
    const record = deepFreeze({
      ...stateIn('Soaking'),
      probes: {
        'nginx-version': {
          status: 'pass',
          mode: 'enforce',
          lastObservedAt: T0 + 5 * MIN,
          lastPassAt: T0 + 5 * MIN,
          failureReason: null,
        },
        'evidence-nis2': {
          status: 'fail',
          mode: 'observe',
          lastObservedAt: T0 + 5 * MIN,
          lastPassAt: null,
          failureReason: 'control not met',
        },
      },
    } satisfies HostRecord);
    const r = ok(
      stepChecked(
        record,
        eventOf('LocalConvergedReached', 1, { currentClosure: TARGET, convergedAt: T0 + 6 * MIN }),
        HALT,
      ),
    );
    expect(r.record.state).toBe('Converged');
  });

  test('6. converged_with_failing_enforce_probe_rejected', () => {
    const record = deepFreeze({
      ...stateIn('Soaking'),
      probes: {
        'nginx-version': {
          status: 'fail',
          mode: 'enforce',
          lastObservedAt: T0 + 5 * MIN,
          lastPassAt: null,
          failureReason: 'HTTP 503',
        },
      },
    } satisfies HostRecord);
    const e = eventOf('LocalConvergedReached', 1, {
      currentClosure: TARGET,
      convergedAt: T0 + 6 * MIN,
    });
    expect(err(stepChecked(record, e, HALT))).toStrictEqual({
      type: 'Invariant',
      message: SPEC_INVARIANT.probes,
    });
  });

  test('7. step_is_deterministic (proptest: seq in 1..1000)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (seq) => {
        const e = eventOf('LocalActivate', seq);
        const a = hostStep(stateIn('Pending'), e, HALT);
        const b = hostStep(stateIn('Pending'), e, HALT);
        expect(b).toStrictEqual(a);
        expect(ok(a).record.state).toBe('Activating');
        expect(ok(a).record.lastEventSeq).toBe(ok(b).record.lastEventSeq);
        expect(ok(a).effects).toHaveLength(ok(b).effects.length);
      }),
    );
  });

  test('8. converged_implies_current_eq_target (proptest)', () => {
    let converged = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(TARGET, 'other', PRIOR, ''),
        fc.integer({ min: 0, max: 10 * 60 }),
        fc.integer({ min: 1, max: 999 }),
        (closure, secs, seq) => {
          const e: HostEvent = eventOf('LocalConvergedReached', seq, {
            currentClosure: closure,
            convergedAt: T0 + secs * SEC,
          });
          const r = stepChecked(stateIn('Soaking'), e, HALT);
          if (r.ok && r.record.state === 'Converged') {
            converged++;
            expect(r.record.currentClosure).toBe(r.record.targetClosure);
          }
        },
      ),
      { numRuns: 300 },
    );
    expect(converged).toBeGreaterThan(0);
  });

  test('9. terminal_states_reject_all_events (proptest: Converged and Reverted, 20 events, seq in 1..1000)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Converged', 'Reverted' as const),
        fc.constantFrom(...TWENTY),
        fc.integer({ min: 1, max: 999 }),
        (s, e, seq) => {
          expect(err(stepChecked(stateIn(s), eventOf(e, seq), HALT)).type).toBe('IllegalForState');
        },
      ),
      { numRuns: 300 },
    );
  });

  test('10. last_event_seq_advances_on_success (proptest)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999 }), (seq) => {
        expect(
          ok(stepChecked(stateIn('Pending'), eventOf('LocalActivate', seq), HALT)).record
            .lastEventSeq,
        ).toBe(seq);
      }),
    );
  });

  test('11. activation_completed_emits_reset_probe_cache_effect', () => {
    const e = eventOf('LocalActivationCompleted', 1, { observedCurrentClosure: TARGET });
    const r = ok(stepChecked(stateIn('Activating'), e, HALT));
    expect(r.effects).toContainEqual({ type: 'LocalResetProbeCache', rolloutId: 'r1' });
  });

  test('12. rollback_complete_emits_quarantine_on_remote_side', () => {
    const e = eventOf('RemoteRollbackComplete', 1, { revertedToClosure: PRIOR });
    const r = ok(stepChecked(stateIn('Failed'), e, HALT));
    expect(r.effects).toContainEqual({
      type: 'RemoteInsertQuarantine',
      channel: 'stable',
      closure: 'target-abc',
    });
  });
});
