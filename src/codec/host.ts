import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostTransitionError } from '../../machines/host/error.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { Timestamp } from '../../machines/time.ts';
import {
  array,
  boolean,
  type Codec,
  finiteNumber,
  nullable,
  string,
  stringPair,
  u64,
} from './codec.ts';
import { hostEventType, hostState, logLevel, onHealthFailure } from './enums.ts';
import { sortedMap } from './map.ts';
import { outboundAgentEvent, WIRE_FIELDS as W } from './outbound.ts';
import { probeRecord } from './probe.ts';
import { struct } from './struct.ts';
import { newtype, tagged } from './tagged.ts';
import { timestamp } from './timestamp.ts';

/* The host machine's wire types, spec §3.2–§3.6, fields in upstream order. */

/** `HostRolloutState`, spec §3.2; `probes` is a `BTreeMap` keyed by probe name. */
export const hostRecord: Codec<HostRecord<Timestamp, Int64>> = struct({
  rolloutId: string,
  hostname: string,
  channel: string,
  state: hostState,
  targetClosure: string,
  currentClosureAtDispatch: nullable(string),
  currentClosure: nullable(string),
  revertedTo: nullable(string),
  dispatchedAt: timestamp,
  dispatchAckedAt: nullable(timestamp),
  activationStartedAt: nullable(timestamp),
  activationCompletedAt: nullable(timestamp),
  activationFailedAt: nullable(timestamp),
  probeObservedFirstAt: nullable(timestamp),
  probeFailureFirstAt: nullable(timestamp),
  soakDueAt: nullable(timestamp),
  convergedAt: nullable(timestamp),
  failedAt: nullable(timestamp),
  policyApplied: nullable(onHealthFailure),
  revertedAt: nullable(timestamp),
  probes: sortedMap(probeRecord, 'probe name'),
  lastEventSeq: u64,
});

/** The `policy` of a host step: `{"on_health_failure": "halt" | "rollback-and-halt"}`. */
export const hostPolicy: Codec<HostPolicy> = struct({ onHealthFailure });

/** Host `Event`, spec §3.4: twelve Local variants, then their twelve Remote mirrors. */
export const hostEvent: Codec<HostEvent<Timestamp, Int64>> = tagged('host Event', {
  LocalActivate: {
    currentClosureAtDispatch: string,
    targetClosure: string,
    receivedAt: timestamp,
    soakDueAt: timestamp,
    seq: u64,
  },
  LocalActivationStarted: W.ActivationStarted,
  LocalActivationCompleted: W.ActivationCompleted,
  LocalActivationDeferred: W.ActivationDeferred,
  LocalActivationFailed: W.ActivationFailed,
  LocalProbeTopologyDeclared: W.ProbeTopologyDeclared,
  LocalProbeObservedFirst: W.ProbeObservedFirst,
  LocalProbeResult: W.ProbeResult,
  LocalProbeFailureFirst: W.ProbeFailureFirst,
  LocalSustainedFailureCrossed: W.Failed,
  LocalRollbackCompleted: W.RollbackComplete,
  LocalConvergedReached: W.Converged,
  RemoteDispatchAck: W.DispatchAck,
  RemoteActivationStarted: W.ActivationStarted,
  RemoteActivationCompleted: W.ActivationCompleted,
  RemoteActivationDeferred: W.ActivationDeferred,
  RemoteActivationFailed: W.ActivationFailed,
  RemoteProbeTopologyDeclared: W.ProbeTopologyDeclared,
  RemoteProbeObservedFirst: W.ProbeObservedFirst,
  RemoteProbeResult: W.ProbeResult,
  RemoteProbeFailureFirst: W.ProbeFailureFirst,
  RemoteFailed: W.Failed,
  RemoteRollbackComplete: W.RollbackComplete,
  RemoteConverged: W.Converged,
});

/** Host `Effect`, spec §3.5. */
export const hostEffect: Codec<HostEffect<Timestamp, Int64>> = tagged('host Effect', {
  LocalFireSwitch: { rolloutId: string, target: string },
  LocalFireRollbackTo: { rolloutId: string, closure: string },
  LocalResetProbeCache: { rolloutId: string },
  LocalEmitEvent: { rolloutId: string, payload: outboundAgentEvent, durable: boolean },
  RemoteQueueDispatch: {
    host: string,
    rolloutId: string,
    targetClosure: string,
    soakDueAt: timestamp,
  },
  RemoteInsertQuarantine: { channel: string, closure: string },
  RemoteOpenRolloutRecord: { rolloutId: string, channel: string, host: string },
  RemoteAppendEventLog: { host: string, rolloutId: string, payload: outboundAgentEvent },
  RecordTransition: {
    host: string,
    rolloutId: string,
    from: hostState,
    to: hostState,
    at: timestamp,
  },
  EmitMetric: { name: string, labels: array(stringPair), value: finiteNumber },
  EmitLog: { level: logLevel, target: string, message: string, fields: array(stringPair) },
});

/** Host `TransitionError`, spec §3.6; `Invariant` is a newtype variant (a bare string). */
export const hostTransitionError: Codec<HostTransitionError<Int64>> = tagged(
  'host TransitionError',
  {
    IllegalForState: { from: hostState, event: hostEventType, rolloutId: string, hostname: string },
    SeqRegression: { got: u64, last: u64, rolloutId: string, hostname: string },
    Invariant: newtype('message', string),
    Unimplemented: { from: hostState, event: hostEventType },
  },
);
