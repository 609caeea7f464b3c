import { describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import { diagramModel } from '../../src/diagram/model.ts';
import { applyRecord } from '../../src/ui/model/apply.ts';
import { codeOf, rolloutStateBit, stateOf } from '../../src/ui/model/codes.ts';
import { describe as describeRecord } from '../../src/ui/model/describe.ts';
import { diagramLayout } from '../../src/ui/model/diagram-layout.ts';
import { parseFilter } from '../../src/ui/model/filter.ts';
import { fitGrid, moveSelection } from '../../src/ui/model/grid-layout.ts';
import { ArrayLog, logWindow, RingLog } from '../../src/ui/model/log.ts';
import { markOf } from '../../src/ui/model/marks.ts';
import { metaFromFleet, metaFromRecords } from '../../src/ui/model/meta.ts';
import { cloneModel, createModel, type ViewModel, waveCounts } from '../../src/ui/model/model.ts';
import { Timeline } from '../../src/ui/model/timeline.ts';
import { record } from './support.ts';

/*
 * The view model without Ink: a run's records in, what the screens draw out — checked
 * against the simulator's own summary, and seeking checked against applying from zero.
 */

const demo = record('demo');

function build(r = demo, upTo = r.records.length): ViewModel {
  const model = createModel(metaFromFleet(r.fleet, r));
  for (const rec of r.records.slice(0, upTo)) applyRecord(model, rec);
  return model;
}

/** What differs between two models, as comparable data. */
function digest(m: ViewModel) {
  return {
    t: m.t,
    applied: m.applied,
    faults: m.faults,
    ended: m.ended !== null,
    closure: m.closure,
    hostFaults: [...m.hostFaults],
    rollouts: m.rollouts.map((r) => ({
      id: r.id,
      state: r.state,
      wave: r.currentWave,
      visited: r.visited,
      path: r.path,
      cp: [...r.cp],
      agent: [...r.agent],
      counts: [...r.counts],
      dispatched: [...r.dispatchedAt].map(String),
    })),
  };
}

describe('view model', () => {
  it('ends where the simulator says the run ended', () => {
    const model = build();
    expect(model.ended?.ended).toBe('terminal');
    expect(model.rollouts.map((r) => [r.id, r.state, r.currentWave])).toEqual(
      demo.summary.rollouts.map((r) => [r.rolloutId, r.state, r.currentWave]),
    );
    const rollout = model.rollouts[0];
    if (rollout === undefined) throw new Error('no rollout');
    // Hosts by control-plane state, summed over the waves, as in the summary.
    const byState: Record<string, number> = {};
    for (const [i, s] of HOST_STATES.entries()) {
      let n = 0;
      for (let row = 0; row < 3; row++) n += waveCounts(rollout, row)[i + 1] ?? 0;
      if (n > 0) byState[s] = n;
    }
    expect(byState).toEqual(demo.summary.rollouts[0]?.hosts);
    expect(model.faults).toBe(demo.summary.events.faults);
  });

  it('keeps the states visited and the transitions taken, in order', () => {
    const rollout = build().rollouts[0];
    expect(rollout?.path.map((p) => `${p.from}>${p.to}:${p.event}`)).toEqual([
      'Opening>Active:HostJoined',
      'Active>Failed:HostStateChanged',
    ]);
    const visited = ['Opening', 'Active', 'Failed'].reduce(
      (m, s) => m | rolloutStateBit(s as never),
      0,
    );
    expect(rollout?.visited).toBe(visited);
  });

  it('tracks both sides of the failing host, its wave, faults and closures', () => {
    const model = build();
    const db04 = model.meta.hostIndex.get('db-04') as number;
    const rollout = model.rollouts[0];
    expect(stateOf(rollout?.cp[db04] ?? 0)).toBe('Reverted');
    expect(stateOf(rollout?.agent[db04] ?? 0)).toBe('Reverted');
    expect(model.meta.hostWave[db04]).toBe(2);
    expect(model.hostFaults[db04]).toBeGreaterThan(0);
    // Rolled back to what it ran before: its initial closure; the others run the target.
    expect(model.closure[db04]).toBe(demo.fleet.hosts['db-04']?.initial_closure);
    expect(model.closure[model.meta.hostIndex.get('web-01') as number]).toBe('v1-web-01');
  });

  it('marks the faults and failures `g` visits', () => {
    const labels = demo.records.map(markOf).filter((m) => m !== null);
    expect(labels).toContain('db-04 Soaking → Failed');
    expect(labels).toContain('stable@v1 Active → Failed');
    expect(labels.some((l) => l.startsWith('fault probe_failed on db-04'))).toBe(true);
  });

  it('a copy does not share state with the original', () => {
    const half = build(demo, 150);
    const copy = cloneModel(half);
    applyRecord(half, demo.records[150] as never);
    for (const r of demo.records.slice(151)) applyRecord(half, r);
    expect(digest(copy)).toEqual(digest(build(demo, 150)));
  });

  it('builds a meta from records alone when there is no header', () => {
    const meta = metaFromRecords(demo.records);
    expect(meta.hosts.length).toBe(24);
    expect(meta.channels.get('stable')?.waves.map((w) => w.length)).toEqual([3, 9, 12]);
  });
});

describe('timeline', () => {
  const timeline = new Timeline(metaFromFleet(demo.fleet, demo), demo.records, [], 40);

  it('seeks to any position, forwards and backwards, as if applied from the start', () => {
    const positions = [0, 1, 77, 306, 120, 5, 306, 41, 40, 39, 200, 199];
    for (const p of positions.filter((x) => x <= demo.records.length)) {
      expect(digest(timeline.seek(p)), `position ${p}`).toEqual(digest(build(demo, p)));
    }
  });

  it('finds positions by time, by rollout transition and by mark', () => {
    const failing = demo.records.findIndex(
      (r) => r.type === 'rollout_event' && r.result.ok && r.result.record.state === 'Failed',
    );
    expect(timeline.nextTransition(2, 1)).toBe(failing + 1);
    expect(timeline.nextTransition(failing + 1, -1)).toBe(
      demo.records.findIndex(
        (r) => r.type === 'rollout_event' && r.result.ok && r.result.effects.length > 0,
      ) + 1,
    );
    expect(timeline.nextTransition(failing + 1, 1)).toBeNull();
    const firstMark = timeline.marks[0];
    expect(timeline.nextMark(0, 1)).toBe((firstMark?.index ?? 0) + 1);
    const minute = timeline.byTime(0, 60_000);
    expect(demo.records[minute - 1]?.t).toBeLessThanOrEqual(timeline.meta.start + 60_000);
    expect(demo.records[minute]?.t).toBeGreaterThan(timeline.meta.start + 60_000);
  });
});

describe('logs', () => {
  it('a ring keeps the newest records and per-host histories', () => {
    const ring = new RingLog(50, 4);
    for (const r of demo.records) ring.push(r);
    expect(ring.first()).toBe(demo.records.length - 50);
    expect(ring.get(0)).toBeUndefined();
    expect(ring.get(demo.records.length - 1)).toBe(demo.records.at(-1));
    const history = ring.hostHistory('db-04', ring.end(), 3);
    expect(history).toHaveLength(3);
    expect(describeRecord(history.at(-1)?.record as never)).toContain('db-04');
  });

  it('a replay log answers the same questions over every record', () => {
    const log = new ArrayLog(demo.records);
    const all = log.hostHistory('db-04', log.end(), 1000);
    expect(all.every((e) => describeRecord(e.record).includes('db-04'))).toBe(true);
    expect(log.hostHistory('db-04', all[3]?.index ?? 0, 1000)).toHaveLength(3);
    const window = logWindow(log, 100, () => true, 5);
    expect(window.map((e) => e.index)).toEqual([95, 96, 97, 98, 99]);
  });

  it('filters by host, wave, rollout, kind and text', () => {
    const meta = metaFromFleet(demo.fleet, demo);
    const only = (q: string) => {
      const f = parseFilter(q, meta);
      if (!f.ok) throw new Error(f.message);
      return demo.records.filter(f.filter);
    };
    expect(only('host:db-04').every((r) => describeRecord(r).includes('db-04'))).toBe(true);
    expect(only('host:web-1').length).toBeGreaterThan(0);
    // kind: matches part of the kind, so RemoteDispatchAck comes along with the dispatches.
    expect(only('wave:2 kind:dispatch').filter((r) => r.type === 'dispatch')).toHaveLength(12);
    expect(
      only('wave:2 kind:dispatch').every(
        (r) => r.type === 'dispatch' || r.type === 'host_transition',
      ),
    ).toBe(true);
    expect(only('kind:fault').every((r) => r.type === 'fault')).toBe(true);
    expect(only('rollout:stable@v1').length).toBeGreaterThan(100);
    expect(only('rollbackcomplete')).toEqual(only('kind:RollbackComplete'));
    expect(only('rollbackcomplete')).toHaveLength(2);
    expect(parseFilter('wave:two', meta)).toEqual({
      ok: false,
      message: 'wave: expected a wave number, got "two"',
    });
  });
});

describe('layouts', () => {
  it('lays the rollout machine out from its definition', () => {
    const layout = diagramLayout(diagramModel(MACHINES.rollout, { all: false }));
    expect(layout.columns).toEqual([
      ['Opening'],
      ['Active'],
      ['Converging'],
      ['Terminal', 'Reverted', 'Failed'],
      ['Superseded'],
      ['Pruned'],
    ]);
    expect(layout.columns.flat().sort()).toEqual([...MACHINES.rollout.states].sort());
  });

  it('shows names, then cells, then bars as hosts grow', () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `node-${String(i).padStart(5, '0')}`);
    const waves = (sizes: number[]) => {
      let next = 0;
      return sizes.map((n) => Array.from({ length: n }, () => next++));
    };
    expect(fitGrid(waves([3, 9, 12]), names, 100, 20).mode).toBe('names');
    expect(fitGrid(waves([10, 90, 400, 500]), names, 100, 20).mode).toBe('cells');
    expect(fitGrid(waves([100, 900, 4000, 5000]), names, 100, 20).mode).toBe('bars');
  });

  it('moves the selection across and between waves', () => {
    const waves = [[0, 1, 2], [3, 4, 5, 6, 7], [8]];
    expect(moveSelection(waves, 2, 'right', 3)).toBe(3);
    expect(moveSelection(waves, 3, 'left', 3)).toBe(2);
    expect(moveSelection(waves, 4, 'down', 3)).toBe(7);
    expect(moveSelection(waves, 7, 'down', 3)).toBe(8);
    expect(moveSelection(waves, 7, 'up', 3)).toBe(4);
    expect(moveSelection(waves, 4, 'up', 3)).toBe(1);
    expect(moveSelection(waves, null, 'up', 3)).toBe(0);
    expect(codeOf('Converged')).toBe(5);
  });
});
