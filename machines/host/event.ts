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

interface Seq {
  readonly seq: number;
}
interface Activation<T extends Timestamp> extends Seq {
  readonly currentClosureAtDispatch: ClosureHash;
  readonly receivedAt: T;
}
interface ActivationStarted<T extends Timestamp> extends Seq {
  readonly startedAt: T;
  readonly switchMethod: string;
}
interface ActivationCompleted<T extends Timestamp> extends Seq {
  readonly observedCurrentClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: T;
}
interface ActivationDeferred<T extends Timestamp> extends Seq {
  readonly component: string;
  readonly deferredAt: T;
}
interface ActivationFailed<T extends Timestamp> extends Seq {
  readonly exitCode: number;
  readonly stderrTail: string;
  readonly failedAt: T;
}
interface ProbeTopologyDeclared<T extends Timestamp> extends Seq {
  readonly probes: readonly ProbeTopologyEntry[];
  readonly declaredAt: T;
}
interface ProbeObservedFirst<T extends Timestamp> extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly observedAt: T;
}
interface ProbeResult<T extends Timestamp> extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly status: ProbeStatus;
  readonly observedAt: T;
  readonly failureReason: string | null;
  readonly subResults: readonly ProbeSubResult[] | null;
}
interface ProbeFailureFirst<T extends Timestamp> extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly firstFailedAt: T;
}
interface SustainedFailure<T extends Timestamp> extends Seq {
  readonly failedAt: T;
  readonly sustainedDurationSecs: number;
  readonly failingProbes: readonly ProbeName[];
  readonly policyApplied: OnHealthFailure;
}
interface RollbackCompleted<T extends Timestamp> extends Seq {
  readonly revertedToClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: T;
}
interface ConvergedReached<T extends Timestamp> extends Seq {
  readonly convergedAt: T;
  readonly currentClosure: ClosureHash;
}

export type HostEvent<T extends Timestamp = Instant> =
  | ({
      readonly type: 'LocalActivate';
      readonly targetClosure: ClosureHash;
      readonly soakDueAt: T;
    } & Activation<T>)
  | ({ readonly type: 'LocalActivationStarted' } & ActivationStarted<T>)
  | ({ readonly type: 'LocalActivationCompleted' } & ActivationCompleted<T>)
  | ({ readonly type: 'LocalActivationDeferred' } & ActivationDeferred<T>)
  | ({ readonly type: 'LocalActivationFailed' } & ActivationFailed<T>)
  | ({ readonly type: 'LocalProbeTopologyDeclared' } & ProbeTopologyDeclared<T>)
  | ({ readonly type: 'LocalProbeObservedFirst' } & ProbeObservedFirst<T>)
  | ({ readonly type: 'LocalProbeResult' } & ProbeResult<T>)
  | ({ readonly type: 'LocalProbeFailureFirst' } & ProbeFailureFirst<T>)
  | ({ readonly type: 'LocalSustainedFailureCrossed' } & SustainedFailure<T>)
  | ({ readonly type: 'LocalRollbackCompleted' } & RollbackCompleted<T>)
  | ({ readonly type: 'LocalConvergedReached' } & ConvergedReached<T>)
  | ({ readonly type: 'RemoteDispatchAck' } & Activation<T>)
  | ({ readonly type: 'RemoteActivationStarted' } & ActivationStarted<T>)
  | ({ readonly type: 'RemoteActivationCompleted' } & ActivationCompleted<T>)
  | ({ readonly type: 'RemoteActivationDeferred' } & ActivationDeferred<T>)
  | ({ readonly type: 'RemoteActivationFailed' } & ActivationFailed<T>)
  | ({ readonly type: 'RemoteProbeTopologyDeclared' } & ProbeTopologyDeclared<T>)
  | ({ readonly type: 'RemoteProbeObservedFirst' } & ProbeObservedFirst<T>)
  | ({ readonly type: 'RemoteProbeResult' } & ProbeResult<T>)
  | ({ readonly type: 'RemoteProbeFailureFirst' } & ProbeFailureFirst<T>)
  | ({ readonly type: 'RemoteFailed' } & SustainedFailure<T>)
  | ({ readonly type: 'RemoteRollbackComplete' } & RollbackCompleted<T>)
  | ({ readonly type: 'RemoteConverged' } & ConvergedReached<T>);

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

export type HostEventOf<K extends HostEventType, T extends Timestamp = Instant> = Extract<
  HostEvent<T>,
  { type: K }
>;
