import type { Instant } from '../time.ts';
import type { HostEvent } from './event.ts';

/** The event's own timestamp: what a RecordTransition for it is stamped with (spec §3.8.1). */
export function eventTime(event: HostEvent): Instant {
  switch (event.type) {
    case 'LocalActivate':
    case 'RemoteDispatchAck':
      return event.receivedAt;
    case 'LocalActivationStarted':
    case 'RemoteActivationStarted':
      return event.startedAt;
    case 'LocalActivationCompleted':
    case 'RemoteActivationCompleted':
    case 'LocalRollbackCompleted':
    case 'RemoteRollbackComplete':
      return event.completedAt;
    case 'LocalActivationDeferred':
    case 'RemoteActivationDeferred':
      return event.deferredAt;
    case 'LocalActivationFailed':
    case 'RemoteActivationFailed':
    case 'LocalSustainedFailureCrossed':
    case 'RemoteFailed':
      return event.failedAt;
    case 'LocalProbeTopologyDeclared':
    case 'RemoteProbeTopologyDeclared':
      return event.declaredAt;
    case 'LocalProbeObservedFirst':
    case 'RemoteProbeObservedFirst':
    case 'LocalProbeResult':
    case 'RemoteProbeResult':
      return event.observedAt;
    case 'LocalProbeFailureFirst':
    case 'RemoteProbeFailureFirst':
      return event.firstFailedAt;
    case 'LocalConvergedReached':
    case 'RemoteConverged':
      return event.convergedAt;
  }
}
