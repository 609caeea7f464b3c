/*
 * Upstream scenarios, as named tests:
 * * spec §5.2 — the per-state rollout unit tests (`SM/src/rollout/transitions/*.rs`),
 *   fixture t0 = 2026-05-16T01:00Z, record r1 / stable / ref-1, wave 0;
 * * spec §5.3 — the proptest regression seed (HostJoined{wave 3}, WaveAdvanced{0→1});
 * * spec §5.7 — the CP re-derivability lifecycle and supersession cases, as far as they
 *   concern the reducer (rows are created outside the reducer, §4.2; the applier turns
 *   effects into row changes, §2.1).
 * Every step runs through both rolloutStep and rolloutStepViaXState (see `stepBoth`).
 */
import { describe, expect, test } from 'vitest';
import type { RolloutEffect } from '../../../machines/rollout/effect.ts';
import type { RolloutEvent } from '../../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
} from '../../../machines/rollout/state.ts';
import {
  ev,
  HOUR,
  R1_ID,
  R2_ID,
  R3_ID,
  r1,
  r1In,
  SECOND,
  stepBoth,
  stepErr,
  stepOk,
  T0,
} from './fixtures.ts';

const rrt = (
  from: RolloutRecord['state'],
  to: RolloutRecord['state'],
  at: number,
): RolloutEffect => ({
  type: 'RecordRolloutTransition',
  rolloutId: R1_ID,
  from,
  to,
  at,
});

describe('spec §5.2 rollout unit tests', () => {
  describe('opening.rs', () => {
    test('HostJoined{wave 0} → Active, current_wave 0, exactly one RecordRolloutTransition(Opening→Active)', () => {
      const { record, effects } = stepOk(r1(), ev.joined(T0, 0));
      expect(record).toStrictEqual({ ...r1(), state: 'Active', currentWave: 0 });
      expect(effects).toStrictEqual([rrt('Opening', 'Active', T0)]);
    });

    test('regression: HostJoined{wave 2} → Active with current_wave still 0 and no UpdateCurrentWave', () => {
      const { record, effects } = stepOk(r1(), ev.joined(T0, 2));
      expect(record.state).toBe('Active');
      expect(record.currentWave).toBe(0);
      expect(effects.some((e) => e.type === 'UpdateCurrentWave')).toBe(false);
      expect(effects).toStrictEqual([rrt('Opening', 'Active', T0)]);
    });

    test('SuccessorOpened → Superseded with superseded_at = t0', () => {
      const { record, effects } = stepOk(r1(), ev.successor(T0));
      expect(record).toStrictEqual({ ...r1(), state: 'Superseded', supersededAt: T0 });
      expect(effects).toStrictEqual([rrt('Opening', 'Superseded', T0)]);
    });

    test('RolloutTerminal → IllegalForState{from: Opening}', () => {
      expect(stepErr(r1(), ev.terminal(T0)).error).toStrictEqual({
        type: 'IllegalForState',
        from: 'Opening',
        event: 'RolloutTerminal',
        rolloutId: R1_ID,
      });
    });

    test('HostStateChanged(Pending→Activating) → IllegalForState', () => {
      expect(stepErr(r1(), ev.hostChanged(T0, 'Pending', 'Activating')).error).toStrictEqual({
        type: 'IllegalForState',
        from: 'Opening',
        event: 'HostStateChanged',
        rolloutId: R1_ID,
      });
    });
  });

  describe('active.rs', () => {
    const active = () => r1In('Active');

    test('HostStateChanged(Soaking→Reverted) → Reverted', () => {
      const { record, effects } = stepOk(active(), ev.hostChanged(T0, 'Soaking', 'Reverted'));
      expect(record).toStrictEqual(r1In('Reverted'));
      expect(effects).toStrictEqual([rrt('Active', 'Reverted', T0)]);
    });

    test('HostStateChanged(Activating→Failed) → Failed', () => {
      const { record, effects } = stepOk(active(), ev.hostChanged(T0, 'Activating', 'Failed'));
      expect(record).toStrictEqual(r1In('Failed'));
      expect(effects).toStrictEqual([rrt('Active', 'Failed', T0)]);
    });

    test('HostStateChanged(Activating→Soaking) stays Active with no effects', () => {
      const { record, effects } = stepOk(active(), ev.hostChanged(T0, 'Activating', 'Soaking'));
      expect(record).toStrictEqual(active());
      expect(effects).toStrictEqual([]);
    });

    test('WaveAdvanced(0→1) stays Active, current_wave 1, emits only UpdateCurrentWave{wave 1}', () => {
      const { record, effects } = stepOk(active(), ev.waveAdvanced(T0, 0, 1));
      expect(record).toStrictEqual(r1In('Active', { currentWave: 1 }));
      expect(effects).toStrictEqual([{ type: 'UpdateCurrentWave', rolloutId: R1_ID, wave: 1 }]);
    });

    test('WaveAdvanced(0→0) → Converging', () => {
      const { record, effects } = stepOk(active(), ev.waveAdvanced(T0, 0, 0));
      expect(record).toStrictEqual(r1In('Converging'));
      expect(effects).toStrictEqual([rrt('Active', 'Converging', T0)]);
    });

    test('RolloutTerminal → Terminal with terminal_at = t0', () => {
      const { record, effects } = stepOk(active(), ev.terminal(T0));
      expect(record).toStrictEqual(r1In('Terminal', { terminalAt: T0 }));
      expect(effects).toStrictEqual([rrt('Active', 'Terminal', T0)]);
    });

    test('SuccessorOpened → Superseded with superseded_at', () => {
      const { record, effects } = stepOk(active(), ev.successor(T0));
      expect(record).toStrictEqual(r1In('Superseded', { supersededAt: T0 }));
      expect(effects).toStrictEqual([rrt('Active', 'Superseded', T0)]);
    });

    test('RolloutOpened → IllegalForState', () => {
      expect(stepErr(active(), ev.opened(T0)).error).toStrictEqual({
        type: 'IllegalForState',
        from: 'Active',
        event: 'RolloutOpened',
        rolloutId: R1_ID,
      });
    });
  });

  describe('converging.rs', () => {
    const converging = () => r1In('Converging');

    test('WaveAdvanced(0→1) → Active with current_wave 1', () => {
      const { record, effects } = stepOk(converging(), ev.waveAdvanced(T0, 0, 1));
      expect(record).toStrictEqual(r1In('Active', { currentWave: 1 }));
      expect(effects).toStrictEqual([
        rrt('Converging', 'Active', T0),
        { type: 'UpdateCurrentWave', rolloutId: R1_ID, wave: 1 },
      ]);
    });

    test('RolloutTerminal → Terminal with terminal_at', () => {
      const { record, effects } = stepOk(converging(), ev.terminal(T0));
      expect(record).toStrictEqual(r1In('Terminal', { terminalAt: T0 }));
      expect(effects).toStrictEqual([rrt('Converging', 'Terminal', T0)]);
    });

    test('HostStateChanged(Soaking→Failed) → Failed', () => {
      const { record, effects } = stepOk(converging(), ev.hostChanged(T0, 'Soaking', 'Failed'));
      expect(record).toStrictEqual(r1In('Failed'));
      expect(effects).toStrictEqual([rrt('Converging', 'Failed', T0)]);
    });
  });

  describe('terminal.rs', () => {
    const terminal = () => r1In('Terminal', { terminalAt: T0 });

    test('SuccessorOpened at t0+1h → Superseded with superseded_at set (terminal_at kept)', () => {
      const { record, effects } = stepOk(terminal(), ev.successor(T0 + HOUR));
      expect(record).toStrictEqual(r1In('Superseded', { terminalAt: T0, supersededAt: T0 + HOUR }));
      expect(effects).toStrictEqual([rrt('Terminal', 'Superseded', T0 + HOUR)]);
    });

    test('RetentionExpired at t0+72h → Pruned', () => {
      const { record, effects } = stepOk(terminal(), ev.retention(T0 + 72 * HOUR));
      expect(record).toStrictEqual(r1In('Pruned', { terminalAt: T0 }));
      expect(effects).toStrictEqual([rrt('Terminal', 'Pruned', T0 + 72 * HOUR)]);
    });

    test('RolloutTerminal stays Terminal with no effects', () => {
      expect(stepOk(terminal(), ev.terminal(T0 + HOUR))).toStrictEqual({
        ok: true,
        record: terminal(),
        effects: [],
      });
    });
  });

  describe('superseded.rs', () => {
    const superseded = () => r1In('Superseded', { supersededAt: T0 });

    test('RetentionExpired → Pruned', () => {
      const { record, effects } = stepOk(superseded(), ev.retention(T0 + HOUR));
      expect(record).toStrictEqual(r1In('Pruned', { supersededAt: T0 }));
      expect(effects).toStrictEqual([rrt('Superseded', 'Pruned', T0 + HOUR)]);
    });

    test('SuccessorOpened(r1→r3) stays Superseded with no effects', () => {
      expect(stepOk(superseded(), ev.successor(T0 + HOUR, R1_ID, R3_ID))).toStrictEqual({
        ok: true,
        record: superseded(),
        effects: [],
      });
    });
  });

  describe.each(['Failed', 'Reverted'] as const)('%s (failed.rs / reverted.rs)', (state) => {
    test('SuccessorOpened → Superseded', () => {
      const { record, effects } = stepOk(r1In(state), ev.successor(T0));
      expect(record).toStrictEqual(r1In('Superseded', { supersededAt: T0 }));
      expect(effects).toStrictEqual([rrt(state, 'Superseded', T0)]);
    });

    test('RetentionExpired → Pruned', () => {
      const { record, effects } = stepOk(r1In(state), ev.retention(T0));
      expect(record).toStrictEqual(r1In('Pruned'));
      expect(effects).toStrictEqual([rrt(state, 'Pruned', T0)]);
    });
  });

  describe('pruned.rs', () => {
    test('SuccessorOpened → IllegalForState{from: Pruned}', () => {
      expect(stepErr(r1In('Pruned'), ev.successor(T0)).error).toStrictEqual({
        type: 'IllegalForState',
        from: 'Pruned',
        event: 'SuccessorOpened',
        rolloutId: R1_ID,
      });
    });
  });
});

describe('spec §5.3 proptest regression seed cc 5fe2efa0…', () => {
  test('HostJoined{r1, h3, wave 3} then WaveAdvanced{r1, 0→1}: cursor stays 0, then becomes 1 with UpdateCurrentWave{1}, never decreases', () => {
    const start = r1();
    const joined = stepOk(start, ev.joined(T0, 3, 'h3'));
    expect(joined.record.state).toBe('Active');
    expect(joined.record.currentWave).toBe(0);
    expect(joined.effects).toStrictEqual([rrt('Opening', 'Active', T0)]);

    const advanced = stepOk(joined.record, ev.waveAdvanced(T0, 0, 1));
    expect(advanced.record).toStrictEqual({ ...joined.record, currentWave: 1 });
    expect(advanced.effects).toStrictEqual([
      { type: 'UpdateCurrentWave', rolloutId: R1_ID, wave: 1 },
    ]);

    const cursors = [start, joined.record, advanced.record].map((r) => r.currentWave);
    expect(cursors).toStrictEqual([0, 0, 1]);
  });
});

// ---------------------------------------------------------------------------------------
// §5.7 CP re-derivability: a tiny model of the rollouts table, driven two ways.

interface Row {
  readonly state: RolloutRecord['state'];
  readonly current_wave: number;
  readonly opened_at: number;
  readonly terminal_at: number | null;
  readonly superseded_at: number | null;
}

function rowOf(record: RolloutRecord): Row {
  return {
    state: record.state,
    current_wave: record.currentWave,
    opened_at: record.openedAt,
    terminal_at: record.terminalAt,
    superseded_at: record.supersededAt,
  };
}

/** The id whose row an event is routed to: SuccessorOpened goes to the predecessor (§1.3). */
function routeOf(event: RolloutEvent): RolloutId {
  return event.type === 'SuccessorOpened' ? event.supersededRolloutId : event.rolloutId;
}

/**
 * The live CP path (§4.2, §4.3, §2.1): RolloutOpened is an INSERT OR IGNORE outside the
 * reducer; every other event is routed to its row, stepped, and on success ONLY the
 * effects are applied to the row (the returned record is thrown away); errors are dropped.
 */
function runLive(events: readonly RolloutEvent[]): Map<RolloutId, RolloutRecord> {
  const table = new Map<RolloutId, RolloutRecord>();
  for (const event of events) {
    if (event.type === 'RolloutOpened') {
      if (!table.has(event.rolloutId)) {
        table.set(event.rolloutId, openRolloutRecord(event.channel, event.targetRef, event.at));
      }
      continue;
    }
    const id = routeOf(event);
    const row = table.get(id);
    if (row === undefined) continue;
    const result = stepBoth(row, event);
    if (!result.ok) continue;
    let next = row;
    for (const effect of result.effects) next = applyEffect(next, effect);
    table.set(id, next);
  }
  return table;
}

/** `apply_rollout_effect`, spec §2.1: guarded by `state != to` / `current_wave < new`. */
function applyEffect(row: RolloutRecord, effect: RolloutEffect): RolloutRecord {
  switch (effect.type) {
    case 'RecordRolloutTransition':
      if (row.state === effect.to) return row;
      return {
        ...row,
        state: effect.to,
        terminalAt: effect.to === 'Terminal' ? effect.at : row.terminalAt,
        supersededAt: effect.to === 'Superseded' ? effect.at : row.supersededAt,
        lastTransitionEventLogSeq: null,
      };
    case 'UpdateCurrentWave':
      return effect.wave > row.currentWave ? { ...row, currentWave: effect.wave } : row;
    default:
      throw new Error(`the reducer never emits ${effect.type}`);
  }
}

/**
 * Replaying the event log into an empty database: rows are re-created from the logged
 * RolloutOpened events, every event (RolloutOpened included) goes through the reducer,
 * and the reducer's returned record is kept; errors leave the record as it was.
 */
function replay(events: readonly RolloutEvent[]): Map<RolloutId, RolloutRecord> {
  const table = new Map<RolloutId, RolloutRecord>();
  for (const event of events) {
    if (event.type === 'RolloutOpened' && !table.has(event.rolloutId)) {
      table.set(event.rolloutId, openRolloutRecord(event.channel, event.targetRef, event.at));
    }
    const id = routeOf(event);
    const record = table.get(id);
    if (record === undefined) continue;
    const result = stepBoth(record, event);
    if (result.ok) table.set(id, result.record);
  }
  return table;
}

function rows(table: Map<RolloutId, RolloutRecord>): Record<RolloutId, Row> {
  return Object.fromEntries([...table].map(([id, record]) => [id, rowOf(record)]));
}

describe('spec §5.7 CP re-derivability (rollout_rederivability.rs), reducer part', () => {
  test('lifecycle: RolloutOpened, HostJoined(h1, w0), HostStateChanged(Soaking→Converged), RolloutTerminal → Terminal', () => {
    const log: RolloutEvent[] = [
      ev.opened(T0),
      ev.joined(T0, 0, 'h1'),
      ev.hostChanged(T0 + 10 * SECOND, 'Soaking', 'Converged', 'h1'),
      ev.terminal(T0 + 10 * SECOND),
    ];

    // The reducer itself refuses RolloutOpened (creation happens outside it, §1.4 / §6.7).
    expect(stepErr(r1(), log[0] as RolloutEvent).error).toStrictEqual({
      type: 'IllegalForState',
      from: 'Opening',
      event: 'RolloutOpened',
      rolloutId: R1_ID,
    });

    const live = rows(runLive(log));
    expect(live).toStrictEqual({
      [R1_ID]: {
        state: 'Terminal',
        current_wave: 0,
        opened_at: T0,
        terminal_at: T0 + 10 * SECOND,
        superseded_at: null,
      },
    });
    expect(rows(replay(log)), 'replaying the log re-derives the same rows').toStrictEqual(live);
    expect(rows(replay(log)), 'a second replay gives the same rows').toStrictEqual(live);
  });

  test('supersession: RolloutOpened(r1), HostJoined, SuccessorOpened(r1→r2) at +60 s, RolloutOpened(r2) → r1 Superseded, r2 Opening', () => {
    const log: RolloutEvent[] = [
      ev.opened(T0, R1_ID, 'ref-1'),
      ev.joined(T0, 0, 'h1'),
      ev.successor(T0 + 60 * SECOND, R1_ID, R2_ID),
      ev.opened(T0 + 60 * SECOND, R2_ID, 'ref-2'),
    ];
    const live = rows(runLive(log));
    expect(live).toStrictEqual({
      [R1_ID]: {
        state: 'Superseded',
        current_wave: 0,
        opened_at: T0,
        terminal_at: null,
        superseded_at: T0 + 60 * SECOND,
      },
      [R2_ID]: {
        state: 'Opening',
        current_wave: 0,
        opened_at: T0 + 60 * SECOND,
        terminal_at: null,
        superseded_at: null,
      },
    });
    expect(rows(replay(log)), 'replaying the log re-derives the same rows').toStrictEqual(live);
  });

  test('the applier interpretation of the effects reproduces the returned record exactly (§2.1)', () => {
    // Walk every legal step of a long design-intent lifecycle and compare both rows.
    const log: RolloutEvent[] = [
      ev.joined(T0, 0, 'h1'),
      ev.joined(T0, 1, 'h2'),
      ev.waveAdvanced(T0 + HOUR, 0, 1),
      ev.waveAdvanced(T0 + 2 * HOUR, 1, 1),
      ev.waveAdvanced(T0 + 3 * HOUR, 1, 2),
      ev.waveAdvanced(T0 + 4 * HOUR, 2, 2),
      ev.terminal(T0 + 5 * HOUR),
      ev.successor(T0 + 6 * HOUR, R1_ID, R2_ID),
      ev.retention(T0 + 7 * HOUR),
    ];
    let record = r1();
    let row = r1();
    for (const event of log) {
      const result = stepOk(record, event);
      for (const effect of result.effects) row = applyEffect(row, effect);
      record = result.record;
      expect(row, `${event.type} at ${event.at}`).toStrictEqual(record);
    }
    expect(record).toStrictEqual(
      r1In('Pruned', { currentWave: 2, terminalAt: T0 + 5 * HOUR, supersededAt: T0 + 6 * HOUR }),
    );
  });
});
