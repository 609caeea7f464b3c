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
export { type PropertyCheckReport, propertyCheck } from '../sim/check/property-check.ts';
export { type ExploreResult, explore } from '../sim/explore/explore.ts';
export type { Fleet } from '../sim/fleet/fleet.ts';
export { generateFleet } from '../sim/fleet/generate.ts';
export { PRESETS } from '../sim/fleet/presets/index.ts';
export { checkedRun, InvariantChecker } from '../sim/invariants/checker.ts';
export { INVARIANTS, type Invariant } from '../sim/invariants/index.ts';
export { PROFILE_FLAG_NAMES, type Profile, type ProfileFlags, profile } from '../sim/profile.ts';
export { DEFAULT_SETTINGS, type Settings } from '../sim/settings.ts';
export { Simulation, simulate } from '../sim/simulate.ts';
export type { RunSummary } from '../sim/summary.ts';
export type { TraceRecord } from '../sim/trace-record.ts';
export { DIAGRAM_FORMATS, type DiagramFormat, diagram } from './diagram/index.ts';
export { loadFleetFile, parseFleet } from './fleet-file/index.ts';
export { encodeHeader, encodeRecord, TRACE_FORMAT } from './trace/format.ts';
