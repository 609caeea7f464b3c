import type { HostContext } from './context.ts';
import type { HostEffect } from './effect.ts';
import type { HostEvent, HostEventOf, HostEventType } from './event.ts';
import { eventTime } from './event-time.ts';
import { outboundOf } from './outbound.ts';
import { type HostRecord, type HostState, newPendingHost } from './state.ts';

/*
 * The host machine's actions: pure functions from context to context. Field writers
 * change the record; emitters append one effect. A transition lists them in the order
 * spec §3.8.1 gives, so the effect order is the config order.
 */

type Action<P = undefined> = (context: HostContext, event: HostEvent, params: P) => HostContext;

/*
 * The compiled step (step.ts) hands the actions a record and an effect list made for that
 * one step, which nothing else can see until it returns: writes and emits change those in
 * place, instead of copying a twenty-field record three times a step. Anything else (a
 * context from XState's transition(), the tests') is copied, as pure actions must.
 */
const owned: { record: HostRecord | null; effects: HostEffect[] | null } = {
  record: null,
  effects: null,
};

/** Runs `step` on a context of its own: a copy of `record` and a fresh effect list. */
export function withOwnContext<R>(
  record: HostRecord,
  step: (record: HostRecord, effects: HostEffect[]) => R,
): R {
  const own = copyOf(record);
  const effects: HostEffect[] = [];
  owned.record = own;
  owned.effects = effects;
  try {
    return step(own, effects);
  } finally {
    owned.record = null;
    owned.effects = null;
  }
}

/** The record's fields in the order every record has them: a new record's. */
const KEYS = Object.keys(newPendingHost('', '', '', '', 0, 0));

/*
 * A copy of the record. Spread (`{ ...record }`) would do, but records reach the step
 * with many hidden classes (made by the machine, rebuilt from columns, fields turning
 * from null to numbers), which sends V8's object clone down its slow path, a property at
 * a time: a sixth of a checked run's host step. One literal gives one class. A record
 * with other keys or another order (hand-written ones in tests) is spread as it is.
 */
function copyOf(r: HostRecord): HostRecord {
  let i = 0;
  for (const key in r) if (key !== KEYS[i++]) return { ...r };
  if (i !== KEYS.length) return { ...r };
  return {
    rolloutId: r.rolloutId,
    hostname: r.hostname,
    channel: r.channel,
    state: r.state,
    targetClosure: r.targetClosure,
    currentClosureAtDispatch: r.currentClosureAtDispatch,
    currentClosure: r.currentClosure,
    revertedTo: r.revertedTo,
    dispatchedAt: r.dispatchedAt,
    dispatchAckedAt: r.dispatchAckedAt,
    activationStartedAt: r.activationStartedAt,
    activationCompletedAt: r.activationCompletedAt,
    activationFailedAt: r.activationFailedAt,
    probeObservedFirstAt: r.probeObservedFirstAt,
    probeFailureFirstAt: r.probeFailureFirstAt,
    soakDueAt: r.soakDueAt,
    convergedAt: r.convergedAt,
    failedAt: r.failedAt,
    policyApplied: r.policyApplied,
    revertedAt: r.revertedAt,
    probes: r.probes,
    lastEventSeq: r.lastEventSeq,
  };
}

function write(context: HostContext, fields: Partial<HostRecord>): HostContext {
  if (context.record === owned.record) {
    Object.assign(owned.record, fields);
    return context;
  }
  return { ...context, record: { ...context.record, ...fields } };
}

function emit(context: HostContext, effect: HostEffect): HostContext {
  if (context.effects === owned.effects) {
    owned.effects.push(effect);
    return context;
  }
  return { ...context, effects: [...context.effects, effect] };
}

/** A field writer for the events of the given types; other events are left alone. */
function writer<T extends HostEventType>(
  types: readonly T[],
  fields: (event: HostEventOf<T>, record: HostRecord, context: HostContext) => Partial<HostRecord>,
): Action {
  return (context, event) =>
    (types as readonly string[]).includes(event.type)
      ? write(context, fields(event as HostEventOf<T>, context.record, context))
      : context;
}

const markSeq: Action = (context, event) => write(context, { lastEventSeq: event.seq });

const recordTransition: Action<{ to: HostState }> = (context, event, { to }) => {
  const { record } = context;
  const effect: HostEffect = {
    type: 'RecordTransition',
    host: record.hostname,
    rolloutId: record.rolloutId,
    from: record.state,
    to,
    at: eventTime(event),
  };
  return emit(write(context, { state: to }), effect);
};

const emitEvent: Action<{ durable: boolean }> = (context, event, { durable }) =>
  emit(context, {
    type: 'LocalEmitEvent',
    rolloutId: context.record.rolloutId,
    payload: outboundOf(event),
    durable,
  });

const appendEventLog: Action = (context, event) =>
  emit(context, {
    type: 'RemoteAppendEventLog',
    host: context.record.hostname,
    rolloutId: context.record.rolloutId,
    payload: outboundOf(event),
  });

/** The switch targets the record's closure; the event's target only seeds a new record (§3.12). */
const fireSwitch: Action = (context) =>
  emit(context, {
    type: 'LocalFireSwitch',
    rolloutId: context.record.rolloutId,
    target: context.record.targetClosure,
  });

/** Guarded by a known prior closure: the guard, not this action, decides whether to roll back. */
const fireRollback: Action = (context) =>
  emit(context, {
    type: 'LocalFireRollbackTo',
    rolloutId: context.record.rolloutId,
    closure: context.record.currentClosureAtDispatch ?? '',
  });

const resetProbeCache: Action = (context) =>
  emit(context, { type: 'LocalResetProbeCache', rolloutId: context.record.rolloutId });

/** The bad closure is the target this host was sent to, quarantined on its channel. */
const insertQuarantine: Action = (context) =>
  emit(context, {
    type: 'RemoteInsertQuarantine',
    channel: context.record.channel,
    closure: context.record.targetClosure,
  });

const ackDispatch = writer(['LocalActivate', 'RemoteDispatchAck'], (e) => ({
  currentClosureAtDispatch: e.currentClosureAtDispatch,
  dispatchAckedAt: e.receivedAt,
}));

const noteActivationStarted = writer(
  ['LocalActivationStarted', 'RemoteActivationStarted'],
  (e) => ({
    activationStartedAt: e.startedAt,
  }),
);

/** Neither exit code nor observed closure is checked (spec §6 item 14). Probes start afresh. */
const completeActivation = writer(
  ['LocalActivationCompleted', 'RemoteActivationCompleted'],
  (e) => ({
    activationCompletedAt: e.completedAt,
    currentClosure: e.observedCurrentClosure,
    probes: {},
  }),
);

const failActivation = writer(['LocalActivationFailed', 'RemoteActivationFailed'], (e) => ({
  activationFailedAt: e.failedAt,
  failedAt: e.failedAt,
}));

/** Only an activation failure from Activating records the policy argument (§3.8.1, §6 item 13). */
const applyPolicy: Action = (context) =>
  write(context, { policyApplied: context.policy.onHealthFailure });

const noteProbeObservedFirst = writer(
  ['LocalProbeObservedFirst', 'RemoteProbeObservedFirst'],
  (e, r) => ({
    probeObservedFirstAt: r.probeObservedFirstAt ?? e.observedAt,
  }),
);

/** `update_probe` of soaking.rs. */
const updateProbe = writer(['LocalProbeResult', 'RemoteProbeResult'], (e, r) => {
  const prior = r.probes[e.probeName];
  const passed = e.status === 'pass';
  return {
    probes: {
      ...r.probes,
      [e.probeName]: {
        status: e.status,
        mode: e.mode,
        lastObservedAt: e.observedAt,
        lastPassAt: passed ? e.observedAt : (prior?.lastPassAt ?? null),
        failureReason: passed ? null : e.failureReason,
      },
    },
  };
});

/** The first failure wins and is never cleared: the sustained-failure clock never resets (§6 item 12). */
const noteProbeFailureFirst = writer(
  ['LocalProbeFailureFirst', 'RemoteProbeFailureFirst'],
  (e, r) => ({
    probeFailureFirstAt: r.probeFailureFirstAt ?? e.firstFailedAt,
  }),
);

const failSustained = writer(['LocalSustainedFailureCrossed', 'RemoteFailed'], (e) => ({
  failedAt: e.failedAt,
  policyApplied: e.policyApplied,
}));

const converge = writer(['LocalConvergedReached', 'RemoteConverged'], (e) => ({
  convergedAt: e.convergedAt,
  currentClosure: e.currentClosure,
}));

/** The rollback target is not compared with the prior closure (§6 item 14). */
const revert = writer(['LocalRollbackCompleted', 'RemoteRollbackComplete'], (e) => ({
  revertedAt: e.completedAt,
  revertedTo: e.revertedToClosure,
  currentClosure: e.revertedToClosure,
}));

const rejectIllegal: Action = (context, event) => ({
  ...context,
  error: {
    type: 'IllegalForState',
    from: context.record.state,
    event: event.type,
    rolloutId: context.record.rolloutId,
    hostname: context.record.hostname,
  },
});

const rejectSeqRegression: Action = (context, event) => ({
  ...context,
  error: {
    type: 'SeqRegression',
    got: event.seq,
    last: context.record.lastEventSeq,
    rolloutId: context.record.rolloutId,
    hostname: context.record.hostname,
  },
});

const rejectInvariant: Action<{ message: string }> = (context, _event, { message }) => ({
  ...context,
  error: { type: 'Invariant', message },
});

export const hostActions = {
  markSeq,
  recordTransition,
  emitEvent,
  appendEventLog,
  fireSwitch,
  fireRollback,
  resetProbeCache,
  insertQuarantine,
  ackDispatch,
  noteActivationStarted,
  completeActivation,
  failActivation,
  applyPolicy,
  noteProbeObservedFirst,
  updateProbe,
  noteProbeFailureFirst,
  failSustained,
  converge,
  revert,
  rejectIllegal,
  rejectSeqRegression,
  rejectInvariant,
};
