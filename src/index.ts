/*
 * rollout-sim's public API: the two lifecycle machines, their pure step functions, the
 * domain types, and the JSON codecs of the wire contract.
 */
export { MACHINES, type MachineEntry } from '../machines/catalog.ts';
export type { HostContext } from '../machines/host/context.ts';
export type { HostEffect, LogLevel } from '../machines/host/effect.ts';
export { CONVERGED_INVARIANTS, type HostTransitionError } from '../machines/host/error.ts';
export {
  HOST_EVENT_TYPES,
  type HostEvent,
  type HostEventOf,
  type HostEventType,
} from '../machines/host/event.ts';
export { hostMachine } from '../machines/host/machine.ts';
export {
  type OutboundAgentEvent,
  outboundOf,
  remoteOf,
  type WireKind,
} from '../machines/host/outbound.ts';
export { rehydrationEffects } from '../machines/host/rehydration.ts';
export {
  type ClosureHash,
  HOST_STATES,
  type HostPolicy,
  type HostRecord,
  type HostState,
  newPendingHost,
  type OnHealthFailure,
  type ProbeMode,
  type ProbeRecord,
  type ProbeStatus,
  type ProbeSubResult,
  type ProbeTopologyEntry,
} from '../machines/host/state.ts';
export { type HostStepResult, hostStep, hostStepViaXState } from '../machines/host/step.ts';
export type { RolloutContext } from '../machines/rollout/context.ts';
export type { RolloutEffect } from '../machines/rollout/effect.ts';
export type { RolloutTransitionError } from '../machines/rollout/error.ts';
export {
  ROLLOUT_EVENT_TYPES,
  type RolloutEvent,
  type RolloutEventType,
} from '../machines/rollout/event.ts';
export { rolloutMachine } from '../machines/rollout/machine.ts';
export {
  isTerminalForOrdering,
  openRolloutRecord,
  ROLLOUT_STATES,
  type RolloutId,
  type RolloutRecord,
  type RolloutState,
  rolloutChannel,
  rolloutId,
} from '../machines/rollout/state.ts';
export {
  type RolloutStepResult,
  rolloutStep,
  rolloutStepViaXState,
} from '../machines/rollout/step.ts';
export type { Instant } from '../machines/time.ts';
export { DIAGRAM_FORMATS, type DiagramFormat, diagram } from './diagram/index.ts';
