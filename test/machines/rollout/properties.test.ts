/*
 * Properties of the rollout reducer over generated event sequences (spec §5.1, plus the
 * properties §5.1 lists as "hold in the code but are not tested directly").
 *
 * Unlike upstream's `arb_event`, the generator covers ALL eight variants (including
 * OperatorClearance), HostStateChanged with all seven host states (including Deferred),
 * waves 0..4 and varied `at` values, and ids that name r1 or some other rollout. When a
 * step errors, the previous record is kept (as upstream).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { RolloutEvent } from '../../../machines/rollout/event.ts';
import type { RolloutRecord, RolloutState } from '../../../machines/rollout/state.ts';
import {
  type RolloutStepResult,
  rolloutStep,
  rolloutStepViaXState,
} from '../../../machines/rollout/step.ts';
import { expectedStep } from '../../../sim/spec-model/rollout.ts';
import {
  DAY,
  deepFreeze,
  EVENT_TYPES,
  FOREIGN_ID,
  FOREIGN_SUCCESSOR_ID,
  HOST_STATES,
  R1_ID,
  R2_ID,
  r1,
  STATES,
  T0,
} from './fixtures.ts';

const NUM_RUNS = 500;

// ---------------------------------------------------------------------------------------
// Arbitraries

const atArb = fc.integer({ min: T0, max: T0 + 120 * DAY });
const waveArb = fc.integer({ min: 0, max: 4 });
const idArb = fc.constantFrom(R1_ID, R2_ID, FOREIGN_ID);
const hostArb = fc.constantFrom(...HOST_STATES);
const hostIdArb = fc.constantFrom('h1', 'h2', 'h3');

const rolloutOpenedArb = fc
  .record({ rolloutId: idArb, targetRef: fc.constantFrom('ref-1', 'ref-2'), at: atArb })
  .map((e): RolloutEvent => ({ type: 'RolloutOpened', channel: 'stable', ...e }));
const hostJoinedArb = fc
  .record({ rolloutId: idArb, hostId: hostIdArb, wave: waveArb, at: atArb })
  .map((e): RolloutEvent => ({ type: 'HostJoined', ...e }));
const hostStateChangedArb = fc
  .record({ rolloutId: idArb, hostId: hostIdArb, from: hostArb, to: hostArb, at: atArb })
  .map((e): RolloutEvent => ({ type: 'HostStateChanged', ...e }));
const waveAdvancedArb = fc
  .record({ rolloutId: idArb, fromWave: waveArb, toWave: waveArb, at: atArb })
  .map((e): RolloutEvent => ({ type: 'WaveAdvanced', ...e }));
const rolloutTerminalArb = fc
  .record({ rolloutId: idArb, at: atArb })
  .map((e): RolloutEvent => ({ type: 'RolloutTerminal', ...e }));
const successorOpenedArb = fc
  .record({
    supersededRolloutId: idArb,
    successorRolloutId: fc.constantFrom(R2_ID, FOREIGN_SUCCESSOR_ID),
    at: atArb,
  })
  .map((e): RolloutEvent => ({ type: 'SuccessorOpened', ...e }));
const retentionExpiredArb = fc
  .record({ rolloutId: idArb, at: atArb })
  .map((e): RolloutEvent => ({ type: 'RetentionExpired', ...e }));
const operatorClearanceArb = fc
  .record({
    rolloutId: idArb,
    operator: fc.constantFrom('alice', 'bob'),
    reason: fc.string({ maxLength: 8 }),
    at: atArb,
  })
  .map((e): RolloutEvent => ({ type: 'OperatorClearance', ...e }));

/** All eight variants; the ones that end a rollout are rarer so sequences get somewhere. */
const eventArb: fc.Arbitrary<RolloutEvent> = fc.oneof(
  { arbitrary: rolloutOpenedArb, weight: 1 },
  { arbitrary: hostJoinedArb, weight: 3 },
  { arbitrary: hostStateChangedArb, weight: 3 },
  { arbitrary: waveAdvancedArb, weight: 4 },
  { arbitrary: rolloutTerminalArb, weight: 1 },
  { arbitrary: successorOpenedArb, weight: 1 },
  { arbitrary: retentionExpiredArb, weight: 1 },
  { arbitrary: operatorClearanceArb, weight: 1 },
);

const eventsArb = fc.array(eventArb, { minLength: 1, maxLength: 40 });

const openingArb: fc.Arbitrary<RolloutRecord> = fc.constant(r1());

/**
 * A record in any of the eight states, shaped like one the reducer could have produced:
 * Terminal carries terminal_at, Superseded carries superseded_at, and the other
 * timestamps may or may not be set (e.g. a Pruned row that was Terminal, then Superseded).
 */
function recordInArb(stateArb: fc.Arbitrary<RolloutState>): fc.Arbitrary<RolloutRecord> {
  return fc
    .record({
      rolloutId: fc.constantFrom(R1_ID, R2_ID),
      state: stateArb,
      currentWave: waveArb,
      openedEventLogSeq: fc.option(fc.nat(1000), { nil: null }),
      lastTransitionEventLogSeq: fc.option(fc.nat(1000), { nil: null }),
      openedAt: fc.integer({ min: T0 - DAY, max: T0 }),
      terminalAt: fc.option(atArb, { nil: null }),
      supersededAt: fc.option(atArb, { nil: null }),
      fallbackAt: atArb,
    })
    .map(
      ({ fallbackAt, ...r }): RolloutRecord => ({
        ...r,
        channel: 'stable',
        targetRef: r.rolloutId === R1_ID ? 'ref-1' : 'ref-2',
        terminalAt: r.state === 'Terminal' ? (r.terminalAt ?? fallbackAt) : r.terminalAt,
        supersededAt: r.state === 'Superseded' ? (r.supersededAt ?? fallbackAt) : r.supersededAt,
      }),
    );
}

const anyRecordArb = recordInArb(fc.constantFrom(...STATES));

// ---------------------------------------------------------------------------------------
// Running a sequence

interface Step {
  readonly before: RolloutRecord;
  readonly event: RolloutEvent;
  readonly result: RolloutStepResult;
  /** The record carried on: the new one on success, the previous one on error. */
  readonly after: RolloutRecord;
}

/** Runs the fast path over `events`, keeping the previous record when a step errors. */
function run(start: RolloutRecord, events: readonly RolloutEvent[]): Step[] {
  const steps: Step[] = [];
  let record = deepFreeze(structuredClone(start));
  for (const event of events) {
    const frozenEvent = deepFreeze(structuredClone(event));
    const result = rolloutStep(record, frozenEvent);
    const after = result.ok ? deepFreeze(result.record) : record;
    steps.push({ before: record, event: frozenEvent, result, after });
    record = after;
  }
  return steps;
}

function assertSequence(
  startArb: fc.Arbitrary<RolloutRecord>,
  check: (step: Step, index: number, steps: readonly Step[]) => void,
): void {
  fc.assert(
    fc.property(startArb, eventsArb, (start, events) => {
      const steps = run(start, events);
      for (const [i, step] of steps.entries()) check(step, i, steps);
    }),
    { numRuns: NUM_RUNS },
  );
}

const describeStep = (s: Step) => `${s.before.state} × ${JSON.stringify(s.event)}`;

// ---------------------------------------------------------------------------------------

describe('rollout reducer properties over sequences from Opening (spec §5.1)', () => {
  test('terminal_implies_terminal_at: a step into Terminal leaves terminal_at set', () => {
    assertSequence(openingArb, (s) => {
      if (s.result.ok && s.after.state === 'Terminal') expect(s.after.terminalAt).not.toBeNull();
    });
  });

  test('superseded_implies_superseded_at: a step into Superseded leaves superseded_at set', () => {
    assertSequence(openingArb, (s) => {
      if (s.result.ok && s.after.state === 'Superseded') {
        expect(s.after.supersededAt).not.toBeNull();
      }
    });
  });

  test('pruned_is_absorbing: every event in Pruned is IllegalForState{from: Pruned}', () => {
    fc.assert(
      fc.property(recordInArb(fc.constant('Pruned')), eventArb, (record, event) => {
        const expected = {
          ok: false,
          error: {
            type: 'IllegalForState',
            from: 'Pruned',
            event: event.type,
            rolloutId: record.rolloutId,
          },
        };
        expect(rolloutStep(record, event)).toStrictEqual(expected);
        expect(rolloutStepViaXState(record, event)).toStrictEqual(expected);
      }),
      { numRuns: NUM_RUNS },
    );
    // …and a whole sequence leaves it exactly where it was.
    assertSequence(recordInArb(fc.constant('Pruned')), (s) => {
      expect(s.result.ok).toBe(false);
      expect(s.after).toBe(s.before);
    });
  });

  test('current_wave_is_monotonic: the cursor never decreases across a sequence', () => {
    assertSequence(openingArb, (s, i, steps) => {
      expect(s.after.currentWave).toBeGreaterThanOrEqual(s.before.currentWave);
      if (i === steps.length - 1) {
        const cursors = [
          steps[0]?.before.currentWave ?? 0,
          ...steps.map((x) => x.after.currentWave),
        ];
        expect(cursors).toStrictEqual([...cursors].sort((a, b) => a - b));
      }
    });
  });

  test('record_rollout_transition_matches_actual_change: from == state before, to == state after', () => {
    assertSequence(openingArb, (s) => {
      if (!s.result.ok) return;
      for (const e of s.result.effects) {
        if (e.type !== 'RecordRolloutTransition') continue;
        expect(e.from, describeStep(s)).toBe(s.before.state);
        expect(e.to, describeStep(s)).toBe(s.after.state);
        expect(e.at).toBe(s.event.at);
        expect(e.rolloutId).toBe(s.before.rolloutId);
      }
    });
  });

  test('exactly one RecordRolloutTransition when the state changes, none when it does not', () => {
    assertSequence(openingArb, (s) => {
      if (!s.result.ok) return;
      const n = s.result.effects.filter((e) => e.type === 'RecordRolloutTransition').length;
      expect(n, describeStep(s)).toBe(s.after.state === s.before.state ? 0 : 1);
    });
  });

  test('UpdateCurrentWave.wave equals the new current_wave and appears only when the cursor moved', () => {
    assertSequence(openingArb, (s) => {
      if (!s.result.ok) return;
      const updates = s.result.effects.filter((e) => e.type === 'UpdateCurrentWave');
      if (s.after.currentWave === s.before.currentWave) {
        expect(updates, describeStep(s)).toStrictEqual([]);
      } else {
        expect(updates, describeStep(s)).toStrictEqual([
          { type: 'UpdateCurrentWave', rolloutId: s.before.rolloutId, wave: s.after.currentWave },
        ]);
      }
      // The reducer emits only these two effect kinds (§2.1).
      for (const e of s.result.effects) {
        expect(['RecordRolloutTransition', 'UpdateCurrentWave']).toContain(e.type);
      }
    });
  });

  test('terminal_at and superseded_at, once set, are never cleared or changed', () => {
    assertSequence(openingArb, (s) => {
      if (s.before.terminalAt !== null) expect(s.after.terminalAt).toBe(s.before.terminalAt);
      if (s.before.supersededAt !== null) expect(s.after.supersededAt).toBe(s.before.supersededAt);
      // …and they are only ever set by entering Terminal / Superseded.
      if (s.before.terminalAt === null && s.after.terminalAt !== null) {
        expect(s.after.state).toBe('Terminal');
        expect(s.after.terminalAt).toBe(s.event.at);
      }
      if (s.before.supersededAt === null && s.after.supersededAt !== null) {
        expect(s.after.state).toBe('Superseded');
        expect(s.after.supersededAt).toBe(s.event.at);
      }
    });
  });

  test('identity fields never change; only state, current_wave, terminal_at, superseded_at do', () => {
    assertSequence(openingArb, (s) => {
      const {
        state: _a,
        currentWave: _b,
        terminalAt: _c,
        supersededAt: _d,
        ...fixedAfter
      } = s.after;
      const {
        state: _e,
        currentWave: _f,
        terminalAt: _g,
        supersededAt: _h,
        ...fixedBefore
      } = s.before;
      expect(fixedAfter).toStrictEqual(fixedBefore);
    });
  });

  test('errors leave the record untouched and produce no record', () => {
    fc.assert(
      fc.property(fc.oneof(openingArb, anyRecordArb), eventsArb, (start, events) => {
        let record = start;
        for (const event of events) {
          const snapshot = structuredClone(record);
          for (const step of [rolloutStep, rolloutStepViaXState]) {
            const result = step(record, event);
            if (result.ok) continue;
            expect(Object.keys(result).sort()).toStrictEqual(['error', 'ok']);
            expect(record, 'input unchanged').toStrictEqual(snapshot);
          }
          const result = rolloutStep(record, event);
          if (result.ok) record = result.record;
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  test('the step is deterministic: the same input twice gives deep-equal output', () => {
    assertSequence(openingArb, (s) => {
      const again = rolloutStep(structuredClone(s.before), structuredClone(s.event));
      expect(again).toStrictEqual(s.result);
    });
  });

  test('the fast path equals rolloutStepViaXState on every step of every sequence', () => {
    assertSequence(fc.oneof(openingArb, anyRecordArb), (s) => {
      expect(rolloutStepViaXState(s.before, s.event), describeStep(s)).toStrictEqual(s.result);
    });
  });
});

describe('agreement with the spec table (sim/spec-model/rollout.ts) from any state', () => {
  test('a single step from a record in any of the 8 states equals expectedStep', () => {
    fc.assert(
      fc.property(anyRecordArb, eventArb, (record, event) => {
        const expected = expectedStep(record, event);
        expect(rolloutStep(record, event), `${record.state} × ${event.type}`).toStrictEqual(
          expected,
        );
        expect(
          rolloutStepViaXState(record, event),
          `${record.state} × ${event.type}`,
        ).toStrictEqual(expected);
      }),
      { numRuns: 5 * NUM_RUNS },
    );
  });

  test.each(STATES)('every step of a sequence starting in %s equals expectedStep', (state) => {
    assertSequence(recordInArb(fc.constant(state)), (s) => {
      expect(s.result, describeStep(s)).toStrictEqual(expectedStep(s.before, s.event));
    });
  });
});

describe('generator coverage (fixed seed)', () => {
  // Not a property of the machine: a guard that the generator really reaches every
  // (state × event) cell and every branch of the §1.5 WaveAdvanced rule.
  test('sequences from Opening reach all 64 cells, all 7 host `to`s and every WaveAdvanced branch', () => {
    const cells = new Set<string>();
    const hostTos = new Set<string>();
    const waveBranches = new Set<string>();
    for (const events of fc.sample(eventsArb, { numRuns: 2000, seed: 20260516 })) {
      for (const s of run(r1(), events)) {
        cells.add(`${s.before.state} × ${s.event.type}`);
        if (s.event.type === 'HostStateChanged') hostTos.add(s.event.to);
        if (
          s.event.type === 'WaveAdvanced' &&
          (s.before.state === 'Active' || s.before.state === 'Converging')
        ) {
          const { fromWave, toWave } = s.event;
          const direction =
            toWave > fromWave ? 'forward' : toWave === fromWave ? 'equal' : 'backward';
          const cursor =
            toWave > fromWave ? (toWave > s.before.currentWave ? '+bump' : '-bump') : '';
          waveBranches.add(`${s.before.state} ${direction}${cursor}`);
        }
      }
    }
    expect(cells.size).toBe(STATES.length * EVENT_TYPES.length);
    expect([...hostTos].sort()).toStrictEqual([...HOST_STATES].sort());
    expect([...waveBranches].sort()).toStrictEqual(
      [
        'Active forward+bump',
        'Active forward-bump',
        'Active equal',
        'Active backward',
        'Converging forward+bump',
        'Converging forward-bump',
        'Converging equal',
        'Converging backward',
      ].sort(),
    );
  });
});
