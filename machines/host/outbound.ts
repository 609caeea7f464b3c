import type { Int64 } from '../int64.ts';
import type { Instant, Timestamp } from '../time.ts';
import type { HostEvent, HostEventOf, HostEventType } from './event.ts';

/**
 * The wire kinds of spec §3.4: what an agent POSTs, and what each Local/Remote pair
 * mirrors. The Remote event carries exactly the wire fields, so a payload is the Remote
 * event under its wire name.
 */
const WIRE_KIND_OF_REMOTE = {
  RemoteDispatchAck: 'DispatchAck',
  RemoteActivationStarted: 'ActivationStarted',
  RemoteActivationCompleted: 'ActivationCompleted',
  RemoteActivationFailed: 'ActivationFailed',
  RemoteActivationDeferred: 'ActivationDeferred',
  RemoteProbeTopologyDeclared: 'ProbeTopologyDeclared',
  RemoteProbeObservedFirst: 'ProbeObservedFirst',
  RemoteProbeResult: 'ProbeResult',
  RemoteProbeFailureFirst: 'ProbeFailureFirst',
  RemoteFailed: 'Failed',
  RemoteRollbackComplete: 'RollbackComplete',
  RemoteConverged: 'Converged',
} as const;

type RemoteType = keyof typeof WIRE_KIND_OF_REMOTE;
export type WireKind = (typeof WIRE_KIND_OF_REMOTE)[RemoteType];

type Payload<R extends RemoteType, T extends Timestamp, I extends Int64> = R extends RemoteType
  ? { readonly type: (typeof WIRE_KIND_OF_REMOTE)[R] } & Omit<HostEventOf<R, T, I>, 'type'>
  : never;

/** `OutboundAgentEvent`, spec §3.5: twelve variants, each its event's fields plus `seq`. */
export type OutboundAgentEvent<T extends Timestamp = Instant, I extends Int64 = number> = Payload<
  RemoteType,
  T,
  I
>;

export const WIRE_KINDS: readonly WireKind[] = Object.values(WIRE_KIND_OF_REMOTE);

/** The Remote event a CP builds from a wire payload (`SM/src/wire_conversions.rs`). */
export const REMOTE_OF_WIRE_KIND = Object.fromEntries(
  Object.entries(WIRE_KIND_OF_REMOTE).map(([remote, kind]) => [kind, remote]),
) as { readonly [K in WireKind]: RemoteType };

/** The Local event each wire kind is emitted from. */
export const LOCAL_OF_WIRE_KIND = {
  DispatchAck: 'LocalActivate',
  ActivationStarted: 'LocalActivationStarted',
  ActivationCompleted: 'LocalActivationCompleted',
  ActivationFailed: 'LocalActivationFailed',
  ActivationDeferred: 'LocalActivationDeferred',
  ProbeTopologyDeclared: 'LocalProbeTopologyDeclared',
  ProbeObservedFirst: 'LocalProbeObservedFirst',
  ProbeResult: 'LocalProbeResult',
  ProbeFailureFirst: 'LocalProbeFailureFirst',
  Failed: 'LocalSustainedFailureCrossed',
  RollbackComplete: 'LocalRollbackCompleted',
  Converged: 'LocalConvergedReached',
} as const satisfies { readonly [K in WireKind]: HostEventType };

const WIRE_KIND_OF_EVENT = Object.fromEntries([
  ...Object.entries(WIRE_KIND_OF_REMOTE),
  ...Object.entries(LOCAL_OF_WIRE_KIND).map(([kind, local]) => [local, kind]),
]) as { readonly [K in HostEventType]: WireKind };

export function wireKindOf(type: HostEventType): WireKind {
  return WIRE_KIND_OF_EVENT[type];
}

/** The payload a step puts in `LocalEmitEvent` / `RemoteAppendEventLog` for this event. */
export function outboundOf(event: HostEvent): OutboundAgentEvent {
  // LocalActivate carries two fields the wire's DispatchAck does not.
  return renamed(event, WIRE_KIND_OF_EVENT[event.type], event.type === 'LocalActivate');
}

/** The Remote event the CP builds when a payload arrives (`wire_conversions.rs`). */
export function remoteOf(payload: OutboundAgentEvent): HostEvent {
  return renamed(payload, REMOTE_OF_WIRE_KIND[payload.type], false);
}

/*
 * `{ type, ...fields }` with the type renamed: written as one loop, because rest-and-spread
 * copies the fields twice, a property at a time (two of every event a run sends).
 */
function renamed<T>(from: { readonly type: string }, type: string, activate: boolean): T {
  const source = from as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = { type };
  for (const key in source) {
    if (key === 'type' || (activate && (key === 'targetClosure' || key === 'soakDueAt'))) continue;
    out[key] = source[key];
  }
  return out as T;
}
