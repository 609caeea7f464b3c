/*
 * Spec §1.4–§1.6, cell by cell: every (state × event) cell of the 8×8 table, with the
 * HostStateChanged and WaveAdvanced sub-cases, as an explicit list of expected outcomes.
 * Each row runs through rolloutStep AND rolloutStepViaXState (which must agree), with the
 * event naming r1 and again naming some other rollout (the reducer never compares ids),
 * and is cross-checked against the independent `expectedStep` of sim/spec-model/rollout.ts.
 */
import { describe, expect, test } from 'vitest';
import type { RolloutEffect } from '../../../machines/rollout/effect.ts';
import type { RolloutEvent } from '../../../machines/rollout/event.ts';
import type { RolloutRecord, RolloutState } from '../../../machines/rollout/state.ts';
import {
  type RolloutStepResult,
  rolloutStep,
  rolloutStepViaXState,
} from '../../../machines/rollout/step.ts';
import { expectedStep, SPEC_TABLE } from '../../../sim/spec-model/rollout.ts';
import {
  DAY,
  deepFreeze,
  EVENT_TYPES,
  ev,
  HOST_STATES,
  HOUR,
  R1_ID,
  R3_ID,
  STATES,
  stepBoth,
  T0,
  withForeignIds,
} from './fixtures.ts';

/** Every event in the table happens at AT; the records' own timestamps are all different. */
const AT = T0 + 3 * DAY;
const TERMINAL_AT = T0 + 1 * HOUR;
const SUPERSEDED_AT = T0 + 2 * HOUR;
/** Every base record sits at cursor 2, so wave events can land below, on and above it. */
const CURSOR = 2;

/**
 * The record a row starts from: r1 in `state` at cursor 2, with non-null seq columns
 * (so "left unchanged" is observable) and the timestamps that state would carry.
 */
function base(state: RolloutState): RolloutRecord {
  return deepFreeze({
    rolloutId: R1_ID,
    channel: 'stable',
    targetRef: 'ref-1',
    state,
    currentWave: CURSOR,
    openedEventLogSeq: 11,
    lastTransitionEventLogSeq: 12,
    openedAt: T0,
    terminalAt: state === 'Terminal' || state === 'Pruned' ? TERMINAL_AT : null,
    supersededAt: state === 'Superseded' || state === 'Pruned' ? SUPERSEDED_AT : null,
  });
}

// ---------------------------------------------------------------------------------------
// Outcomes, as the spec legend states them.

type EffectSpec = { readonly rrt: RolloutState } | { readonly ucw: number };
type Outcome =
  | { readonly kind: 'ILLEGAL'; readonly name: string }
  | { readonly kind: 'UNIMPL'; readonly name: string }
  | {
      readonly kind: 'ok';
      readonly name: string;
      /** The fields that change; every other field of the record must be unchanged. */
      readonly patch: Partial<RolloutRecord>;
      /** In order. `rrt: X` = RecordRolloutTransition{r1, from: row state, to: X, at: AT}. */
      readonly effects: readonly EffectSpec[];
    };

const ILLEGAL: Outcome = { kind: 'ILLEGAL', name: 'ILLEGAL' };
const UNIMPL: Outcome = { kind: 'UNIMPL', name: 'UNIMPL' };
const NOOP: Outcome = { kind: 'ok', name: 'no-op', patch: {}, effects: [] };

/** `→X` with the listed extra field changes. */
function to(state: RolloutState, extra: Partial<RolloutRecord> = {}): Outcome {
  return { kind: 'ok', name: state, patch: { state, ...extra }, effects: [{ rrt: state }] };
}

/** Active + forward WaveAdvanced past the cursor: stays Active, only UpdateCurrentWave. */
function bump(wave: number): Outcome {
  return {
    kind: 'ok',
    name: `stays Active, cursor ${CURSOR} → ${wave}`,
    patch: { currentWave: wave },
    effects: [{ ucw: wave }],
  };
}

/** Converging + forward WaveAdvanced past the cursor: →Active, then UpdateCurrentWave. */
function activeWithBump(wave: number): Outcome {
  return {
    kind: 'ok',
    name: `Active, cursor ${CURSOR} → ${wave}`,
    patch: { state: 'Active', currentWave: wave },
    effects: [{ rrt: 'Active' }, { ucw: wave }],
  };
}

// ---------------------------------------------------------------------------------------
// Event shorthands, all at AT and naming r1.

const opened = () => ev.opened(AT);
const joined = (wave: number) => ev.joined(AT, wave, 'h3');
const host = (to: (typeof HOST_STATES)[number]) => ev.hostChanged(AT, 'Soaking', to);
const wave = (from: number, to: number) => ev.waveAdvanced(AT, from, to);
const terminal = () => ev.terminal(AT);
const successor = () => ev.successor(AT, R1_ID, R3_ID);
const retention = () => ev.retention(AT);
const clearance = () => ev.clearance(AT);

interface Row {
  readonly state: RolloutState;
  readonly label: string;
  readonly event: RolloutEvent;
  readonly outcome: Outcome;
}

function r(state: RolloutState, event: RolloutEvent, outcome: Outcome, label = ''): Row {
  return { state, event, outcome, label };
}

/** One row per `to` of the 7 host states. */
function hostRows(state: RolloutState, outcomeFor: (to: (typeof HOST_STATES)[number]) => Outcome) {
  return HOST_STATES.map((hs) => r(state, host(hs), outcomeFor(hs), `to == ${hs}`));
}

/** Active / Converging: to==Reverted →Reverted, to==Failed →Failed, any other `to` no-op. */
const hostOutcome = (hs: (typeof HOST_STATES)[number]): Outcome =>
  hs === 'Reverted' ? to('Reverted') : hs === 'Failed' ? to('Failed') : NOOP;

/** WaveAdvanced whose outcome does not depend on the waves: forward, equal, backward. */
function waveRows(state: RolloutState, outcome: Outcome): Row[] {
  return [
    r(state, wave(1, 3), outcome, 'to > from, to > current_wave'),
    r(state, wave(2, 2), outcome, 'to == from'),
    r(state, wave(3, 1), outcome, 'to < from'),
  ];
}

// ---------------------------------------------------------------------------------------
// THE TABLE. Spec §1.4 with the §1.5 WaveAdvanced rule. Base cursor is 2.

const ROWS: readonly Row[] = [
  // Opening
  r('Opening', opened(), ILLEGAL),
  r('Opening', joined(0), to('Active'), 'wave 0'),
  r('Opening', joined(3), to('Active'), 'wave 3 > current_wave: cursor not changed'),
  ...hostRows('Opening', () => ILLEGAL),
  ...waveRows('Opening', ILLEGAL),
  r('Opening', terminal(), ILLEGAL),
  r('Opening', successor(), to('Superseded', { supersededAt: AT })),
  r('Opening', retention(), ILLEGAL),
  r('Opening', clearance(), ILLEGAL),

  // Active
  r('Active', opened(), ILLEGAL),
  r('Active', joined(0), NOOP, 'wave 0'),
  r('Active', joined(4), NOOP, 'wave 4 > current_wave'),
  ...hostRows('Active', hostOutcome),
  r('Active', wave(1, 3), bump(3), 'to > from, to > current_wave'),
  r('Active', wave(3, 4), bump(4), 'to > from, from > current_wave'),
  r('Active', wave(0, 1), NOOP, 'to > from, to < current_wave'),
  r('Active', wave(1, 2), NOOP, 'to > from, to == current_wave'),
  r('Active', wave(2, 2), to('Converging'), 'to == from'),
  r('Active', wave(4, 4), to('Converging'), 'to == from > current_wave'),
  r('Active', wave(3, 1), to('Converging'), 'to < from'),
  r('Active', terminal(), to('Terminal', { terminalAt: AT })),
  r('Active', successor(), to('Superseded', { supersededAt: AT })),
  r('Active', retention(), ILLEGAL),
  r('Active', clearance(), ILLEGAL),

  // Converging
  r('Converging', opened(), ILLEGAL),
  r('Converging', joined(0), NOOP, 'wave 0'),
  r('Converging', joined(4), NOOP, 'wave 4 > current_wave'),
  ...hostRows('Converging', hostOutcome),
  r('Converging', wave(1, 3), activeWithBump(3), 'to > from, to > current_wave'),
  r('Converging', wave(3, 4), activeWithBump(4), 'to > from, from > current_wave'),
  r('Converging', wave(0, 1), to('Active'), 'to > from, to < current_wave'),
  r('Converging', wave(1, 2), to('Active'), 'to > from, to == current_wave'),
  r('Converging', wave(2, 2), NOOP, 'to == from'),
  r('Converging', wave(4, 4), NOOP, 'to == from > current_wave'),
  r('Converging', wave(3, 1), NOOP, 'to < from'),
  r('Converging', terminal(), to('Terminal', { terminalAt: AT })),
  r('Converging', successor(), to('Superseded', { supersededAt: AT })),
  r('Converging', retention(), ILLEGAL),
  r('Converging', clearance(), ILLEGAL),

  // Terminal (terminal_at = TERMINAL_AT in the base record)
  r('Terminal', opened(), ILLEGAL),
  r('Terminal', joined(4), NOOP, 'wave 4'),
  ...hostRows('Terminal', () => NOOP),
  ...waveRows('Terminal', ILLEGAL),
  r('Terminal', terminal(), NOOP, 'repeated'),
  r('Terminal', successor(), to('Superseded', { supersededAt: AT }), 'terminal_at kept'),
  r('Terminal', retention(), to('Pruned'), 'terminal_at kept'),
  r('Terminal', clearance(), ILLEGAL),

  // Reverted
  r('Reverted', opened(), ILLEGAL),
  r('Reverted', joined(4), NOOP, 'wave 4'),
  ...hostRows('Reverted', () => NOOP),
  ...waveRows('Reverted', NOOP),
  r('Reverted', terminal(), NOOP),
  r('Reverted', successor(), to('Superseded', { supersededAt: AT })),
  r('Reverted', retention(), to('Pruned')),
  r('Reverted', clearance(), UNIMPL),

  // Failed (to == Reverted stays Failed: there is no Failed → Reverted edge)
  r('Failed', opened(), ILLEGAL),
  r('Failed', joined(4), NOOP, 'wave 4'),
  ...hostRows('Failed', () => NOOP),
  ...waveRows('Failed', NOOP),
  r('Failed', terminal(), NOOP),
  r('Failed', successor(), to('Superseded', { supersededAt: AT })),
  r('Failed', retention(), to('Pruned')),
  r('Failed', clearance(), UNIMPL),

  // Superseded (superseded_at = SUPERSEDED_AT in the base record)
  r('Superseded', opened(), ILLEGAL),
  r('Superseded', joined(4), NOOP, 'wave 4'),
  ...hostRows('Superseded', () => NOOP),
  ...waveRows('Superseded', NOOP),
  r('Superseded', terminal(), NOOP),
  r('Superseded', successor(), NOOP, 'repeated, superseded_at kept'),
  r('Superseded', retention(), to('Pruned')),
  r('Superseded', clearance(), ILLEGAL),

  // Pruned: absorbing
  r('Pruned', opened(), ILLEGAL),
  r('Pruned', joined(0), ILLEGAL, 'wave 0'),
  ...hostRows('Pruned', () => ILLEGAL),
  ...waveRows('Pruned', ILLEGAL),
  r('Pruned', terminal(), ILLEGAL),
  r('Pruned', successor(), ILLEGAL),
  r('Pruned', retention(), ILLEGAL),
  r('Pruned', clearance(), ILLEGAL),
];

/** The exact result a row expects, built from the row alone. */
function expectedFor(row: Row): RolloutStepResult {
  const { state, event, outcome } = row;
  switch (outcome.kind) {
    case 'ILLEGAL':
      return {
        ok: false,
        error: { type: 'IllegalForState', from: state, event: event.type, rolloutId: R1_ID },
      };
    case 'UNIMPL':
      return {
        ok: false,
        error: { type: 'Unimplemented', from: state, event: 'OperatorClearance' },
      };
    case 'ok':
      return {
        ok: true,
        record: { ...base(state), ...outcome.patch },
        effects: outcome.effects.map(
          (e): RolloutEffect =>
            'rrt' in e
              ? {
                  type: 'RecordRolloutTransition',
                  rolloutId: R1_ID,
                  from: state,
                  to: e.rrt,
                  at: AT,
                }
              : { type: 'UpdateCurrentWave', rolloutId: R1_ID, wave: e.ucw },
        ),
      };
  }
}

function title(row: Row): string {
  const label = row.label === '' ? '' : ` (${row.label})`;
  return `${row.state} × ${row.event.type}${label} → ${row.outcome.name}`;
}

describe('rollout transition table, spec §1.4–§1.5', () => {
  test('the rows cover all 64 (state × event) cells', () => {
    const cells = new Set(ROWS.map((row) => `${row.state} × ${row.event.type}`));
    const all = STATES.flatMap((s) => EVENT_TYPES.map((e) => `${s} × ${e}`));
    expect([...cells].sort()).toEqual([...all].sort());
    expect(new Set(ROWS.map(title)).size, 'every row has a distinct name').toBe(ROWS.length);
  });

  test('HostStateChanged is tested with all 7 `to` states in every rollout state', () => {
    for (const state of STATES) {
      const tos = ROWS.filter((row) => row.state === state && row.event.type === 'HostStateChanged')
        .map((row) => (row.event.type === 'HostStateChanged' ? row.event.to : null))
        .sort();
      expect(tos, state).toEqual([...HOST_STATES].sort());
    }
  });

  describe.each(STATES)('%s', (state) => {
    test.each(ROWS.filter((row) => row.state === state).map((row) => [title(row), row] as const))(
      '%s',
      (_, row) => {
        const record = base(row.state);
        const expected = expectedFor(row);
        for (const event of [row.event, withForeignIds(row.event)]) {
          const frozenEvent = deepFreeze(structuredClone(event));
          expect(
            rolloutStep(record, frozenEvent),
            `rolloutStep, ids ${idsOf(event)}`,
          ).toStrictEqual(expected);
          expect(
            rolloutStepViaXState(record, frozenEvent),
            `rolloutStepViaXState, ids ${idsOf(event)}`,
          ).toStrictEqual(expected);
        }
        // The row agrees with the independent re-statement shared with the properties.
        expect(
          expectedStep(record, row.event),
          'sim/spec-model/rollout.ts agrees with this row',
        ).toStrictEqual(expected);
        expect(record, 'input record untouched').toStrictEqual(base(row.state));
      },
    );
  });
});

function idsOf(event: RolloutEvent): string {
  return event.type === 'SuccessorOpened'
    ? `${event.supersededRolloutId}→${event.successorRolloutId}`
    : event.rolloutId;
}

describe('sim/spec-model/rollout.ts SPEC_TABLE is the spec table', () => {
  // A second, terse transcription of the legend-level table, to catch a typo in either.
  const cells: Record<RolloutState, string> = {
    Opening: 'I A I I I S I I',
    Active: 'I - h w T S I I',
    Converging: 'I - h w T S I I',
    Terminal: 'I - - I - S P I',
    Reverted: 'I - - - - S P U',
    Failed: 'I - - - - S P U',
    Superseded: 'I - - - - - P I',
    Pruned: 'I I I I I I I I',
  };
  const code: Record<string, string> = {
    ILLEGAL: 'I',
    UNIMPL: 'U',
    'no-op': '-',
    '→Active': 'A',
    '→Terminal': 'T',
    '→Superseded': 'S',
    '→Pruned': 'P',
    'host?': 'h',
    'wave:A': 'w',
    'wave:C': 'w',
  };
  test.each(STATES)('%s row', (state) => {
    expect(EVENT_TYPES.map((e) => code[SPEC_TABLE[state][e]]).join(' ')).toBe(cells[state]);
  });
});

describe('field carry-over, spec §1.2 / §1.4', () => {
  test('terminal_at is kept when Terminal → Superseded', () => {
    const terminalRecord = { ...base('Terminal') };
    const result = stepBoth(terminalRecord, ev.successor(AT));
    expect(result).toMatchObject({
      ok: true,
      record: { state: 'Superseded', terminalAt: TERMINAL_AT, supersededAt: AT },
    });
  });

  test('a Terminal record keeps terminal_at on → Pruned, and Pruned then refuses everything', () => {
    const pruned = stepBoth(base('Terminal'), ev.retention(AT));
    expect(pruned).toMatchObject({
      ok: true,
      record: { state: 'Pruned', terminalAt: TERMINAL_AT, supersededAt: null },
    });
    if (!pruned.ok) return;
    const again = stepBoth(pruned.record, ev.retention(AT + DAY));
    expect(again).toStrictEqual({
      ok: false,
      error: {
        type: 'IllegalForState',
        from: 'Pruned',
        event: 'RetentionExpired',
        rolloutId: R1_ID,
      },
    });
  });

  test('Terminal → Superseded → Pruned keeps both timestamps', () => {
    const superseded = stepBoth(base('Terminal'), ev.successor(AT));
    if (!superseded.ok) throw new Error('Terminal × SuccessorOpened must succeed');
    const pruned = stepBoth(superseded.record, ev.retention(AT + 90 * DAY));
    expect(pruned).toMatchObject({
      ok: true,
      record: { state: 'Pruned', terminalAt: TERMINAL_AT, supersededAt: AT },
    });
  });

  test('a second RolloutTerminal never rewrites terminal_at; a second SuccessorOpened never rewrites superseded_at', () => {
    expect(stepBoth(base('Terminal'), ev.terminal(AT))).toStrictEqual({
      ok: true,
      record: base('Terminal'),
      effects: [],
    });
    expect(stepBoth(base('Superseded'), ev.successor(AT, R1_ID, R3_ID))).toStrictEqual({
      ok: true,
      record: base('Superseded'),
      effects: [],
    });
  });
});

describe('the reducer never compares ids, spec §1.3', () => {
  test.each(STATES)(
    '%s: an event naming another rollout is treated exactly like one naming r1',
    (state) => {
      for (const type of EVENT_TYPES) {
        const own = ROWS.filter((row) => row.state === state && row.event.type === type);
        for (const row of own) {
          const foreign = withForeignIds(row.event);
          expect(idsOf(foreign)).not.toContain(R1_ID);
          const result = stepBoth(base(state), foreign);
          expect(result).toStrictEqual(stepBoth(base(state), row.event));
          // Effects and errors carry the RECORD's id, never the event's.
          if (result.ok) {
            for (const effect of result.effects) {
              if ('rolloutId' in effect) expect(effect.rolloutId).toBe(R1_ID);
            }
          } else if ('rolloutId' in result.error) {
            expect(result.error.rolloutId).toBe(R1_ID);
          }
        }
      }
    },
  );
});
