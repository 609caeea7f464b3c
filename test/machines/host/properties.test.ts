import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { HostEvent, HostEventOf, HostEventType } from '../../../machines/host/event.ts';
import type {
  HostPolicy,
  HostRecord,
  HostState,
  OnHealthFailure,
  ProbeMode,
  ProbeSubResult,
} from '../../../machines/host/state.ts';
import { type HostStepResult, hostStep, hostStepViaXState } from '../../../machines/host/step.ts';
import {
  SPEC_EVENTS,
  SPEC_STATES,
  specCell,
  specEventTime,
  specStep,
} from '../../../sim/spec-model/host.ts';
import { deepFreeze, PRIOR, RID, recordIn, SEC, SOAK_DUE, T0, TARGET } from './fixtures.ts';

/*
 * Properties over generated event sequences: 1–40 events of all 24 variants, seqs that
 * advance, repeat, regress and jump, both policies (per step), a few probe names and all
 * three modes, closures from a small set that includes the target and "" (a known but
 * empty prior closure). Each sequence starts from a hand-built record in any of the seven
 * states. Half the steps pick among the events legal in the current state (by the spec
 * table) so runs get deep; the rest pick from all 24.
 */

const CLOSURES = [TARGET, PRIOR, 'other-closure', ''] as const;
const PROBE_NAMES = ['nginx-version', 'evidence-nis2', 'disk'] as const;
const MODES: readonly ProbeMode[] = ['enforce', 'observe', 'disabled'];
const POLICY_NAMES: readonly OnHealthFailure[] = ['halt', 'rollback-and-halt'];

const timeArb = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 10 * 60 }).map((s) => T0 + s * SEC) },
  { weight: 1, arbitrary: fc.constantFrom(SOAK_DUE, SOAK_DUE - 1, SOAK_DUE + 1) },
);
const modeArb = fc.constantFrom(...MODES);
const subResultArb: fc.Arbitrary<ProbeSubResult> = fc.record({
  controlId: fc.constantFrom('encryption-at-rest', 'access-control'),
  status: fc.constantFrom('pass' as const, 'fail' as const),
  framework: fc.constant('nis2'),
  article: fc.option(fc.constant('Art. 21'), { nil: null }),
  effectiveMode: modeArb,
  overrideReason: fc.option(fc.constant('audit window'), { nil: null }),
});

/** Every field any event could need; the event type is chosen at run time. */
const fieldsArb = fc.record({
  closure: fc.constantFrom(...CLOSURES),
  observed: fc.constantFrom(...CLOSURES),
  at: timeArb,
  probeName: fc.constantFrom(...PROBE_NAMES),
  mode: modeArb,
  status: fc.constantFrom('pass' as const, 'fail' as const),
  failureReason: fc.option(fc.constantFrom('HTTP 503', 'timeout'), { nil: null }),
  subResults: fc.option(fc.array(subResultArb, { maxLength: 2 }), { nil: null }),
  exitCode: fc.integer({ min: -2, max: 255 }),
  component: fc.constantFrom('dbus', 'systemd', 'kernel', 'init'),
  eventPolicy: fc.constantFrom(...POLICY_NAMES),
  duration: fc.integer({ min: 0, max: 600 }),
  failing: fc.subarray([...PROBE_NAMES]),
  topology: fc
    .subarray([...PROBE_NAMES])
    .chain((names) =>
      fc.tuple(...names.map((n) => modeArb.map((mode) => ({ probeName: n, kind: 'exec', mode })))),
    ),
});
type Fields = typeof fieldsArb extends fc.Arbitrary<infer F> ? F : never;

type SeqMove =
  | { readonly kind: 'delta'; readonly d: number }
  | { readonly kind: 'abs'; readonly v: number };
const seqArb: fc.Arbitrary<SeqMove> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.integer({ min: 1, max: 3 }).map((d) => ({ kind: 'delta' as const, d })),
  },
  {
    weight: 2,
    arbitrary: fc.integer({ min: -3, max: 0 }).map((d) => ({ kind: 'delta' as const, d })),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 0, max: 80 }).map((v) => ({ kind: 'abs' as const, v })),
  },
);

const stepArb = fc.record({
  legal: fc.boolean(),
  pick: fc.nat(),
  seq: seqArb,
  policy: fc.constantFrom(...POLICY_NAMES),
  fields: fieldsArb,
});
type Step = typeof stepArb extends fc.Arbitrary<infer S> ? S : never;

const startArb = fc.record({
  state: fc.oneof(
    { weight: 3, arbitrary: fc.constant<HostState>('Pending') },
    { weight: 4, arbitrary: fc.constantFrom<HostState>(...SPEC_STATES) },
  ),
  cadNull: fc.boolean(),
  soakNull: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  last: fc.integer({ min: 0, max: 5 }),
});

const runArb = fc.record({
  start: startArb,
  steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
});
type Run = typeof runArb extends fc.Arbitrary<infer R> ? R : never;

function materialize(type: HostEventType, f: Fields, seq: number): HostEvent {
  const by: { [T in HostEventType]: Omit<HostEventOf<T>, 'type' | 'seq'> } = {
    LocalActivate: {
      currentClosureAtDispatch: f.closure,
      targetClosure: f.observed,
      receivedAt: f.at,
      soakDueAt: f.at,
    },
    RemoteDispatchAck: { currentClosureAtDispatch: f.closure, receivedAt: f.at },
    LocalActivationStarted: { startedAt: f.at, switchMethod: 'switch' },
    RemoteActivationStarted: { startedAt: f.at, switchMethod: 'boot' },
    LocalActivationCompleted: {
      observedCurrentClosure: f.observed,
      exitCode: f.exitCode,
      completedAt: f.at,
    },
    RemoteActivationCompleted: {
      observedCurrentClosure: f.observed,
      exitCode: f.exitCode,
      completedAt: f.at,
    },
    LocalActivationDeferred: { component: f.component, deferredAt: f.at },
    RemoteActivationDeferred: { component: f.component, deferredAt: f.at },
    LocalActivationFailed: { exitCode: f.exitCode, stderrTail: 'tail', failedAt: f.at },
    RemoteActivationFailed: { exitCode: f.exitCode, stderrTail: 'tail', failedAt: f.at },
    LocalProbeTopologyDeclared: { probes: f.topology, declaredAt: f.at },
    RemoteProbeTopologyDeclared: { probes: f.topology, declaredAt: f.at },
    LocalProbeObservedFirst: { probeName: f.probeName, mode: f.mode, observedAt: f.at },
    RemoteProbeObservedFirst: { probeName: f.probeName, mode: f.mode, observedAt: f.at },
    LocalProbeResult: {
      probeName: f.probeName,
      mode: f.mode,
      status: f.status,
      observedAt: f.at,
      failureReason: f.failureReason,
      subResults: f.subResults,
    },
    RemoteProbeResult: {
      probeName: f.probeName,
      mode: f.mode,
      status: f.status,
      observedAt: f.at,
      failureReason: f.failureReason,
      subResults: f.subResults,
    },
    LocalProbeFailureFirst: { probeName: f.probeName, mode: f.mode, firstFailedAt: f.at },
    RemoteProbeFailureFirst: { probeName: f.probeName, mode: f.mode, firstFailedAt: f.at },
    LocalSustainedFailureCrossed: {
      failedAt: f.at,
      sustainedDurationSecs: f.duration,
      failingProbes: f.failing,
      policyApplied: f.eventPolicy,
    },
    RemoteFailed: {
      failedAt: f.at,
      sustainedDurationSecs: f.duration,
      failingProbes: f.failing,
      policyApplied: f.eventPolicy,
    },
    LocalRollbackCompleted: {
      revertedToClosure: f.closure,
      exitCode: f.exitCode,
      completedAt: f.at,
    },
    RemoteRollbackComplete: {
      revertedToClosure: f.closure,
      exitCode: f.exitCode,
      completedAt: f.at,
    },
    // Converging events aim at the target most of the time.
    LocalConvergedReached: {
      convergedAt: f.at,
      currentClosure: f.observed === 'other-closure' ? f.observed : TARGET,
    },
    RemoteConverged: { convergedAt: f.at, currentClosure: f.observed === '' ? f.observed : TARGET },
  };
  return deepFreeze({ type, ...by[type], seq } as HostEvent);
}

function startRecord(s: Run['start']): HostRecord {
  const base = recordIn(s.state);
  return recordIn(s.state, {
    currentClosureAtDispatch: s.cadNull ? null : base.currentClosureAtDispatch,
    soakDueAt: s.soakNull ? null : base.soakDueAt,
    lastEventSeq: s.last + (s.state === 'Pending' ? 0 : base.lastEventSeq),
  });
}

interface Traced {
  readonly before: HostRecord;
  readonly event: HostEvent;
  readonly policy: HostPolicy;
  readonly result: HostStepResult;
}

function chooseEvent(state: HostState, step: Step, last: number): HostEvent {
  const legal = SPEC_EVENTS.filter((e) => specCell(state, e) !== undefined);
  const pool = step.legal && legal.length > 0 ? legal : SPEC_EVENTS;
  const type = pool[step.pick % pool.length] as HostEventType;
  const seq = step.seq.kind === 'delta' ? Math.max(0, last + step.seq.d) : step.seq.v;
  return materialize(type, step.fields, seq);
}

/** Runs a generated sequence through `step`, feeding each success forward. */
function trace(run: Run, step = hostStep): Traced[] {
  let record = startRecord(run.start);
  const out: Traced[] = [];
  for (const s of run.steps) {
    const event = chooseEvent(record.state, s, record.lastEventSeq);
    const policy = { onHealthFailure: s.policy };
    const result = step(record, event, policy);
    out.push({ before: record, event, policy, result });
    if (result.ok) record = deepFreeze(result.record);
  }
  return out;
}

const NUM_RUNS = 500;
const check = (predicate: (t: Traced[], run: Run) => void, numRuns = NUM_RUNS) =>
  fc.assert(
    fc.property(runArb, (run) => {
      predicate(trace(run), run);
    }),
    { numRuns },
  );

describe('host machine properties over generated event sequences', () => {
  test('the generator reaches all 28 legal cells, every error kind and all three invariant messages', () => {
    const cells = new Set<string>();
    const errors = new Set<string>();
    for (const run of fc.sample(runArb, { numRuns: 2000, seed: 20260516 })) {
      for (const t of trace(run)) {
        if (t.result.ok) cells.add(`${t.before.state} × ${t.event.type}`);
        else
          errors.add(
            t.result.error.type === 'Invariant' ? t.result.error.message : t.result.error.type,
          );
      }
    }
    expect(cells.size).toBe(28);
    expect(errors).toEqual(
      new Set([
        'SeqRegression',
        'IllegalForState',
        'Converged event: current_closure != target_closure',
        'Converged event: converged_at before soak_due_at',
        'Converged event: at least one enforce-mode probe is not Pass',
      ]),
    );
  });

  test('errors leave the record untouched (inputs are deep-frozen; the result carries no record)', () => {
    check((ts) => {
      for (const t of ts) {
        const snapshot = structuredClone(t.before);
        const again = hostStep(t.before, t.event, t.policy);
        expect(t.before).toStrictEqual(snapshot);
        if (!again.ok) expect(Object.keys(again).sort()).toEqual(['error', 'ok']);
      }
      // The next input after an error is the very record that was refused.
      for (let i = 0; i + 1 < ts.length; i++) {
        const t = ts[i] as Traced;
        if (!t.result.ok) expect(ts[i + 1]?.before).toBe(t.before);
      }
    });
  });

  test('exactly one RecordTransition per state change (from/to/at/host/rollout match), none otherwise', () => {
    check((ts) => {
      for (const { before, event, result } of ts) {
        if (!result.ok) continue;
        const rts = result.effects.filter((e) => e.type === 'RecordTransition');
        if (result.record.state === before.state) {
          expect(rts).toEqual([]);
        } else {
          expect(rts).toStrictEqual([
            {
              type: 'RecordTransition',
              host: before.hostname,
              rolloutId: before.rolloutId,
              from: before.state,
              to: result.record.state,
              at: specEventTime(event),
            },
          ]);
        }
      }
    });
  });

  test('a Converged record has current == target, converged_at >= soak_due_at (if set), every enforce probe Pass', () => {
    check((ts) => {
      for (const { result } of ts) {
        if (!result.ok || result.record.state !== 'Converged') continue;
        const r = result.record;
        expect(r.currentClosure).toBe(r.targetClosure);
        expect(r.convergedAt).not.toBeNull();
        if (r.soakDueAt !== null)
          expect(r.convergedAt as number).toBeGreaterThanOrEqual(r.soakDueAt);
        for (const p of Object.values(r.probes))
          if (p.mode === 'enforce') expect(p.status).toBe('pass');
      }
    });
  });

  test('Converged and Reverted reject everything (SeqRegression if stale, else IllegalForState)', () => {
    check((ts) => {
      for (const { before, event, result } of ts) {
        if (before.state !== 'Converged' && before.state !== 'Reverted') continue;
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.type).toBe(
            event.seq <= before.lastEventSeq ? 'SeqRegression' : 'IllegalForState',
          );
        }
      }
    });
  });

  test('last_event_seq becomes seq on success, never decreases, and a stale seq always fails', () => {
    check((ts, run) => {
      let last = startRecord(run.start).lastEventSeq;
      for (const { before, event, result } of ts) {
        expect(before.lastEventSeq).toBe(last);
        if (event.seq <= before.lastEventSeq) {
          expect(result).toStrictEqual({
            ok: false,
            error: {
              type: 'SeqRegression',
              got: event.seq,
              last: before.lastEventSeq,
              rolloutId: RID,
              hostname: before.hostname,
            },
          });
        }
        if (result.ok) {
          expect(result.record.lastEventSeq).toBe(event.seq);
          expect(result.record.lastEventSeq).toBeGreaterThan(last);
          last = result.record.lastEventSeq;
        }
      }
    });
  });

  test('determinism: the same sequence gives the same results', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        expect(trace(run)).toStrictEqual(trace(run));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('the compiled step equals hostStepViaXState on every step', () => {
    fc.assert(
      fc.property(runArb, (run) => {
        for (const t of trace(run)) {
          expect(hostStepViaXState(t.before, t.event, t.policy)).toStrictEqual(t.result);
        }
        // And a whole run through XState alone follows the same path.
        expect(trace(run, hostStepViaXState)).toStrictEqual(trace(run));
      }),
      { numRuns: 300 },
    );
  });

  test('the step equals the spec model (sim/spec-model/host.ts) on every step', () => {
    check((ts) => {
      for (const t of ts) expect(t.result).toStrictEqual(specStep(t.before, t.event, t.policy));
    });
  });

  test('LocalFireRollbackTo iff →Failed via a Local event under rollback-and-halt with a known prior closure; it targets current_closure_at_dispatch and comes last', () => {
    check((ts) => {
      for (const { before, event, policy, result } of ts) {
        if (!result.ok) continue;
        const rollbacks = result.effects.filter((e) => e.type === 'LocalFireRollbackTo');
        const rollsBack =
          result.record.state === 'Failed' &&
          before.currentClosureAtDispatch !== null &&
          ((event.type === 'LocalActivationFailed' &&
            before.state === 'Activating' &&
            policy.onHealthFailure === 'rollback-and-halt') ||
            (event.type === 'LocalSustainedFailureCrossed' &&
              event.policyApplied === 'rollback-and-halt'));
        if (!rollsBack) {
          expect(rollbacks).toEqual([]);
          continue;
        }
        expect(rollbacks).toHaveLength(1);
        expect(result.effects.at(-1)).toStrictEqual({
          type: 'LocalFireRollbackTo',
          rolloutId: before.rolloutId,
          closure: before.currentClosureAtDispatch,
        });
      }
    });
  });

  test('Remote events produce no agent-side effects; Local events no CP-side ones', () => {
    check((ts) => {
      for (const { event, result } of ts) {
        if (!result.ok) continue;
        const side = event.type.startsWith('Local') ? 'Local' : 'Remote';
        for (const e of result.effects) {
          if (e.type !== 'RecordTransition') expect(e.type.startsWith(side)).toBe(true);
        }
      }
    });
  });
});
