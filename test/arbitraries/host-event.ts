import fc from 'fast-check';
import type { HostEvent, HostEventOf, HostEventType } from '../../machines/host/event.ts';
import type { WireKind } from '../../machines/host/outbound.ts';
import { instant } from './instant.ts';
import { u64 } from './numbers.ts';
import { type WireFields, wireFieldsOf } from './outbound.ts';
import { plainRecord } from './plain-record.ts';
import { text } from './text.ts';

/** A host event whose fields are exactly those of a wire kind. */
function withFieldsOf<T extends HostEventType, K extends WireKind>(
  type: T,
  kind: K,
): fc.Arbitrary<HostEventOf<T>> {
  const fields = wireFieldsOf[kind] as fc.Arbitrary<WireFields<K>>;
  return fields.map((f) => ({ type, ...f }) as unknown as HostEventOf<T>);
}

/** One arbitrary per host `Event` variant (all 24). */
export const hostEventOf: { readonly [T in HostEventType]: fc.Arbitrary<HostEventOf<T>> } = {
  LocalActivate: plainRecord({
    type: fc.constant('LocalActivate'),
    currentClosureAtDispatch: text,
    targetClosure: text,
    receivedAt: instant,
    soakDueAt: instant,
    seq: u64,
  }),
  LocalActivationStarted: withFieldsOf('LocalActivationStarted', 'ActivationStarted'),
  LocalActivationCompleted: withFieldsOf('LocalActivationCompleted', 'ActivationCompleted'),
  LocalActivationDeferred: withFieldsOf('LocalActivationDeferred', 'ActivationDeferred'),
  LocalActivationFailed: withFieldsOf('LocalActivationFailed', 'ActivationFailed'),
  LocalProbeTopologyDeclared: withFieldsOf('LocalProbeTopologyDeclared', 'ProbeTopologyDeclared'),
  LocalProbeObservedFirst: withFieldsOf('LocalProbeObservedFirst', 'ProbeObservedFirst'),
  LocalProbeResult: withFieldsOf('LocalProbeResult', 'ProbeResult'),
  LocalProbeFailureFirst: withFieldsOf('LocalProbeFailureFirst', 'ProbeFailureFirst'),
  LocalSustainedFailureCrossed: withFieldsOf('LocalSustainedFailureCrossed', 'Failed'),
  LocalRollbackCompleted: withFieldsOf('LocalRollbackCompleted', 'RollbackComplete'),
  LocalConvergedReached: withFieldsOf('LocalConvergedReached', 'Converged'),
  RemoteDispatchAck: withFieldsOf('RemoteDispatchAck', 'DispatchAck'),
  RemoteActivationStarted: withFieldsOf('RemoteActivationStarted', 'ActivationStarted'),
  RemoteActivationCompleted: withFieldsOf('RemoteActivationCompleted', 'ActivationCompleted'),
  RemoteActivationDeferred: withFieldsOf('RemoteActivationDeferred', 'ActivationDeferred'),
  RemoteActivationFailed: withFieldsOf('RemoteActivationFailed', 'ActivationFailed'),
  RemoteProbeTopologyDeclared: withFieldsOf('RemoteProbeTopologyDeclared', 'ProbeTopologyDeclared'),
  RemoteProbeObservedFirst: withFieldsOf('RemoteProbeObservedFirst', 'ProbeObservedFirst'),
  RemoteProbeResult: withFieldsOf('RemoteProbeResult', 'ProbeResult'),
  RemoteProbeFailureFirst: withFieldsOf('RemoteProbeFailureFirst', 'ProbeFailureFirst'),
  RemoteFailed: withFieldsOf('RemoteFailed', 'Failed'),
  RemoteRollbackComplete: withFieldsOf('RemoteRollbackComplete', 'RollbackComplete'),
  RemoteConverged: withFieldsOf('RemoteConverged', 'Converged'),
};

/** Any host `Event`, every variant equally likely. */
export const hostEvent: fc.Arbitrary<HostEvent> = fc.oneof(
  ...Object.values<fc.Arbitrary<HostEvent>>(hostEventOf),
);
