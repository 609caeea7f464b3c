import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostTransitionError } from '../../machines/host/error.ts';
import type { HostEvent, HostEventOf, HostEventType } from '../../machines/host/event.ts';
import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import type {
  ClosureHash,
  HostPolicy,
  HostRecord,
  HostState,
  ProbeMode,
  ProbeName,
  ProbeRecord,
  ProbeStatus,
} from '../../machines/host/state.ts';
import type { Instant } from '../../machines/time.ts';
import { plainEqual } from '../plain-equal.ts';

/*
 * An independent re-statement of spec §3.6–§3.8.1 (nixfleet-lifecycle.md), written from
 * the spec text and NOT from machines/host. Only *types* are imported from the machine;
 * every value here (state and event lists, the legal table, fields written, effect
 * orders, payloads, invariant messages) is transcribed from the spec so that a test
 * comparing the machine with this model is a comparison with the spec. The machine
 * tests compare on every cell; the invariant `model.steps-agree` compares every host step
 * a simulated run takes, so `check` and `explore` catch a wrong cell the run reaches.
 */

// ---------------------------------------------------------------------------------------
// §3.1 / §3.4 / §3.6 vocabulary
// ---------------------------------------------------------------------------------------

/** §3.1, in table order. */
export const SPEC_STATES = [
  'Pending',
  'Activating',
  'Deferred',
  'Soaking',
  'Converged',
  'Failed',
  'Reverted',
] as const satisfies readonly HostState[];

/** §3.4: 12 Local variants, then their 12 Remote mirrors (same row order as the table). */
export const SPEC_LOCAL_EVENTS = [
  'LocalActivate',
  'LocalActivationStarted',
  'LocalActivationCompleted',
  'LocalActivationDeferred',
  'LocalActivationFailed',
  'LocalProbeTopologyDeclared',
  'LocalProbeObservedFirst',
  'LocalProbeResult',
  'LocalProbeFailureFirst',
  'LocalSustainedFailureCrossed',
  'LocalRollbackCompleted',
  'LocalConvergedReached',
] as const satisfies readonly HostEventType[];

export const SPEC_REMOTE_EVENTS = [
  'RemoteDispatchAck',
  'RemoteActivationStarted',
  'RemoteActivationCompleted',
  'RemoteActivationDeferred',
  'RemoteActivationFailed',
  'RemoteProbeTopologyDeclared',
  'RemoteProbeObservedFirst',
  'RemoteProbeResult',
  'RemoteProbeFailureFirst',
  'RemoteFailed',
  'RemoteRollbackComplete',
  'RemoteConverged',
] as const satisfies readonly HostEventType[];

export const SPEC_EVENTS: readonly HostEventType[] = [...SPEC_LOCAL_EVENTS, ...SPEC_REMOTE_EVENTS];

/** §3.4: the Remote mirror of each Local event (same row of the table). */
export const REMOTE_MIRROR: Readonly<Record<(typeof SPEC_LOCAL_EVENTS)[number], HostEventType>> = {
  LocalActivate: 'RemoteDispatchAck',
  LocalActivationStarted: 'RemoteActivationStarted',
  LocalActivationCompleted: 'RemoteActivationCompleted',
  LocalActivationDeferred: 'RemoteActivationDeferred',
  LocalActivationFailed: 'RemoteActivationFailed',
  LocalProbeTopologyDeclared: 'RemoteProbeTopologyDeclared',
  LocalProbeObservedFirst: 'RemoteProbeObservedFirst',
  LocalProbeResult: 'RemoteProbeResult',
  LocalProbeFailureFirst: 'RemoteProbeFailureFirst',
  LocalSustainedFailureCrossed: 'RemoteFailed',
  LocalRollbackCompleted: 'RemoteRollbackComplete',
  LocalConvergedReached: 'RemoteConverged',
};

/** §3.4 "Wire AgentEvent kind" column: the outbound payload's variant for each event. */
export const SPEC_WIRE_KIND: Readonly<Record<HostEventType, OutboundAgentEvent['type']>> = {
  LocalActivate: 'DispatchAck',
  RemoteDispatchAck: 'DispatchAck',
  LocalActivationStarted: 'ActivationStarted',
  RemoteActivationStarted: 'ActivationStarted',
  LocalActivationCompleted: 'ActivationCompleted',
  RemoteActivationCompleted: 'ActivationCompleted',
  LocalActivationDeferred: 'ActivationDeferred',
  RemoteActivationDeferred: 'ActivationDeferred',
  LocalActivationFailed: 'ActivationFailed',
  RemoteActivationFailed: 'ActivationFailed',
  LocalProbeTopologyDeclared: 'ProbeTopologyDeclared',
  RemoteProbeTopologyDeclared: 'ProbeTopologyDeclared',
  LocalProbeObservedFirst: 'ProbeObservedFirst',
  RemoteProbeObservedFirst: 'ProbeObservedFirst',
  LocalProbeResult: 'ProbeResult',
  RemoteProbeResult: 'ProbeResult',
  LocalProbeFailureFirst: 'ProbeFailureFirst',
  RemoteProbeFailureFirst: 'ProbeFailureFirst',
  LocalSustainedFailureCrossed: 'Failed',
  RemoteFailed: 'Failed',
  LocalRollbackCompleted: 'RollbackComplete',
  RemoteRollbackComplete: 'RollbackComplete',
  LocalConvergedReached: 'Converged',
  RemoteConverged: 'Converged',
};

/** §3.6: the three `Invariant` messages, verbatim. */
export const SPEC_INVARIANT = {
  closure: 'Converged event: current_closure != target_closure',
  soak: 'Converged event: converged_at before soak_due_at',
  probes: 'Converged event: at least one enforce-mode probe is not Pass',
} as const;

export function isLocal(type: HostEventType): boolean {
  return type.startsWith('Local');
}

// ---------------------------------------------------------------------------------------
// Payloads (§3.5 OutboundAgentEvent: "the same fields as its event, plus seq"; the wire
// DispatchAck carries the Remote fields, so LocalActivate's target/soak do not travel).
// ---------------------------------------------------------------------------------------

/** Each field listed explicitly, so an extra or missing field in the machine's payload shows. */
export function specPayload(e: HostEvent): OutboundAgentEvent {
  const kind = SPEC_WIRE_KIND[e.type];
  let fields: Record<string, unknown>;
  switch (e.type) {
    case 'LocalActivate':
    case 'RemoteDispatchAck':
      fields = { currentClosureAtDispatch: e.currentClosureAtDispatch, receivedAt: e.receivedAt };
      break;
    case 'LocalActivationStarted':
    case 'RemoteActivationStarted':
      fields = { startedAt: e.startedAt, switchMethod: e.switchMethod };
      break;
    case 'LocalActivationCompleted':
    case 'RemoteActivationCompleted':
      fields = {
        observedCurrentClosure: e.observedCurrentClosure,
        exitCode: e.exitCode,
        completedAt: e.completedAt,
      };
      break;
    case 'LocalActivationDeferred':
    case 'RemoteActivationDeferred':
      fields = { component: e.component, deferredAt: e.deferredAt };
      break;
    case 'LocalActivationFailed':
    case 'RemoteActivationFailed':
      fields = { exitCode: e.exitCode, stderrTail: e.stderrTail, failedAt: e.failedAt };
      break;
    case 'LocalProbeTopologyDeclared':
    case 'RemoteProbeTopologyDeclared':
      fields = { probes: e.probes, declaredAt: e.declaredAt };
      break;
    case 'LocalProbeObservedFirst':
    case 'RemoteProbeObservedFirst':
      fields = { probeName: e.probeName, mode: e.mode, observedAt: e.observedAt };
      break;
    case 'LocalProbeResult':
    case 'RemoteProbeResult':
      fields = {
        probeName: e.probeName,
        mode: e.mode,
        status: e.status,
        observedAt: e.observedAt,
        failureReason: e.failureReason,
        // "sub_results passed through verbatim"
        subResults: e.subResults,
      };
      break;
    case 'LocalProbeFailureFirst':
    case 'RemoteProbeFailureFirst':
      fields = { probeName: e.probeName, mode: e.mode, firstFailedAt: e.firstFailedAt };
      break;
    case 'LocalSustainedFailureCrossed':
    case 'RemoteFailed':
      fields = {
        failedAt: e.failedAt,
        sustainedDurationSecs: e.sustainedDurationSecs,
        failingProbes: e.failingProbes,
        policyApplied: e.policyApplied,
      };
      break;
    case 'LocalRollbackCompleted':
    case 'RemoteRollbackComplete':
      fields = {
        revertedToClosure: e.revertedToClosure,
        exitCode: e.exitCode,
        completedAt: e.completedAt,
      };
      break;
    case 'LocalConvergedReached':
    case 'RemoteConverged':
      fields = { convergedAt: e.convergedAt, currentClosure: e.currentClosure };
      break;
  }
  // One loop, not `{ type, ...fields, seq }`: a spread of a dozen shapes is V8's slow path.
  const payload: Record<string, unknown> = { type: kind };
  for (const key in fields) payload[key] = fields[key];
  payload.seq = e.seq;
  return payload as unknown as OutboundAgentEvent;
}

/** "Each RT uses the event's own timestamp as `at`" (§3.8.1). */
export function specEventTime(e: HostEvent): Instant {
  switch (e.type) {
    case 'LocalActivate':
    case 'RemoteDispatchAck':
      return e.receivedAt;
    case 'LocalActivationStarted':
    case 'RemoteActivationStarted':
      return e.startedAt;
    case 'LocalActivationCompleted':
    case 'RemoteActivationCompleted':
      return e.completedAt;
    case 'LocalActivationDeferred':
    case 'RemoteActivationDeferred':
      return e.deferredAt;
    case 'LocalActivationFailed':
    case 'RemoteActivationFailed':
      return e.failedAt;
    case 'LocalProbeTopologyDeclared':
    case 'RemoteProbeTopologyDeclared':
      return e.declaredAt;
    case 'LocalProbeObservedFirst':
    case 'RemoteProbeObservedFirst':
      return e.observedAt;
    case 'LocalProbeResult':
    case 'RemoteProbeResult':
      return e.observedAt;
    case 'LocalProbeFailureFirst':
    case 'RemoteProbeFailureFirst':
      return e.firstFailedAt;
    case 'LocalSustainedFailureCrossed':
    case 'RemoteFailed':
      return e.failedAt;
    case 'LocalRollbackCompleted':
    case 'RemoteRollbackComplete':
      return e.completedAt;
    case 'LocalConvergedReached':
    case 'RemoteConverged':
      return e.convergedAt;
  }
}

// ---------------------------------------------------------------------------------------
// Effect builders (§3.5 field lists)
// ---------------------------------------------------------------------------------------

const RT = (r: HostRecord, to: HostState, at: Instant): HostEffect => ({
  type: 'RecordTransition',
  host: r.hostname,
  rolloutId: r.rolloutId,
  from: r.state,
  to,
  at,
});
const EMIT = (r: HostRecord, e: HostEvent, durable: boolean): HostEffect => ({
  type: 'LocalEmitEvent',
  rolloutId: r.rolloutId,
  payload: specPayload(e),
  durable,
});
const APPEND = (r: HostRecord, e: HostEvent): HostEffect => ({
  type: 'RemoteAppendEventLog',
  host: r.hostname,
  rolloutId: r.rolloutId,
  payload: specPayload(e),
});
const FIRE_SWITCH = (r: HostRecord): HostEffect => ({
  type: 'LocalFireSwitch',
  rolloutId: r.rolloutId,
  target: r.targetClosure,
});
const FIRE_ROLLBACK = (r: HostRecord, closure: ClosureHash): HostEffect => ({
  type: 'LocalFireRollbackTo',
  rolloutId: r.rolloutId,
  closure,
});
const RESET_PROBES = (r: HostRecord): HostEffect => ({
  type: 'LocalResetProbeCache',
  rolloutId: r.rolloutId,
});
const QUARANTINE = (r: HostRecord): HostEffect => ({
  type: 'RemoteInsertQuarantine',
  channel: r.channel,
  closure: r.targetClosure,
});

// ---------------------------------------------------------------------------------------
// update_probe (§3.8.1) and the convergence invariants (§3.10)
// ---------------------------------------------------------------------------------------

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export function specUpdateProbe(
  probes: Readonly<Record<ProbeName, ProbeRecord>>,
  name: ProbeName,
  mode: ProbeMode,
  status: ProbeStatus,
  observedAt: Instant,
  failureReason: string | null,
): Record<ProbeName, ProbeRecord> {
  const existing = Object.hasOwn(probes, name) ? probes[name] : undefined;
  // "If the probe is new, create a record {status, mode, last_observed_at: observed_at,
  //  last_pass_at: None, failure_reason: None}."
  const rec: Mutable<ProbeRecord> =
    existing === undefined
      ? { status, mode, lastObservedAt: observedAt, lastPassAt: null, failureReason: null }
      : { ...existing };
  // "Then always set status, mode and last_observed_at."
  rec.status = status;
  rec.mode = mode;
  rec.lastObservedAt = observedAt;
  if (status === 'pass') {
    // "If the status is Pass: set last_pass_at = observed_at and failure_reason = None."
    rec.lastPassAt = observedAt;
    rec.failureReason = null;
  } else {
    // "Otherwise: set failure_reason to the event's value."
    rec.failureReason = failureReason;
  }
  const out: Record<ProbeName, ProbeRecord> = {};
  for (const k in probes) put(out, k, probes[k] as ProbeRecord);
  put(out, name, rec);
  return out;
}

/**
 * `out[key] = value`, but as an own field for `__proto__` too (a probe may be named so
 * on `step`'s input), where assignment would set the prototype instead. Only that name
 * pays for defineProperty: every probe result of a checked run comes here.
 */
function put(out: Record<ProbeName, ProbeRecord>, key: string, value: ProbeRecord): void {
  if (key !== '__proto__') out[key] = value;
  else
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
}

/** §3.10 `verify_converged_invariants`: first failure wins, in this order. */
export function specConvergedInvariant(
  r: HostRecord,
  currentClosure: ClosureHash,
  convergedAt: Instant,
): string | null {
  if (currentClosure !== r.targetClosure) return SPEC_INVARIANT.closure;
  if (r.soakDueAt !== null && !(convergedAt >= r.soakDueAt)) return SPEC_INVARIANT.soak;
  for (const p of Object.values(r.probes)) {
    if (p.mode === 'enforce' && p.status !== 'pass') return SPEC_INVARIANT.probes;
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// §3.8 / §3.8.1: the 28 legal cells
// ---------------------------------------------------------------------------------------

export type Outcome =
  | { readonly fields: Partial<HostRecord>; readonly effects: readonly HostEffect[] }
  | { readonly invariant: string };

export interface Cell {
  /** The state after a successful step (the same state for "(same)" rows). */
  readonly to: HostState;
  /** The record fields the arm may write, besides `state` and `last_event_seq`. */
  readonly writes: readonly (keyof HostRecord)[];
  /** Local arms only: the `durable` flag of the LocalEmitEvent. */
  readonly durable: boolean | null;
  readonly run: (r: HostRecord, e: HostEvent, p: HostPolicy) => Outcome;
}

function cell<T extends HostEventType>(
  _type: T,
  to: HostState,
  writes: readonly (keyof HostRecord)[],
  durable: boolean | null,
  run: (r: HostRecord, e: HostEventOf<T>, p: HostPolicy) => Outcome,
): Cell {
  return { to, writes, durable, run: run as Cell['run'] };
}

const ACK_WRITES = ['currentClosureAtDispatch', 'dispatchAckedAt'] as const;
const COMPLETE_WRITES = ['activationCompletedAt', 'currentClosure', 'probes'] as const;

/** Activating / Deferred × ActivationCompleted: identical arms in both states. */
const COMPLETION = {
  LocalActivationCompleted: cell(
    'LocalActivationCompleted',
    'Soaking',
    COMPLETE_WRITES,
    true,
    (r, e) => ({
      fields: {
        activationCompletedAt: e.completedAt,
        currentClosure: e.observedCurrentClosure,
        probes: {},
      },
      effects: [RESET_PROBES(r), EMIT(r, e, true), RT(r, 'Soaking', e.completedAt)],
    }),
  ),
  RemoteActivationCompleted: cell(
    'RemoteActivationCompleted',
    'Soaking',
    COMPLETE_WRITES,
    null,
    (r, e) => ({
      fields: {
        activationCompletedAt: e.completedAt,
        currentClosure: e.observedCurrentClosure,
        probes: {},
      },
      effects: [APPEND(r, e), RT(r, 'Soaking', e.completedAt)],
    }),
  ),
};

function converge(local: boolean) {
  return (r: HostRecord, e: HostEventOf<'LocalConvergedReached' | 'RemoteConverged'>): Outcome => {
    const broken = specConvergedInvariant(r, e.currentClosure, e.convergedAt);
    if (broken !== null) return { invariant: broken };
    return {
      fields: { convergedAt: e.convergedAt, currentClosure: e.currentClosure },
      effects: [local ? EMIT(r, e, true) : APPEND(r, e), RT(r, 'Converged', e.convergedAt)],
    };
  };
}

export const SPEC_TABLE: {
  readonly [S in HostState]: Readonly<Partial<Record<HostEventType, Cell>>>;
} = {
  Pending: {
    LocalActivate: cell('LocalActivate', 'Activating', ACK_WRITES, true, (r, e) => ({
      // ev.target_closure and ev.soak_due_at are ignored.
      fields: {
        currentClosureAtDispatch: e.currentClosureAtDispatch,
        dispatchAckedAt: e.receivedAt,
      },
      effects: [RT(r, 'Activating', e.receivedAt), EMIT(r, e, true), FIRE_SWITCH(r)],
    })),
    RemoteDispatchAck: cell('RemoteDispatchAck', 'Activating', ACK_WRITES, null, (r, e) => ({
      fields: {
        currentClosureAtDispatch: e.currentClosureAtDispatch,
        dispatchAckedAt: e.receivedAt,
      },
      effects: [APPEND(r, e), RT(r, 'Activating', e.receivedAt)],
    })),
  },
  Activating: {
    LocalActivationStarted: cell(
      'LocalActivationStarted',
      'Activating',
      ['activationStartedAt'],
      true,
      (r, e) => ({ fields: { activationStartedAt: e.startedAt }, effects: [EMIT(r, e, true)] }),
    ),
    RemoteActivationStarted: cell(
      'RemoteActivationStarted',
      'Activating',
      ['activationStartedAt'],
      null,
      (r, e) => ({ fields: { activationStartedAt: e.startedAt }, effects: [APPEND(r, e)] }),
    ),
    ...COMPLETION,
    LocalActivationDeferred: cell('LocalActivationDeferred', 'Deferred', [], true, (r, e) => ({
      fields: {},
      effects: [EMIT(r, e, true), RT(r, 'Deferred', e.deferredAt)],
    })),
    RemoteActivationDeferred: cell('RemoteActivationDeferred', 'Deferred', [], null, (r, e) => ({
      fields: {},
      effects: [APPEND(r, e), RT(r, 'Deferred', e.deferredAt)],
    })),
    LocalActivationFailed: cell(
      'LocalActivationFailed',
      'Failed',
      ['activationFailedAt', 'failedAt', 'policyApplied'],
      true,
      (r, e, p) => {
        const effects = [EMIT(r, e, true), RT(r, 'Failed', e.failedAt)];
        if (p.onHealthFailure === 'rollback-and-halt' && r.currentClosureAtDispatch !== null) {
          effects.push(FIRE_ROLLBACK(r, r.currentClosureAtDispatch));
        }
        return {
          fields: {
            activationFailedAt: e.failedAt,
            failedAt: e.failedAt,
            policyApplied: p.onHealthFailure,
          },
          effects,
        };
      },
    ),
    RemoteActivationFailed: cell(
      'RemoteActivationFailed',
      'Failed',
      ['activationFailedAt', 'failedAt', 'policyApplied'],
      null,
      (r, e, p) => ({
        fields: {
          activationFailedAt: e.failedAt,
          failedAt: e.failedAt,
          policyApplied: p.onHealthFailure,
        },
        effects: [APPEND(r, e), RT(r, 'Failed', e.failedAt)],
      }),
    ),
  },
  Deferred: {
    ...COMPLETION,
    LocalActivationFailed: cell(
      'LocalActivationFailed',
      'Failed',
      ['activationFailedAt', 'failedAt'],
      true,
      (r, e) => ({
        // policy_applied is not set; never a rollback effect.
        fields: { activationFailedAt: e.failedAt, failedAt: e.failedAt },
        effects: [EMIT(r, e, true), RT(r, 'Failed', e.failedAt)],
      }),
    ),
    RemoteActivationFailed: cell(
      'RemoteActivationFailed',
      'Failed',
      ['activationFailedAt', 'failedAt'],
      null,
      (r, e) => ({
        fields: { activationFailedAt: e.failedAt, failedAt: e.failedAt },
        effects: [APPEND(r, e), RT(r, 'Failed', e.failedAt)],
      }),
    ),
  },
  Soaking: {
    LocalProbeTopologyDeclared: cell('LocalProbeTopologyDeclared', 'Soaking', [], true, (r, e) => ({
      fields: {},
      effects: [EMIT(r, e, true)],
    })),
    RemoteProbeTopologyDeclared: cell(
      'RemoteProbeTopologyDeclared',
      'Soaking',
      [],
      null,
      (r, e) => ({
        fields: {},
        effects: [APPEND(r, e)],
      }),
    ),
    LocalProbeObservedFirst: cell(
      'LocalProbeObservedFirst',
      'Soaking',
      ['probeObservedFirstAt'],
      false,
      (r, e) => ({
        fields: {
          probeObservedFirstAt:
            r.probeObservedFirstAt === null ? e.observedAt : r.probeObservedFirstAt,
        },
        effects: [EMIT(r, e, false)],
      }),
    ),
    RemoteProbeObservedFirst: cell(
      'RemoteProbeObservedFirst',
      'Soaking',
      ['probeObservedFirstAt'],
      null,
      (r, e) => ({
        fields: {
          probeObservedFirstAt:
            r.probeObservedFirstAt === null ? e.observedAt : r.probeObservedFirstAt,
        },
        effects: [APPEND(r, e)],
      }),
    ),
    LocalProbeResult: cell('LocalProbeResult', 'Soaking', ['probes'], false, (r, e) => ({
      fields: {
        probes: specUpdateProbe(
          r.probes,
          e.probeName,
          e.mode,
          e.status,
          e.observedAt,
          e.failureReason,
        ),
      },
      effects: [EMIT(r, e, false)],
    })),
    RemoteProbeResult: cell('RemoteProbeResult', 'Soaking', ['probes'], null, (r, e) => ({
      fields: {
        probes: specUpdateProbe(
          r.probes,
          e.probeName,
          e.mode,
          e.status,
          e.observedAt,
          e.failureReason,
        ),
      },
      effects: [APPEND(r, e)],
    })),
    LocalProbeFailureFirst: cell(
      'LocalProbeFailureFirst',
      'Soaking',
      ['probeFailureFirstAt'],
      false,
      (r, e) => ({
        fields: {
          probeFailureFirstAt:
            r.probeFailureFirstAt === null ? e.firstFailedAt : r.probeFailureFirstAt,
        },
        effects: [EMIT(r, e, false)],
      }),
    ),
    RemoteProbeFailureFirst: cell(
      'RemoteProbeFailureFirst',
      'Soaking',
      ['probeFailureFirstAt'],
      null,
      (r, e) => ({
        fields: {
          probeFailureFirstAt:
            r.probeFailureFirstAt === null ? e.firstFailedAt : r.probeFailureFirstAt,
        },
        effects: [APPEND(r, e)],
      }),
    ),
    LocalSustainedFailureCrossed: cell(
      'LocalSustainedFailureCrossed',
      'Failed',
      ['failedAt', 'policyApplied'],
      true,
      (r, e) => {
        // The policy is taken from the event, not from the policy argument.
        const effects = [EMIT(r, e, true), RT(r, 'Failed', e.failedAt)];
        if (e.policyApplied === 'rollback-and-halt' && r.currentClosureAtDispatch !== null) {
          effects.push(FIRE_ROLLBACK(r, r.currentClosureAtDispatch));
        }
        return { fields: { failedAt: e.failedAt, policyApplied: e.policyApplied }, effects };
      },
    ),
    RemoteFailed: cell('RemoteFailed', 'Failed', ['failedAt', 'policyApplied'], null, (r, e) => ({
      fields: { failedAt: e.failedAt, policyApplied: e.policyApplied },
      effects: [APPEND(r, e), RT(r, 'Failed', e.failedAt)],
    })),
    LocalConvergedReached: cell(
      'LocalConvergedReached',
      'Converged',
      ['convergedAt', 'currentClosure'],
      true,
      converge(true),
    ),
    RemoteConverged: cell(
      'RemoteConverged',
      'Converged',
      ['convergedAt', 'currentClosure'],
      null,
      converge(false),
    ),
  },
  Converged: {},
  Failed: {
    LocalRollbackCompleted: cell(
      'LocalRollbackCompleted',
      'Reverted',
      ['revertedAt', 'revertedTo', 'currentClosure'],
      true,
      (r, e) => ({
        fields: {
          revertedAt: e.completedAt,
          revertedTo: e.revertedToClosure,
          currentClosure: e.revertedToClosure,
        },
        effects: [EMIT(r, e, true), RT(r, 'Reverted', e.completedAt)],
      }),
    ),
    RemoteRollbackComplete: cell(
      'RemoteRollbackComplete',
      'Reverted',
      ['revertedAt', 'revertedTo', 'currentClosure'],
      null,
      (r, e) => ({
        fields: {
          revertedAt: e.completedAt,
          revertedTo: e.revertedToClosure,
          currentClosure: e.revertedToClosure,
        },
        effects: [APPEND(r, e), QUARANTINE(r), RT(r, 'Reverted', e.completedAt)],
      }),
    ),
  },
  Reverted: {},
};

export function specCell(state: HostState, type: HostEventType): Cell | undefined {
  return SPEC_TABLE[state][type];
}

/** Every legal (state, event) pair of §3.8, in table order. */
export const SPEC_LEGAL_PAIRS: readonly (readonly [HostState, HostEventType])[] =
  SPEC_STATES.flatMap((s) =>
    SPEC_EVENTS.filter((e) => specCell(s, e) !== undefined).map((e) => [s, e] as const),
  );

// ---------------------------------------------------------------------------------------
// The whole step (§3.7 pre-check, then the table)
// ---------------------------------------------------------------------------------------

export type SpecResult =
  | { readonly ok: true; readonly record: HostRecord; readonly effects: readonly HostEffect[] }
  | { readonly ok: false; readonly error: HostTransitionError };

/**
 * §3.7's pre-check, then the table: the refusal, or the cell that applies and what its
 * arm writes and emits.
 */
function specArm(
  record: HostRecord,
  event: HostEvent,
  policy: HostPolicy,
): { readonly refusal: SpecResult } | { readonly cell: Cell; readonly out: Written } {
  // §3.7 (1): seq <= last_event_seq → SeqRegression, before the state check.
  if (event.seq <= record.lastEventSeq) {
    return {
      refusal: {
        ok: false,
        error: {
          type: 'SeqRegression',
          got: event.seq,
          last: record.lastEventSeq,
          rolloutId: record.rolloutId,
          hostname: record.hostname,
        },
      },
    };
  }
  // §3.7 (2): route to the state's handler; unlisted pairs are IllegalForState.
  const cell = specCell(record.state, event.type);
  if (cell === undefined) {
    return {
      refusal: {
        ok: false,
        error: {
          type: 'IllegalForState',
          from: record.state,
          event: event.type,
          rolloutId: record.rolloutId,
          hostname: record.hostname,
        },
      },
    };
  }
  const out = cell.run(record, event, policy);
  if ('invariant' in out)
    return { refusal: { ok: false, error: { type: 'Invariant', message: out.invariant } } };
  return { cell, out };
}

type Written = Exclude<Outcome, { readonly invariant: string }>;

export function specStep(record: HostRecord, event: HostEvent, policy: HostPolicy): SpecResult {
  const arm = specArm(record, event, policy);
  if ('refusal' in arm) return arm.refusal;
  const { cell: c, out } = arm;
  for (const k of Object.keys(out.fields)) {
    if (!(c.writes as readonly string[]).includes(k)) {
      throw new Error(`model bug: ${record.state} × ${event.type} writes undeclared field ${k}`);
    }
  }
  return {
    ok: true,
    // "Every arm also sets last_event_seq = seq."
    record: { ...record, ...out.fields, state: c.to, lastEventSeq: event.seq },
    effects: out.effects,
  };
}

/**
 * Whether `result` is exactly specStep's answer (what `plainEqual` would say of the two),
 * without building the spec's record: a legal arm's record is the input with the arm's
 * fields, its state and the event's seq, so each field of the machine's record is held to
 * where the spec takes it from. Judging every step of every run, this is most of what
 * `model.steps-agree` costs.
 */
export function specAgrees(
  record: HostRecord,
  event: HostEvent,
  policy: HostPolicy,
  result: SpecResult,
): boolean {
  const arm = specArm(record, event, policy);
  if ('refusal' in arm) return plainEqual(arm.refusal, result);
  return (
    result.ok &&
    plainEqual(arm.out.effects, result.effects) &&
    armRecordIs(result.record, record, arm.out.fields, arm.cell.to, event.seq)
  );
}

function armRecordIs(
  got: HostRecord,
  before: HostRecord,
  fields: Partial<HostRecord>,
  to: HostState,
  seq: HostRecord['lastEventSeq'],
): boolean {
  const b = before as unknown as Record<string, unknown>;
  const f = fields as Record<string, unknown>;
  const g = got as unknown as Record<string, unknown>;
  let n = 0;
  for (const k in g) {
    n++;
    const wrote = Object.hasOwn(f, k);
    const want = k === 'state' ? to : k === 'lastEventSeq' ? seq : wrote ? f[k] : b[k];
    const v = g[k];
    if (v === want) {
      // A key set to undefined is not a missing one (as plainEqual has it).
      if (v === undefined && !wrote && !(k in b)) return false;
    } else if (!plainEqual(v, want)) return false;
  }
  let expected = 0;
  for (const _ in b) expected++;
  for (const k in f) if (!(k in b)) expected++;
  if (!('state' in b)) expected++;
  if (!('lastEventSeq' in b)) expected++;
  return n === expected;
}
