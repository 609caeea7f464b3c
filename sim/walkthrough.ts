import type { HostEvent } from '../machines/host/event.ts';
import { remoteOf } from '../machines/host/outbound.ts';
import { type HostPolicy, type HostRecord, newPendingHost } from '../machines/host/state.ts';
import { hostStep } from '../machines/host/step.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
} from '../machines/rollout/state.ts';
import { rolloutStep } from '../machines/rollout/step.ts';
import type { Instant } from '../machines/time.ts';

/**
 * A scripted tour of both machines for one host: a rollout that converges, a successor
 * whose probe keeps failing and rolls back under rollback-and-halt, and a third ref that
 * supersedes it. Agent events go through the agent's host machine; each event it emits
 * is mirrored on the control plane's record as the matching Remote event, and the CP's
 * host changes drive the rollout machine as spec §4.3 says.
 */

export interface WalkStep {
  readonly at: Instant;
  readonly machine: 'rollout' | 'agent' | 'cp';
  readonly subject: string;
  readonly event: string;
  readonly from: string;
  readonly to: string;
  readonly effects: readonly string[];
  readonly error: string | null;
}

const T0 = Date.UTC(2026, 4, 16, 1, 0, 0);
const SOAK_MS = 5 * 60_000;
const POLICY: HostPolicy = { onHealthFailure: 'rollback-and-halt' };
const HOST = 'web-01';

export function walkthrough(): WalkStep[] {
  const steps: WalkStep[] = [];
  const rollouts = new Map<RolloutId, RolloutRecord>();
  const cp = new Map<RolloutId, HostRecord>();
  const agent = new Map<RolloutId, HostRecord>();

  const toRollout = (id: RolloutId, event: RolloutEvent) => {
    const record = rollouts.get(id);
    if (record === undefined) return;
    const r = rolloutStep(record, event);
    steps.push({
      at: event.at,
      machine: 'rollout',
      subject: id,
      event: event.type,
      from: record.state,
      to: r.ok ? r.record.state : record.state,
      effects: r.ok ? r.effects.map((e) => e.type) : [],
      error: r.ok ? null : r.error.type,
    });
    if (r.ok) rollouts.set(id, r.record);
  };

  const open = (ref: string, at: Instant) => {
    const record = openRolloutRecord('stable', ref, at);
    const predecessors = [...rollouts.values()].filter(
      (p) => p.state !== 'Superseded' && p.state !== 'Pruned',
    );
    rollouts.set(record.rolloutId, record);
    steps.push({
      at,
      machine: 'rollout',
      subject: record.rolloutId,
      event: 'RolloutOpened (row created, not stepped)',
      from: '-',
      to: 'Opening',
      effects: [],
      error: null,
    });
    for (const p of predecessors) {
      toRollout(p.rolloutId, {
        type: 'SuccessorOpened',
        supersededRolloutId: p.rolloutId,
        successorRolloutId: record.rolloutId,
        at,
      });
    }
    cp.set(
      record.rolloutId,
      newPendingHost(record.rolloutId, HOST, 'stable', `closure-${ref}`, at, at + SOAK_MS),
    );
    toRollout(record.rolloutId, {
      type: 'HostJoined',
      rolloutId: record.rolloutId,
      hostId: HOST,
      wave: 0,
      at,
    });
    return record.rolloutId;
  };

  const stepHost = (side: 'agent' | 'cp', at: Instant, record: HostRecord, event: HostEvent) => {
    const r = hostStep(record, event, POLICY);
    steps.push({
      at,
      machine: side,
      subject: HOST,
      event: `${event.type} seq ${event.seq}`,
      from: record.state,
      to: r.ok ? r.record.state : record.state,
      effects: r.ok
        ? r.effects.map((e) =>
            e.type === 'LocalEmitEvent' ? `${e.type}(${e.payload.type})` : e.type,
          )
        : [],
      error: r.ok ? null : r.error.type,
    });
    return r;
  };

  /** The agent's reducer owns its seq counter (spec §3.11); each emitted payload reaches the CP. */
  const agentDoes = (id: RolloutId, at: Instant, event: DistributiveOmit<HostEvent, 'seq'>) => {
    const record =
      agent.get(id) ??
      (event.type === 'LocalActivate'
        ? newPendingHost(id, HOST, 'stable', event.targetClosure, at, event.soakDueAt)
        : undefined);
    if (record === undefined) return;
    const r = stepHost('agent', at, record, {
      ...event,
      seq: record.lastEventSeq + 1,
    } as HostEvent);
    if (!r.ok) return;
    agent.set(id, r.record);
    for (const effect of r.effects) {
      if (effect.type !== 'LocalEmitEvent') continue;
      const mirror = cp.get(id);
      if (mirror === undefined) continue;
      const m = stepHost('cp', at, mirror, remoteOf(effect.payload));
      if (!m.ok) continue;
      cp.set(id, m.record);
      if (m.record.state === mirror.state) continue;
      toRollout(id, {
        type: 'HostStateChanged',
        rolloutId: id,
        hostId: HOST,
        from: mirror.state,
        to: m.record.state,
        at,
      });
      if (m.record.state === 'Converged')
        toRollout(id, { type: 'RolloutTerminal', rolloutId: id, at });
    }
  };

  const activate = (id: RolloutId, at: Instant, prior: string) => {
    const target = (cp.get(id) as HostRecord).targetClosure;
    agentDoes(id, at, {
      type: 'LocalActivate',
      currentClosureAtDispatch: prior,
      targetClosure: target,
      receivedAt: at,
      soakDueAt: at + SOAK_MS,
    });
    agentDoes(id, at + 5_000, {
      type: 'LocalActivationCompleted',
      observedCurrentClosure: target,
      exitCode: 0,
      completedAt: at + 5_000,
    });
    return target;
  };
  const probe = (id: RolloutId, at: Instant, status: 'pass' | 'fail') =>
    agentDoes(id, at, {
      type: 'LocalProbeResult',
      probeName: 'nginx',
      mode: 'enforce',
      status,
      observedAt: at,
      failureReason: status === 'fail' ? 'connection refused' : null,
      subResults: null,
    });

  // 1. Happy path.
  const a1 = open('a1', T0);
  const closureA = activate(a1, T0 + 1_000, 'closure-base');
  probe(a1, T0 + 10_000, 'pass');
  agentDoes(a1, T0 + SOAK_MS + 5_000, {
    type: 'LocalConvergedReached',
    convergedAt: T0 + SOAK_MS + 5_000,
    currentClosure: closureA,
  });

  // 2. A successor whose probe keeps failing: sustained failure, rollback, quarantine.
  const b = T0 + 3_600_000;
  const b2 = open('b2', b);
  activate(b2, b + 1_000, closureA);
  probe(b2, b + 10_000, 'fail');
  agentDoes(b2, b + 10_000, {
    type: 'LocalProbeFailureFirst',
    probeName: 'nginx',
    mode: 'enforce',
    firstFailedAt: b + 10_000,
  });
  agentDoes(b2, b + 130_000, {
    type: 'LocalSustainedFailureCrossed',
    failedAt: b + 130_000,
    sustainedDurationSecs: 120,
    failingProbes: ['nginx'],
    policyApplied: 'rollback-and-halt',
  });
  agentDoes(b2, b + 140_000, {
    type: 'LocalRollbackCompleted',
    revertedToClosure: closureA,
    exitCode: 0,
    completedAt: b + 140_000,
  });

  // 3. A third ref supersedes the failed rollout.
  open('c3', T0 + 7_200_000);
  return steps;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
