import type { HostEvent } from '../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../machines/host/state.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import type { RolloutRecord } from '../machines/rollout/state.ts';

/*
 * The event mixes the benches replay, and the bare hand-written reducers that are the
 * limit every ratio is taken against: a switch over the same events that builds the
 * same new record and effect list, and nothing else.
 */

export const T0 = Date.UTC(2026, 4, 16, 1);
export const POLICY: HostPolicy = { onHealthFailure: 'rollback-and-halt' };

/** One host's life through the agent machine: activation, soak with probes, convergence. */
export function hostLife(): HostEvent[] {
  const events: HostEvent[] = [
    {
      type: 'LocalActivate',
      currentClosureAtDispatch: 'prior',
      targetClosure: 'target',
      receivedAt: T0,
      soakDueAt: T0 + 300_000,
      seq: 1,
    },
    { type: 'LocalActivationStarted', startedAt: T0 + 1000, switchMethod: 'switch', seq: 2 },
    {
      type: 'LocalActivationCompleted',
      observedCurrentClosure: 'target',
      exitCode: 0,
      completedAt: T0 + 5000,
      seq: 3,
    },
    {
      type: 'LocalProbeObservedFirst',
      probeName: 'nginx',
      mode: 'enforce',
      observedAt: T0 + 6000,
      seq: 4,
    },
  ];
  for (let i = 0; i < 12; i++) {
    events.push({
      type: 'LocalProbeResult',
      probeName: 'nginx',
      mode: 'enforce',
      status: 'pass',
      observedAt: T0 + 6000 + i * 30_000,
      failureReason: null,
      subResults: null,
      seq: 5 + i,
    });
  }
  events.push({
    type: 'LocalConvergedReached',
    convergedAt: T0 + 400_000,
    currentClosure: 'target',
    seq: 17,
  });
  return events;
}

/** One rollout's life: every host joins, hosts change state, waves advance, it terminates. */
export function rolloutLife(): RolloutEvent[] {
  const id = 'stable@a1';
  const events: RolloutEvent[] = [];
  for (let h = 0; h < 8; h++)
    events.push({ type: 'HostJoined', rolloutId: id, hostId: `h${h}`, wave: h % 2, at: T0 });
  for (let h = 0; h < 8; h++) {
    events.push({
      type: 'HostStateChanged',
      rolloutId: id,
      hostId: `h${h}`,
      from: 'Pending',
      to: 'Activating',
      at: T0 + h,
    });
    events.push({
      type: 'HostStateChanged',
      rolloutId: id,
      hostId: `h${h}`,
      from: 'Soaking',
      to: 'Converged',
      at: T0 + h,
    });
  }
  events.push({ type: 'WaveAdvanced', rolloutId: id, fromWave: 0, toWave: 1, at: T0 + 100 });
  events.push({ type: 'RolloutTerminal', rolloutId: id, at: T0 + 200 });
  return events;
}

export function bareHost(
  record: HostRecord,
  event: HostEvent,
): { record: HostRecord; effects: unknown[] } | null {
  if (event.seq <= record.lastEventSeq) return null;
  switch (event.type) {
    case 'LocalActivate':
      return {
        record: {
          ...record,
          state: 'Activating',
          currentClosureAtDispatch: event.currentClosureAtDispatch,
          dispatchAckedAt: event.receivedAt,
          lastEventSeq: event.seq,
        },
        effects: [
          {
            type: 'RecordTransition',
            host: record.hostname,
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Activating',
            at: event.receivedAt,
          },
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: {
              type: 'DispatchAck',
              currentClosureAtDispatch: event.currentClosureAtDispatch,
              receivedAt: event.receivedAt,
              seq: event.seq,
            },
            durable: true,
          },
          { type: 'LocalFireSwitch', rolloutId: record.rolloutId, target: record.targetClosure },
        ],
      };
    case 'LocalActivationStarted':
      return {
        record: { ...record, activationStartedAt: event.startedAt, lastEventSeq: event.seq },
        effects: [
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: { ...event, type: 'ActivationStarted' },
            durable: true,
          },
        ],
      };
    case 'LocalActivationCompleted':
      return {
        record: {
          ...record,
          state: 'Soaking',
          activationCompletedAt: event.completedAt,
          currentClosure: event.observedCurrentClosure,
          probes: {},
          lastEventSeq: event.seq,
        },
        effects: [
          { type: 'LocalResetProbeCache', rolloutId: record.rolloutId },
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: { ...event, type: 'ActivationCompleted' },
            durable: true,
          },
          {
            type: 'RecordTransition',
            host: record.hostname,
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Soaking',
            at: event.completedAt,
          },
        ],
      };
    case 'LocalProbeObservedFirst':
      return {
        record: {
          ...record,
          probeObservedFirstAt: record.probeObservedFirstAt ?? event.observedAt,
          lastEventSeq: event.seq,
        },
        effects: [
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: { ...event, type: 'ProbeObservedFirst' },
            durable: false,
          },
        ],
      };
    case 'LocalProbeResult':
      return {
        record: {
          ...record,
          probes: {
            ...record.probes,
            [event.probeName]: {
              status: event.status,
              mode: event.mode,
              lastObservedAt: event.observedAt,
              lastPassAt: event.observedAt,
              failureReason: null,
            },
          },
          lastEventSeq: event.seq,
        },
        effects: [
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: { ...event, type: 'ProbeResult' },
            durable: false,
          },
        ],
      };
    case 'LocalConvergedReached':
      if (event.currentClosure !== record.targetClosure) return null;
      return {
        record: {
          ...record,
          state: 'Converged',
          convergedAt: event.convergedAt,
          currentClosure: event.currentClosure,
          lastEventSeq: event.seq,
        },
        effects: [
          {
            type: 'LocalEmitEvent',
            rolloutId: record.rolloutId,
            payload: { ...event, type: 'Converged' },
            durable: true,
          },
          {
            type: 'RecordTransition',
            host: record.hostname,
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Converged',
            at: event.convergedAt,
          },
        ],
      };
    default:
      return null;
  }
}

const NO_EFFECTS: unknown[] = [];

export function bareRollout(
  record: RolloutRecord,
  event: RolloutEvent,
): { record: RolloutRecord; effects: unknown[] } | null {
  switch (event.type) {
    case 'HostJoined':
      if (record.state !== 'Opening') return { record, effects: NO_EFFECTS };
      return {
        record: { ...record, state: 'Active' },
        effects: [
          {
            type: 'RecordRolloutTransition',
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Active',
            at: event.at,
          },
        ],
      };
    case 'HostStateChanged':
      if (event.to !== 'Failed') return { record, effects: NO_EFFECTS };
      return {
        record: { ...record, state: 'Failed' },
        effects: [
          {
            type: 'RecordRolloutTransition',
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Failed',
            at: event.at,
          },
        ],
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
        effects: [
          {
            type: 'RecordRolloutTransition',
            rolloutId: record.rolloutId,
            from: record.state,
            to: 'Terminal',
            at: event.at,
          },
        ],
      };
    default:
      return null;
  }
}
