import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { Timestamp } from '../../machines/time.ts';
import { array, type Codec, i32, nullable, string, u64 } from './codec.ts';
import { onHealthFailure, probeMode, probeStatus } from './enums.ts';
import { probeSubResult, probeTopologyEntry } from './probe.ts';
import { tagged } from './tagged.ts';
import { timestamp } from './timestamp.ts';

/*
 * The twelve wire kinds of spec §3.4, each with its fields; `seq` comes last, after the
 * kind's own fields. A `Remote*` host event carries exactly these fields, so the host
 * event codec reuses them; only `LocalActivate` adds two (see host.ts).
 */
export const WIRE_FIELDS = {
  DispatchAck: { currentClosureAtDispatch: string, receivedAt: timestamp, seq: u64 },
  ActivationStarted: { startedAt: timestamp, switchMethod: string, seq: u64 },
  ActivationCompleted: {
    observedCurrentClosure: string,
    exitCode: i32,
    completedAt: timestamp,
    seq: u64,
  },
  ActivationDeferred: { component: string, deferredAt: timestamp, seq: u64 },
  ActivationFailed: { exitCode: i32, stderrTail: string, failedAt: timestamp, seq: u64 },
  ProbeTopologyDeclared: { probes: array(probeTopologyEntry), declaredAt: timestamp, seq: u64 },
  ProbeObservedFirst: { probeName: string, mode: probeMode, observedAt: timestamp, seq: u64 },
  ProbeResult: {
    probeName: string,
    mode: probeMode,
    status: probeStatus,
    observedAt: timestamp,
    failureReason: nullable(string),
    subResults: nullable(array(probeSubResult)),
    seq: u64,
  },
  ProbeFailureFirst: { probeName: string, mode: probeMode, firstFailedAt: timestamp, seq: u64 },
  Failed: {
    failedAt: timestamp,
    sustainedDurationSecs: u64,
    failingProbes: array(string),
    policyApplied: onHealthFailure,
    seq: u64,
  },
  RollbackComplete: {
    revertedToClosure: string,
    exitCode: i32,
    completedAt: timestamp,
    seq: u64,
  },
  Converged: { convergedAt: timestamp, currentClosure: string, seq: u64 },
} as const;

/** `OutboundAgentEvent`, spec §3.5: what `LocalEmitEvent` / `RemoteAppendEventLog` carry. */
export const outboundAgentEvent: Codec<OutboundAgentEvent<Timestamp, Int64>> = tagged(
  'OutboundAgentEvent',
  {
    DispatchAck: WIRE_FIELDS.DispatchAck,
    ActivationStarted: WIRE_FIELDS.ActivationStarted,
    ActivationCompleted: WIRE_FIELDS.ActivationCompleted,
    ActivationFailed: WIRE_FIELDS.ActivationFailed,
    ActivationDeferred: WIRE_FIELDS.ActivationDeferred,
    ProbeTopologyDeclared: WIRE_FIELDS.ProbeTopologyDeclared,
    ProbeObservedFirst: WIRE_FIELDS.ProbeObservedFirst,
    ProbeResult: WIRE_FIELDS.ProbeResult,
    ProbeFailureFirst: WIRE_FIELDS.ProbeFailureFirst,
    Failed: WIRE_FIELDS.Failed,
    RollbackComplete: WIRE_FIELDS.RollbackComplete,
    Converged: WIRE_FIELDS.Converged,
  },
);
