import type { Instant } from '../time.ts';
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
interface Activation extends Seq {
  readonly currentClosureAtDispatch: ClosureHash;
  readonly receivedAt: Instant;
}
interface ActivationStarted extends Seq {
  readonly startedAt: Instant;
  readonly switchMethod: string;
}
interface ActivationCompleted extends Seq {
  readonly observedCurrentClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: Instant;
}
interface ActivationDeferred extends Seq {
  readonly component: string;
  readonly deferredAt: Instant;
}
interface ActivationFailed extends Seq {
  readonly exitCode: number;
  readonly stderrTail: string;
  readonly failedAt: Instant;
}
interface ProbeTopologyDeclared extends Seq {
  readonly probes: readonly ProbeTopologyEntry[];
  readonly declaredAt: Instant;
}
interface ProbeObservedFirst extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly observedAt: Instant;
}
interface ProbeResult extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly status: ProbeStatus;
  readonly observedAt: Instant;
  readonly failureReason: string | null;
  readonly subResults: readonly ProbeSubResult[] | null;
}
interface ProbeFailureFirst extends Seq {
  readonly probeName: ProbeName;
  readonly mode: ProbeMode;
  readonly firstFailedAt: Instant;
}
interface SustainedFailure extends Seq {
  readonly failedAt: Instant;
  readonly sustainedDurationSecs: number;
  readonly failingProbes: readonly ProbeName[];
  readonly policyApplied: OnHealthFailure;
}
interface RollbackCompleted extends Seq {
  readonly revertedToClosure: ClosureHash;
  readonly exitCode: number;
  readonly completedAt: Instant;
}
interface ConvergedReached extends Seq {
  readonly convergedAt: Instant;
  readonly currentClosure: ClosureHash;
}

export type HostEvent =
  | ({
      readonly type: 'LocalActivate';
      readonly targetClosure: ClosureHash;
      readonly soakDueAt: Instant;
    } & Activation)
  | ({ readonly type: 'LocalActivationStarted' } & ActivationStarted)
  | ({ readonly type: 'LocalActivationCompleted' } & ActivationCompleted)
  | ({ readonly type: 'LocalActivationDeferred' } & ActivationDeferred)
  | ({ readonly type: 'LocalActivationFailed' } & ActivationFailed)
  | ({ readonly type: 'LocalProbeTopologyDeclared' } & ProbeTopologyDeclared)
  | ({ readonly type: 'LocalProbeObservedFirst' } & ProbeObservedFirst)
  | ({ readonly type: 'LocalProbeResult' } & ProbeResult)
  | ({ readonly type: 'LocalProbeFailureFirst' } & ProbeFailureFirst)
  | ({ readonly type: 'LocalSustainedFailureCrossed' } & SustainedFailure)
  | ({ readonly type: 'LocalRollbackCompleted' } & RollbackCompleted)
  | ({ readonly type: 'LocalConvergedReached' } & ConvergedReached)
  | ({ readonly type: 'RemoteDispatchAck' } & Activation)
  | ({ readonly type: 'RemoteActivationStarted' } & ActivationStarted)
  | ({ readonly type: 'RemoteActivationCompleted' } & ActivationCompleted)
  | ({ readonly type: 'RemoteActivationDeferred' } & ActivationDeferred)
  | ({ readonly type: 'RemoteActivationFailed' } & ActivationFailed)
  | ({ readonly type: 'RemoteProbeTopologyDeclared' } & ProbeTopologyDeclared)
  | ({ readonly type: 'RemoteProbeObservedFirst' } & ProbeObservedFirst)
  | ({ readonly type: 'RemoteProbeResult' } & ProbeResult)
  | ({ readonly type: 'RemoteProbeFailureFirst' } & ProbeFailureFirst)
  | ({ readonly type: 'RemoteFailed' } & SustainedFailure)
  | ({ readonly type: 'RemoteRollbackComplete' } & RollbackCompleted)
  | ({ readonly type: 'RemoteConverged' } & ConvergedReached);

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

export type HostEventOf<T extends HostEventType> = Extract<HostEvent, { type: T }>;
