/*
 * An independent re-statement of the rollout reducer, written from the spec
 * (nixfleet-lifecycle.md §1.4 table, §1.5 WaveAdvanced rule, §2) and NOT from the
 * machine: nothing under machines/ is imported except types. table.test.ts and
 * properties.test.ts check the machine against `expectedStep`, and the invariant
 * `model.steps-agree` checks every rollout step a simulated run takes against it.
 */
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutEvent, RolloutEventType } from '../../machines/rollout/event.ts';
import type { RolloutRecord, RolloutState } from '../../machines/rollout/state.ts';
import type { RolloutStepResult } from '../../machines/rollout/step.ts';

/**
 * What one cell of the §1.4 table says.
 *
 * * `ILLEGAL` — Err(IllegalForState{from: state, event: kind, rollout_id: record.rollout_id})
 * * `UNIMPL`  — Err(Unimplemented{from: state, event: "OperatorClearance"})
 * * `no-op`   — Ok((record unchanged, []))
 * * `→X`      — state becomes X, one RecordRolloutTransition; `→Terminal` also sets
 *               terminal_at = at, `→Superseded` also sets superseded_at = at
 * * `host?`   — HostStateChanged in Active/Converging: to==Reverted →Reverted,
 *               to==Failed →Failed, any other `to` no-op
 * * `wave:A`  — WaveAdvanced in Active (§1.5): to>from: cursor bump to `to` with only
 *               UpdateCurrentWave if to>current_wave, else no-op; otherwise →Converging
 * * `wave:C`  — WaveAdvanced in Converging (§1.5): to>from: →Active, plus UpdateCurrentWave
 *               (after the transition effect) and the cursor set iff to>current_wave;
 *               otherwise no-op
 */
export type Cell =
  | 'ILLEGAL'
  | 'UNIMPL'
  | 'no-op'
  | '→Active'
  | '→Terminal'
  | '→Superseded'
  | '→Pruned'
  | 'host?'
  | 'wave:A'
  | 'wave:C';

type Row = Readonly<Record<RolloutEventType, Cell>>;

function row(
  RolloutOpened: Cell,
  HostJoined: Cell,
  HostStateChanged: Cell,
  WaveAdvanced: Cell,
  RolloutTerminal: Cell,
  SuccessorOpened: Cell,
  RetentionExpired: Cell,
  OperatorClearance: Cell,
): Row {
  return {
    RolloutOpened,
    HostJoined,
    HostStateChanged,
    WaveAdvanced,
    RolloutTerminal,
    SuccessorOpened,
    RetentionExpired,
    OperatorClearance,
  };
}

/** Spec §1.4, transcribed row by row (column order as in the spec). */
// biome-ignore format: keep the table aligned like the spec
export const SPEC_TABLE: Readonly<Record<RolloutState, Row>> = {
  //              RolloutOpened HostJoined  HostStateChanged WaveAdvanced RolloutTerminal SuccessorOpened RetentionExpired OperatorClearance
  Opening:    row('ILLEGAL',    '→Active',  'ILLEGAL',       'ILLEGAL',   'ILLEGAL',      '→Superseded',  'ILLEGAL',       'ILLEGAL'),
  Active:     row('ILLEGAL',    'no-op',    'host?',         'wave:A',    '→Terminal',    '→Superseded',  'ILLEGAL',       'ILLEGAL'),
  Converging: row('ILLEGAL',    'no-op',    'host?',         'wave:C',    '→Terminal',    '→Superseded',  'ILLEGAL',       'ILLEGAL'),
  Terminal:   row('ILLEGAL',    'no-op',    'no-op',         'ILLEGAL',   'no-op',        '→Superseded',  '→Pruned',       'ILLEGAL'),
  Reverted:   row('ILLEGAL',    'no-op',    'no-op',         'no-op',     'no-op',        '→Superseded',  '→Pruned',       'UNIMPL'),
  Failed:     row('ILLEGAL',    'no-op',    'no-op',         'no-op',     'no-op',        '→Superseded',  '→Pruned',       'UNIMPL'),
  Superseded: row('ILLEGAL',    'no-op',    'no-op',         'no-op',     'no-op',        'no-op',        '→Pruned',       'ILLEGAL'),
  Pruned:     row('ILLEGAL',    'ILLEGAL',  'ILLEGAL',       'ILLEGAL',   'ILLEGAL',      'ILLEGAL',      'ILLEGAL',       'ILLEGAL'),
};

type Ok = Extract<RolloutStepResult, { ok: true }>;

function noOp(record: RolloutRecord): Ok {
  return { ok: true, record, effects: [] };
}

/** `→to`: one RecordRolloutTransition stamped with the event's `at` and the RECORD's id. */
function move(record: RolloutRecord, to: RolloutState, at: number): Ok {
  const next: RolloutRecord = {
    ...record,
    state: to,
    terminalAt: to === 'Terminal' ? at : record.terminalAt,
    supersededAt: to === 'Superseded' ? at : record.supersededAt,
  };
  const effect: RolloutEffect = {
    type: 'RecordRolloutTransition',
    rolloutId: record.rolloutId,
    from: record.state,
    to,
    at,
  };
  return { ok: true, record: next, effects: [effect] };
}

/** Appends `UpdateCurrentWave{wave}` and sets the cursor iff `wave > current_wave`. */
function bumpIfAhead(result: Ok, wave: number): Ok {
  if (wave <= result.record.currentWave) return result;
  return {
    ok: true,
    record: { ...result.record, currentWave: wave },
    effects: [
      ...result.effects,
      { type: 'UpdateCurrentWave', rolloutId: result.record.rolloutId, wave },
    ],
  };
}

/** The spec's answer for `step(record, event)`. */
export function expectedStep(record: RolloutRecord, event: RolloutEvent): RolloutStepResult {
  const cell = SPEC_TABLE[record.state][event.type];
  switch (cell) {
    case 'ILLEGAL':
      return {
        ok: false,
        error: {
          type: 'IllegalForState',
          from: record.state,
          event: event.type,
          rolloutId: record.rolloutId,
        },
      };
    case 'UNIMPL':
      return {
        ok: false,
        error: { type: 'Unimplemented', from: record.state, event: 'OperatorClearance' },
      };
    case 'no-op':
      return noOp(record);
    case '→Active':
      return move(record, 'Active', event.at);
    case '→Terminal':
      return move(record, 'Terminal', event.at);
    case '→Superseded':
      return move(record, 'Superseded', event.at);
    case '→Pruned':
      return move(record, 'Pruned', event.at);
    case 'host?': {
      if (event.type !== 'HostStateChanged') throw new Error('host? cell on a non-host event');
      if (event.to === 'Reverted') return move(record, 'Reverted', event.at);
      if (event.to === 'Failed') return move(record, 'Failed', event.at);
      return noOp(record);
    }
    case 'wave:A': {
      if (event.type !== 'WaveAdvanced') throw new Error('wave cell on a non-wave event');
      if (event.toWave > event.fromWave) return bumpIfAhead(noOp(record), event.toWave);
      return move(record, 'Converging', event.at);
    }
    case 'wave:C': {
      if (event.type !== 'WaveAdvanced') throw new Error('wave cell on a non-wave event');
      if (event.toWave > event.fromWave) {
        return bumpIfAhead(move(record, 'Active', event.at), event.toWave);
      }
      return noOp(record);
    }
  }
}
