import fc from 'fast-check';
import type { OutboundAgentEvent, WireKind } from '../../machines/host/outbound.ts';
import { onHealthFailure, probeMode, probeStatus } from './enums.ts';
import { instant } from './instant.ts';
import { i32, u64 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { probeSubResult } from './probe-sub-result.ts';
import { probeTopologyEntry } from './probe-topology-entry.ts';
import { probeName, text } from './text.ts';

type Of<K extends WireKind> = Extract<OutboundAgentEvent, { type: K }>;
export type WireFields<K extends WireKind> = Omit<Of<K>, 'type'>;

/** The fields of each wire kind (spec §3.4), shared with the Remote/Local host events. */
export const wireFieldsOf: { readonly [K in WireKind]: fc.Arbitrary<WireFields<K>> } = {
  DispatchAck: plainRecord({ currentClosureAtDispatch: text, receivedAt: instant, seq: u64 }),
  ActivationStarted: plainRecord({ startedAt: instant, switchMethod: text, seq: u64 }),
  ActivationCompleted: plainRecord({
    observedCurrentClosure: text,
    exitCode: i32,
    completedAt: instant,
    seq: u64,
  }),
  ActivationDeferred: plainRecord({ component: text, deferredAt: instant, seq: u64 }),
  ActivationFailed: plainRecord({ exitCode: i32, stderrTail: text, failedAt: instant, seq: u64 }),
  ProbeTopologyDeclared: plainRecord({
    probes: fc.array(probeTopologyEntry, { maxLength: 4 }),
    declaredAt: instant,
    seq: u64,
  }),
  ProbeObservedFirst: plainRecord({ probeName, mode: probeMode, observedAt: instant, seq: u64 }),
  ProbeResult: plainRecord({
    probeName,
    mode: probeMode,
    status: probeStatus,
    observedAt: instant,
    failureReason: fc.option(text, { nil: null }),
    subResults: fc.option(fc.array(probeSubResult, { maxLength: 3 }), { nil: null }),
    seq: u64,
  }),
  ProbeFailureFirst: plainRecord({ probeName, mode: probeMode, firstFailedAt: instant, seq: u64 }),
  Failed: plainRecord({
    failedAt: instant,
    sustainedDurationSecs: u64,
    failingProbes: fc.array(probeName, { maxLength: 4 }),
    policyApplied: onHealthFailure,
    seq: u64,
  }),
  RollbackComplete: plainRecord({
    revertedToClosure: text,
    exitCode: i32,
    completedAt: instant,
    seq: u64,
  }),
  Converged: plainRecord({ convergedAt: instant, currentClosure: text, seq: u64 }),
};

function ofKind<K extends WireKind>(kind: K): fc.Arbitrary<Of<K>> {
  const fields = wireFieldsOf[kind] as fc.Arbitrary<WireFields<K>>;
  return fields.map((f) => ({ type: kind, ...f }) as Of<K>);
}

/** One arbitrary per `OutboundAgentEvent` variant. */
export const outboundOf: { readonly [K in WireKind]: fc.Arbitrary<Of<K>> } = {
  DispatchAck: ofKind('DispatchAck'),
  ActivationStarted: ofKind('ActivationStarted'),
  ActivationCompleted: ofKind('ActivationCompleted'),
  ActivationDeferred: ofKind('ActivationDeferred'),
  ActivationFailed: ofKind('ActivationFailed'),
  ProbeTopologyDeclared: ofKind('ProbeTopologyDeclared'),
  ProbeObservedFirst: ofKind('ProbeObservedFirst'),
  ProbeResult: ofKind('ProbeResult'),
  ProbeFailureFirst: ofKind('ProbeFailureFirst'),
  Failed: ofKind('Failed'),
  RollbackComplete: ofKind('RollbackComplete'),
  Converged: ofKind('Converged'),
};

export const outboundAgentEvent: fc.Arbitrary<OutboundAgentEvent> = fc.oneof(
  ...Object.values<fc.Arbitrary<OutboundAgentEvent>>(outboundOf),
);
