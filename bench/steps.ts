import type { HostEvent } from '../machines/host/event.ts';
import { type HostPolicy, type HostRecord, newPendingHost } from '../machines/host/state.ts';
import { hostStep, hostStepViaXState } from '../machines/host/step.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import { openRolloutRecord, type RolloutRecord } from '../machines/rollout/state.ts';
import { rolloutStep, rolloutStepViaXState } from '../machines/rollout/step.ts';
import { nsPerOp, row } from './measure.ts';

/*
 * What one reducer step costs. The limit is a bare reducer: a hand-written switch over
 * the same event mix that builds the same new record and effect list. The compiled step
 * is what the simulator uses; XState's `transition()` is the reference it is checked
 * against.
 */

const T0 = Date.UTC(2026, 4, 16, 1);
const POLICY: HostPolicy = { onHealthFailure: 'rollback-and-halt' };

/** One host's life through the agent machine: activation, soak with probes, convergence. */
function hostLife(): HostEvent[] {
  const events: HostEvent[] = [
    { type: 'LocalActivate', currentClosureAtDispatch: 'prior', targetClosure: 'target', receivedAt: T0, soakDueAt: T0 + 300_000, seq: 1 },
    { type: 'LocalActivationStarted', startedAt: T0 + 1000, switchMethod: 'switch', seq: 2 },
    { type: 'LocalActivationCompleted', observedCurrentClosure: 'target', exitCode: 0, completedAt: T0 + 5000, seq: 3 },
    { type: 'LocalProbeObservedFirst', probeName: 'nginx', mode: 'enforce', observedAt: T0 + 6000, seq: 4 },
  ];
  for (let i = 0; i < 12; i++) {
    events.push({ type: 'LocalProbeResult', probeName: 'nginx', mode: 'enforce', status: 'pass', observedAt: T0 + 6000 + i * 30_000, failureReason: null, subResults: null, seq: 5 + i });
  }
  events.push({ type: 'LocalConvergedReached', convergedAt: T0 + 400_000, currentClosure: 'target', seq: 17 });
  return events;
}

/** One rollout's life: every host joins, hosts change state, waves advance, it terminates. */
function rolloutLife(): RolloutEvent[] {
  const id = 'stable@a1';
  const events: RolloutEvent[] = [];
  for (let h = 0; h < 8; h++) events.push({ type: 'HostJoined', rolloutId: id, hostId: `h${h}`, wave: h % 2, at: T0 });
  for (let h = 0; h < 8; h++) {
    events.push({ type: 'HostStateChanged', rolloutId: id, hostId: `h${h}`, from: 'Pending', to: 'Activating', at: T0 + h });
    events.push({ type: 'HostStateChanged', rolloutId: id, hostId: `h${h}`, from: 'Soaking', to: 'Converged', at: T0 + h });
  }
  events.push({ type: 'WaveAdvanced', rolloutId: id, fromWave: 0, toWave: 1, at: T0 + 100 });
  events.push({ type: 'RolloutTerminal', rolloutId: id, at: T0 + 200 });
  return events;
}

function bareHost(record: HostRecord, event: HostEvent): { record: HostRecord; effects: unknown[] } | null {
  if (event.seq <= record.lastEventSeq) return null;
  switch (event.type) {
    case 'LocalActivate':
      return {
        record: { ...record, state: 'Activating', currentClosureAtDispatch: event.currentClosureAtDispatch, dispatchAckedAt: event.receivedAt, lastEventSeq: event.seq },
        effects: [
          { type: 'RecordTransition', host: record.hostname, rolloutId: record.rolloutId, from: record.state, to: 'Activating', at: event.receivedAt },
          { type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { type: 'DispatchAck', currentClosureAtDispatch: event.currentClosureAtDispatch, receivedAt: event.receivedAt, seq: event.seq }, durable: true },
          { type: 'LocalFireSwitch', rolloutId: record.rolloutId, target: record.targetClosure },
        ],
      };
    case 'LocalActivationStarted':
      return { record: { ...record, activationStartedAt: event.startedAt, lastEventSeq: event.seq }, effects: [{ type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { ...event, type: 'ActivationStarted' }, durable: true }] };
    case 'LocalActivationCompleted':
      return {
        record: { ...record, state: 'Soaking', activationCompletedAt: event.completedAt, currentClosure: event.observedCurrentClosure, probes: {}, lastEventSeq: event.seq },
        effects: [
          { type: 'LocalResetProbeCache', rolloutId: record.rolloutId },
          { type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { ...event, type: 'ActivationCompleted' }, durable: true },
          { type: 'RecordTransition', host: record.hostname, rolloutId: record.rolloutId, from: record.state, to: 'Soaking', at: event.completedAt },
        ],
      };
    case 'LocalProbeObservedFirst':
      return { record: { ...record, probeObservedFirstAt: record.probeObservedFirstAt ?? event.observedAt, lastEventSeq: event.seq }, effects: [{ type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { ...event, type: 'ProbeObservedFirst' }, durable: false }] };
    case 'LocalProbeResult':
      return {
        record: { ...record, probes: { ...record.probes, [event.probeName]: { status: event.status, mode: event.mode, lastObservedAt: event.observedAt, lastPassAt: event.observedAt, failureReason: null } }, lastEventSeq: event.seq },
        effects: [{ type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { ...event, type: 'ProbeResult' }, durable: false }],
      };
    case 'LocalConvergedReached':
      if (event.currentClosure !== record.targetClosure) return null;
      return {
        record: { ...record, state: 'Converged', convergedAt: event.convergedAt, currentClosure: event.currentClosure, lastEventSeq: event.seq },
        effects: [
          { type: 'LocalEmitEvent', rolloutId: record.rolloutId, payload: { ...event, type: 'Converged' }, durable: true },
          { type: 'RecordTransition', host: record.hostname, rolloutId: record.rolloutId, from: record.state, to: 'Converged', at: event.convergedAt },
        ],
      };
    default:
      return null;
  }
}

const NO_EFFECTS: unknown[] = [];

function bareRollout(record: RolloutRecord, event: RolloutEvent): { record: RolloutRecord; effects: unknown[] } | null {
  switch (event.type) {
    case 'HostJoined':
      if (record.state !== 'Opening') return { record, effects: NO_EFFECTS };
      return {
        record: { ...record, state: 'Active' },
        effects: [{ type: 'RecordRolloutTransition', rolloutId: record.rolloutId, from: record.state, to: 'Active', at: event.at }],
      };
    case 'HostStateChanged':
      if (event.to !== 'Failed') return { record, effects: NO_EFFECTS };
      return {
        record: { ...record, state: 'Failed' },
        effects: [{ type: 'RecordRolloutTransition', rolloutId: record.rolloutId, from: record.state, to: 'Failed', at: event.at }],
      };
    case 'WaveAdvanced':
      if (event.toWave <= record.currentWave) return { record, effects: NO_EFFECTS };
      return {
        record: { ...record, currentWave: event.toWave },
        effects: [{ type: 'UpdateCurrentWave', rolloutId: record.rolloutId, wave: event.toWave }],
      };
    case 'RolloutTerminal':
      return {
        record: { ...record, state: 'Terminal', terminalAt: event.at },
        effects: [{ type: 'RecordRolloutTransition', rolloutId: record.rolloutId, from: record.state, to: 'Terminal', at: event.at }],
      };
    default:
      return null;
  }
}

const LIVES = 2000;

function runHosts(step: (r: HostRecord, e: HostEvent) => { ok?: boolean; record?: HostRecord } | null, events: HostEvent[]): number {
  let n = 0;
  for (let i = 0; i < LIVES; i++) {
    let record = newPendingHost('stable@a1', `h${i}`, 'stable', 'target', T0, T0 + 300_000);
    for (const e of events) {
      const r = step(record, e);
      n++;
      if (r !== null && r.ok !== false && r.record !== undefined) record = r.record;
    }
    if (record.state !== 'Converged') throw new Error('host bench did not converge');
  }
  return n;
}

function runRollouts(step: (r: RolloutRecord, e: RolloutEvent) => { ok?: boolean; record?: RolloutRecord } | null, events: RolloutEvent[]): number {
  let n = 0;
  for (let i = 0; i < LIVES; i++) {
    let record = openRolloutRecord('stable', 'a1', T0);
    for (const e of events) {
      const r = step(record, e);
      n++;
      if (r !== null && r.ok !== false && r.record !== undefined) record = r.record;
    }
    if (record.state !== 'Terminal') throw new Error('rollout bench did not terminate');
  }
  return n;
}

export function benchSteps(print: (line: string) => void): void {
  const host = hostLife();
  const hostOps = LIVES * host.length;
  const bareH = nsPerOp(() => runHosts(bareHost, host), hostOps);
  print(`host machine (${host.length}-event agent lifecycle × ${LIVES}):`);
  print(row('bare reducer loop (the limit)', bareH, bareH));
  print(row('hostStep (compiled from the XState machine)', nsPerOp(() => runHosts((r, e) => hostStep(r, e, POLICY), host), hostOps), bareH));
  print(row('hostStepViaXState (xstate transition())', nsPerOp(() => runHosts((r, e) => hostStepViaXState(r, e, POLICY), host), hostOps, 3), bareH));

  const rollout = rolloutLife();
  const rolloutOps = LIVES * rollout.length;
  const bareR = nsPerOp(() => runRollouts(bareRollout, rollout), rolloutOps);
  print(`rollout machine (${rollout.length}-event lifecycle × ${LIVES}):`);
  print(row('bare reducer loop (the limit)', bareR, bareR));
  print(row('rolloutStep (compiled from the XState machine)', nsPerOp(() => runRollouts(rolloutStep, rollout), rolloutOps), bareR));
  print(row('rolloutStepViaXState (xstate transition())', nsPerOp(() => runRollouts(rolloutStepViaXState, rollout), rolloutOps, 3), bareR));
}
