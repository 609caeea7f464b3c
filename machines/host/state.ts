import type { Int64 } from '../int64.ts';
import type { RolloutId } from '../rollout/state.ts';
import type { Instant, Timestamp } from '../time.ts';

/** The seven host states of spec §3.1, in table order. */
export const HOST_STATES = [
  'Pending',
  'Activating',
  'Deferred',
  'Soaking',
  'Converged',
  'Failed',
  'Reverted',
] as const;

export type HostState = (typeof HOST_STATES)[number];

export type ClosureHash = string;
export type ProbeName = string;

/** `OnHealthFailure`, spec §3.9; serialised exactly like this. */
export const ON_HEALTH_FAILURE = ['halt', 'rollback-and-halt'] as const;
export type OnHealthFailure = (typeof ON_HEALTH_FAILURE)[number];

export interface HostPolicy {
  readonly onHealthFailure: OnHealthFailure;
}

export const PROBE_STATUSES = ['pass', 'fail'] as const;
export type ProbeStatus = (typeof PROBE_STATUSES)[number];

export const PROBE_MODES = ['enforce', 'observe', 'disabled'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];

/** `ProbeRecord`, spec §3.3. */
export interface ProbeRecord<T extends Timestamp = Instant> {
  readonly status: ProbeStatus;
  readonly mode: ProbeMode;
  readonly lastObservedAt: T;
  readonly lastPassAt: T | null;
  readonly failureReason: string | null;
}

/** `ProbeSubResult`, spec §3.3: carried through to the outbound payload untouched. */
export interface ProbeSubResult {
  readonly controlId: string;
  readonly status: ProbeStatus;
  readonly framework: string;
  readonly article: string | null;
  readonly effectiveMode: ProbeMode;
  readonly overrideReason: string | null;
}

/** `ProbeTopologyEntry`, spec §3.3. */
export interface ProbeTopologyEntry {
  readonly probeName: ProbeName;
  readonly kind: string;
  readonly mode: ProbeMode;
}

/** `HostRolloutState`, spec §3.2: one host's record within one rollout. */
export interface HostRecord<T extends Timestamp = Instant, I extends Int64 = number> {
  readonly rolloutId: RolloutId;
  readonly hostname: string;
  readonly channel: string;
  readonly state: HostState;
  readonly targetClosure: ClosureHash;
  readonly currentClosureAtDispatch: ClosureHash | null;
  readonly currentClosure: ClosureHash | null;
  readonly revertedTo: ClosureHash | null;
  readonly dispatchedAt: T;
  readonly dispatchAckedAt: T | null;
  readonly activationStartedAt: T | null;
  readonly activationCompletedAt: T | null;
  readonly activationFailedAt: T | null;
  readonly probeObservedFirstAt: T | null;
  readonly probeFailureFirstAt: T | null;
  readonly soakDueAt: T | null;
  readonly convergedAt: T | null;
  readonly failedAt: T | null;
  readonly policyApplied: OnHealthFailure | null;
  readonly revertedAt: T | null;
  /** Keyed by probe name; kept in insertion order, encoded sorted (a BTreeMap upstream). */
  readonly probes: Readonly<Record<ProbeName, ProbeRecord<T>>>;
  readonly lastEventSeq: I;
}

/** `HostRolloutState::new_pending`, the only way a host record is born (spec §3.2). */
export function newPendingHost(
  rolloutId: RolloutId,
  hostname: string,
  channel: string,
  targetClosure: ClosureHash,
  dispatchedAt: Instant,
  soakDueAt: Instant,
): HostRecord {
  return {
    rolloutId,
    hostname,
    channel,
    state: 'Pending',
    targetClosure,
    currentClosureAtDispatch: null,
    currentClosure: null,
    revertedTo: null,
    dispatchedAt,
    dispatchAckedAt: null,
    activationStartedAt: null,
    activationCompletedAt: null,
    activationFailedAt: null,
    probeObservedFirstAt: null,
    probeFailureFirstAt: null,
    soakDueAt,
    convergedAt: null,
    failedAt: null,
    policyApplied: null,
    revertedAt: null,
    probes: {},
    lastEventSeq: 0,
  };
}
