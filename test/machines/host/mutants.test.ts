import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { HostContext } from '../../../machines/host/context.ts';
import { HOST_EVENT_TYPES, type HostEventType } from '../../../machines/host/event.ts';
import { eventTime } from '../../../machines/host/event-time.ts';
import { hostGuards } from '../../../machines/host/guards.ts';
import { hostMachine } from '../../../machines/host/machine.ts';
import {
  LOCAL_OF_WIRE_KIND,
  outboundOf,
  remoteOf,
  WIRE_KINDS,
  wireKindOf,
} from '../../../machines/host/outbound.ts';
import { eventOf, ok, pendingRecord, ROLLBACK, recordIn, stepChecked, TARGET } from './fixtures.ts';

/*
 * Tests written against surviving mutants of machines/host (docs/mutation.md): behaviour
 * the table, scenario and property suites never pinned down.
 */

/** The timestamp field each event type is stamped with (spec §3.8.1), by wire kind. */
const TIME_FIELD: Record<HostEventType, string> = {
  LocalActivate: 'receivedAt',
  RemoteDispatchAck: 'receivedAt',
  LocalActivationStarted: 'startedAt',
  RemoteActivationStarted: 'startedAt',
  LocalActivationCompleted: 'completedAt',
  RemoteActivationCompleted: 'completedAt',
  LocalActivationDeferred: 'deferredAt',
  RemoteActivationDeferred: 'deferredAt',
  LocalActivationFailed: 'failedAt',
  RemoteActivationFailed: 'failedAt',
  LocalProbeTopologyDeclared: 'declaredAt',
  RemoteProbeTopologyDeclared: 'declaredAt',
  LocalProbeObservedFirst: 'observedAt',
  RemoteProbeObservedFirst: 'observedAt',
  LocalProbeResult: 'observedAt',
  RemoteProbeResult: 'observedAt',
  LocalProbeFailureFirst: 'firstFailedAt',
  RemoteProbeFailureFirst: 'firstFailedAt',
  LocalSustainedFailureCrossed: 'failedAt',
  RemoteFailed: 'failedAt',
  LocalRollbackCompleted: 'completedAt',
  RemoteRollbackComplete: 'completedAt',
  LocalConvergedReached: 'convergedAt',
  RemoteConverged: 'convergedAt',
};

describe('eventTime', () => {
  // Only transitions stamp a RecordTransition, so the step alone never reads the time of
  // the events that leave the state as it is (started, topology, probe observations).
  it.each(HOST_EVENT_TYPES)("%s: the event's own timestamp", (type) => {
    const event = eventOf(type, 1);
    const field = TIME_FIELD[type];
    expect(Object.keys(event)).toContain(field);
    expect(eventTime(event)).toBe((event as unknown as Record<string, number>)[field]);
  });
});

describe('convergence with no soak deadline', () => {
  // "No deadline means no check": a converged_at before 1970 is a negative Instant, which
  // the codecs accept (years 0000-9999), and must not be compared with a missing deadline.
  it.each(['LocalConvergedReached', 'RemoteConverged'] as const)(
    '%s converges whatever converged_at is when soak_due_at is None',
    (type) => {
      const record = recordIn('Soaking', { soakDueAt: null, probes: {} });
      for (const convergedAt of [Date.parse('1969-07-20T20:17:00Z'), 0, 1]) {
        const result = ok(
          stepChecked(record, eventOf(type, 8, { convergedAt, currentClosure: TARGET }), ROLLBACK),
        );
        expect(result.record.state).toBe('Converged');
        expect(result.record.convergedAt).toBe(convergedAt);
      }
    },
  );
});

describe('eventPolicyRollsBack', () => {
  const context = (): HostContext => ({
    record: recordIn('Soaking'),
    policy: ROLLBACK,
    effects: [],
    error: null,
  });

  it('reads the policy of a LocalSustainedFailureCrossed only', () => {
    const local = eventOf('LocalSustainedFailureCrossed', 8, {
      policyApplied: 'rollback-and-halt',
    });
    const remote = eventOf('RemoteFailed', 8, { policyApplied: 'rollback-and-halt' });
    expect(hostGuards.eventPolicyRollsBack(context(), local)).toBe(true);
    expect(hostGuards.eventPolicyRollsBack(context(), remote)).toBe(false);
  });
});

describe('the XState machine as an actor', () => {
  it('starts in Pending with the context it is given as input', () => {
    const input: HostContext = {
      record: pendingRecord(),
      policy: ROLLBACK,
      effects: [],
      error: null,
    };
    const actor = createActor(hostMachine, { input });
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('Pending');
    expect(snapshot.context).toEqual(input);
  });
});

describe('wire kinds (spec §3.4)', () => {
  const remotes = HOST_EVENT_TYPES.filter((t) => t.startsWith('Remote'));

  it('the CP rebuilds from a payload exactly the Remote event it mirrors', () => {
    expect(remotes).toHaveLength(12);
    for (const type of remotes) {
      const event = eventOf(type, 4);
      const payload = outboundOf(event);
      expect(payload.type).toBe(wireKindOf(type));
      expect(remoteOf(payload)).toStrictEqual(event);
    }
  });

  it('a Local event and its Remote mirror share one wire kind; the twelve kinds are distinct', () => {
    for (const kind of WIRE_KINDS) {
      const local = LOCAL_OF_WIRE_KIND[kind];
      expect(wireKindOf(local)).toBe(kind);
      expect(remoteOf(outboundOf(eventOf(local, 2))).type).toMatch(/^Remote/);
      expect(wireKindOf(remoteOf(outboundOf(eventOf(local, 2))).type)).toBe(kind);
    }
    expect(new Set(HOST_EVENT_TYPES.map(wireKindOf)).size).toBe(12);
  });
});
