import { describe, expect, it } from 'vitest';
import type { HostState } from '../../machines/host/state.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
} from '../../machines/rollout/state.ts';
import type { RolloutStepResult } from '../../machines/rollout/step.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import {
  channelHosts,
  countStates,
  PROFILE_NAMES,
  type Run,
  replayCpStates,
  run,
  SMALL_PRESETS,
} from './support.ts';

/*
 * Smoke checks of the simulator against the machines, on every small preset under both
 * profiles: the trace's rollout events are exactly what the reducer answers on the
 * rebuilt row, host transitions are legal pairs of the host machine (spec §3.8), and at
 * the end of a run with no network faults both sides hold the same host states.
 */

const runs: [string, string, Run][] = [];
for (const preset of SMALL_PRESETS) {
  for (const prof of PROFILE_NAMES) runs.push([preset, prof, run(preset, prof, { seed: 5 })]);
}

/** Fleets with every kind of generated fault (network included), bounded in time. */
const faulty: [string, string, Run][] = [];
for (const prof of PROFILE_NAMES) {
  const fleet = generateFleet({
    hosts: 24,
    waves: 3,
    channels: 2,
    soakMinutes: 3,
    probeFailureRate: 0.05,
    activationFailureRate: 0.05,
    deferralRate: 0.1,
    dropRate: 0.1,
    duplicateRate: 0.1,
    releases: 1,
    releaseEveryMinutes: 20,
  });
  faulty.push([fleet.name, prof, run(fleet, prof, { seed: 8, untilSeconds: 4 * 3600 })]);
}

/** The legal state-changing (from, event, to) triples of spec §3.8, per side. */
const CHANGES: Record<'cp' | 'agent', readonly string[]> = {
  cp: [
    'Pending RemoteDispatchAck Activating',
    'Activating RemoteActivationCompleted Soaking',
    'Activating RemoteActivationDeferred Deferred',
    'Activating RemoteActivationFailed Failed',
    'Deferred RemoteActivationCompleted Soaking',
    'Deferred RemoteActivationFailed Failed',
    'Soaking RemoteFailed Failed',
    'Soaking RemoteConverged Converged',
    'Failed RemoteRollbackComplete Reverted',
  ],
  agent: [
    'Pending LocalActivate Activating',
    'Activating LocalActivationCompleted Soaking',
    'Activating LocalActivationDeferred Deferred',
    'Activating LocalActivationFailed Failed',
    'Deferred LocalActivationCompleted Soaking',
    'Deferred LocalActivationFailed Failed',
    'Soaking LocalSustainedFailureCrossed Failed',
    'Soaking LocalConvergedReached Converged',
    'Failed LocalRollbackCompleted Reverted',
  ],
};

/**
 * Not a reducer step: after a reboot the agent merges the CP's snapshot into its record
 * (spec §3.12, `merge_snapshot_into_state`); the CP had synthesized
 * `RemoteActivationCompleted` (Deferred → Soaking), and the trace names that event.
 */
const AGENT_SNAPSHOT_MERGES = ['Deferred RemoteActivationCompleted Soaking'];

/** The CP applier's reading of rollout effects (spec §2.1): the returned record is thrown away. */
function applyEffects(
  row: RolloutRecord,
  effects: Extract<RolloutStepResult, { ok: true }>['effects'],
): RolloutRecord {
  let next = row;
  for (const effect of effects) {
    if (effect.type === 'RecordRolloutTransition' && next.state !== effect.to) {
      next = {
        ...next,
        state: effect.to,
        terminalAt: effect.to === 'Terminal' ? effect.at : next.terminalAt,
        supersededAt: effect.to === 'Superseded' ? effect.at : next.supersededAt,
        lastTransitionEventLogSeq: null,
      };
    } else if (effect.type === 'UpdateCurrentWave' && effect.wave > next.currentWave) {
      next = { ...next, currentWave: effect.wave };
    }
  }
  return next;
}

describe.each([...runs, ...faulty])('%s / %s', (_preset, prof, r) => {
  it('every rollout_event result is rolloutStep of the event on the rebuilt row', () => {
    const rows = new Map<RolloutId, RolloutRecord>();
    let stepped = 0;
    let directCursorWrites = 0;
    r.records.forEach((rec: TraceRecord, i) => {
      if (rec.type === 'rollout_opened') {
        expect(rows.has(rec.rolloutId), `${rec.rolloutId} opened twice`).toBe(false);
        rows.set(rec.rolloutId, openRolloutRecord(rec.channel, rec.targetRef, rec.t));
      } else if (rec.type === 'rollout_event') {
        const row = rows.get(rec.rolloutId);
        expect(row, `record ${i}: event for unopened ${rec.rolloutId}`).toBeDefined();
        if (row === undefined) return;
        expect(rec.event.at, `record ${i}: event time is the CP clock`).toBe(rec.t);
        const expected = rolloutStep(row, rec.event);
        expect(rec.result, `record ${i}: ${rec.event.type} on ${row.state}`).toEqual(expected);
        stepped++;
        if (!expected.ok) {
          expect(rec.currentWave).toBe(row.currentWave);
          return;
        }
        const next = applyEffects(row, expected.effects);
        // The effects reproduce the reducer's own record (spec §2.1).
        expect(next.state).toBe(expected.record.state);
        expect(next.currentWave).toBe(expected.record.currentWave);
        expect(rec.currentWave, `record ${i}: cursor after ${rec.event.type}`).toBe(
          next.currentWave,
        );
        rows.set(rec.rolloutId, next);
      } else if (rec.type === 'wave_cursor') {
        const row = rows.get(rec.rolloutId);
        if (row === undefined) throw new Error(`record ${i}: cursor of unopened ${rec.rolloutId}`);
        if (row.currentWave === rec.to) {
          // Already moved by the UpdateCurrentWave effect of the WaveAdvanced just before.
          const before = r.records[i - 1];
          expect(before?.type === 'rollout_event' && before.event.type === 'WaveAdvanced').toBe(
            true,
          );
        } else {
          // faithful: advance_current_waves writes the cursor directly (spec §4.4).
          expect(prof).toBe('faithful');
          expect(rec.from).toBe(row.currentWave);
          expect(rec.to).toBe(row.currentWave + 1);
          directCursorWrites++;
          rows.set(rec.rolloutId, { ...row, currentWave: rec.to });
        }
      }
    });
    expect(stepped).toBeGreaterThan(0);
    if (prof === 'intent') expect(directCursorWrites).toBe(0);
    // The rebuilt rows are the control plane's rows.
    for (const [id, row] of rows) {
      const actual = r.controlPlane.tables.rollouts.get(id);
      if (actual === undefined) continue; // physically pruned (faithful retention)
      expect(actual, id).toEqual(row);
    }
  });

  it('host transitions are legal pairs of the host machine, and chain on each side', () => {
    const illegal: string[] = [];
    const last = new Map<string, HostState>();
    for (const rec of r.records) {
      if (rec.type !== 'host_transition') continue;
      const triple = `${rec.from} ${rec.event} ${rec.to}`;
      const legal =
        CHANGES[rec.side].includes(triple) ||
        (rec.side === 'agent' && AGENT_SNAPSHOT_MERGES.includes(triple));
      if (!legal) illegal.push(`${rec.side} ${rec.rolloutId} ${rec.host}: ${triple}`);
      const key = `${rec.side}\u0000${rec.rolloutId}\u0000${rec.host}`;
      expect(rec.from, `${rec.side} ${rec.host}`).toBe(last.get(key) ?? 'Pending');
      last.set(key, rec.to);
    }
    expect(illegal).toEqual([]);
  });

  it('the cp host states rebuilt from the trace are the tables and the summary', () => {
    const states = replayCpStates(r.fleet, r.records);
    for (const outcome of r.summary.rollouts) {
      if (outcome.state === 'deleted') continue;
      expect(countStates(states.get(outcome.rolloutId)), outcome.rolloutId).toEqual(outcome.hosts);
      for (const [host, state] of states.get(outcome.rolloutId) ?? []) {
        expect(r.controlPlane.tables.hostRecord(outcome.rolloutId, host)?.state, host).toBe(state);
      }
    }
  });
});

describe.each(runs)('%s / %s', (_preset, _prof, r) => {
  it('at the end (no network faults) the agent and the control plane agree on every host', () => {
    expect(r.fleet.faults.network.drop_rate).toBe(0);
    expect(r.fleet.faults.network.partitions).toEqual([]);
    // A bad release halts its rollout: the hosts behind the failed wave wait for ever.
    expect(r.summary.ended).toBe(_preset === 'bad-release' ? 'stalled' : 'terminal');
    const disagree: string[] = [];
    for (const [id, row] of r.controlPlane.tables.rollouts) {
      for (const host of channelHosts(r.fleet, row.channel)) {
        const cp = r.controlPlane.tables.hostRecord(id, host);
        const agent = r.agents.get(host)?.snapshot().get(id);
        // A host never dispatched has no agent record: Pending on the CP.
        const agentState = agent?.state ?? 'Pending';
        if (cp?.state !== agentState)
          disagree.push(`${id} ${host}: cp ${cp?.state}, agent ${agentState}`);
        if (agent !== undefined && cp !== undefined) {
          expect(agent.targetClosure, `${id} ${host}`).toBe(cp.targetClosure);
          if (cp.state === 'Converged' || cp.state === 'Reverted') {
            expect(agent.currentClosure, `${id} ${host}`).toBe(cp.currentClosure);
          }
        }
      }
    }
    expect(disagree).toEqual([]);
  });
});
