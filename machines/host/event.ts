import type { Int64 } from '../int64.ts';
import type { Instant, Timestamp } from '../time.ts';
import type {
  ClosureHash,
  OnHealthFailure,
  ProbeMode,
  ProbeName,
  ProbeStatus,
  ProbeSubResult,
  ProbeTopologyEntry,
} from './state.ts';

/*
 * The 24 host events of spec §3.4. Each Local/Remote pair shares its legality; the
 * field sets are the upstream ones (LocalActivate alone carries target and soak).
 */

interface Seq<I extends Int64> {
  readonly seq: I;
}
interface Activation<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly currentClosureAtDispatch: ClosureHash;
  readonly receivedAt: T;
}
interface ActivationStarted<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly startedAt: T;
  readonly switchMethod: string;
}
interface ActivationCompleted<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly observedCurrentClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: T;
}
interface ActivationDeferred<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly component: string;
  readonly deferredAt: T;
}
interface ActivationFailed<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly exitCode: number;
  readonly stderrTail: string;
  readonly failedAt: T;
}
interface ProbeTopologyDeclared<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly probes: readonly ProbeTopologyEntry[];
  readonly declaredAt: T;
}
interface ProbeObservedFirst<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly observedAt: T;
}
interface ProbeResult<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly status: ProbeStatus;
  readonly observedAt: T;
  readonly failureReason: string | null;
  readonly subResults: readonly ProbeSubResult[] | null;
}
interface ProbeFailureFirst<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly firstFailedAt: T;
}
interface SustainedFailure<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly failedAt: T;
  readonly sustainedDurationSecs: I;
  readonly failingProbes: readonly ProbeName[];
  readonly policyApplied: OnHealthFailure;
}
interface RollbackCompleted<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly revertedToClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: T;
}
interface ConvergedReached<T extends Timestamp, I extends Int64> extends Seq<I> {
  readonly convergedAt: T;
  readonly currentClosure: ClosureHash;
}

export type HostEvent<T extends Timestamp = Instant, I extends Int64 = number> =
  | ({
      readonly type: 'LocalActivate';
      readonly targetClosure: ClosureHash;
      readonly soakDueAt: T;
    } & Activation<T, I>)
  | ({ readonly type: 'LocalActivationStarted' } & ActivationStarted<T, I>)
  | ({ readonly type: 'LocalActivationCompleted' } & ActivationCompleted<T, I>)
  | ({ readonly type: 'LocalActivationDeferred' } & ActivationDeferred<T, I>)
  | ({ readonly type: 'LocalActivationFailed' } & ActivationFailed<T, I>)
  | ({ readonly type: 'LocalProbeTopologyDeclared' } & ProbeTopologyDeclared<T, I>)
  | ({ readonly type: 'LocalProbeObservedFirst' } & ProbeObservedFirst<T, I>)
  | ({ readonly type: 'LocalProbeResult' } & ProbeResult<T, I>)
  | ({ readonly type: 'LocalProbeFailureFirst' } & ProbeFailureFirst<T, I>)
  | ({ readonly type: 'LocalSustainedFailureCrossed' } & SustainedFailure<T, I>)
  | ({ readonly type: 'LocalRollbackCompleted' } & RollbackCompleted<T, I>)
  | ({ readonly type: 'LocalConvergedReached' } & ConvergedReached<T, I>)
  | ({ readonly type: 'RemoteDispatchAck' } & Activation<T, I>)
  | ({ readonly type: 'RemoteActivationStarted' } & ActivationStarted<T, I>)
  | ({ readonly type: 'RemoteActivationCompleted' } & ActivationCompleted<T, I>)
  | ({ readonly type: 'RemoteActivationDeferred' } & ActivationDeferred<T, I>)
  | ({ readonly type: 'RemoteActivationFailed' } & ActivationFailed<T, I>)
  | ({ readonly type: 'RemoteProbeTopologyDeclared' } & ProbeTopologyDeclared<T, I>)
  | ({ readonly type: 'RemoteProbeObservedFirst' } & ProbeObservedFirst<T, I>)
  | ({ readonly type: 'RemoteProbeResult' } & ProbeResult<T, I>)
  | ({ readonly type: 'RemoteProbeFailureFirst' } & ProbeFailureFirst<T, I>)
  | ({ readonly type: 'RemoteFailed' } & SustainedFailure<T, I>)
  | ({ readonly type: 'RemoteRollbackComplete' } & RollbackCompleted<T, I>)
  | ({ readonly type: 'RemoteConverged' } & ConvergedReached<T, I>);

export type HostEventType = HostEvent['type'];

/** Spec §3.4 order: the twelve Local variants, then their twelve Remote mirrors. */
export const HOST_EVENT_TYPES = [
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

export type HostEventOf<
  K extends HostEventType,
  T extends Timestamp = Instant,
  I extends Int64 = number,
> = Extract<HostEvent<T, I>, { type: K }>;
