import fc from 'fast-check';
import { LOG_LEVELS, type LogLevel } from '../../machines/host/effect.ts';
import { HOST_EVENT_TYPES, type HostEventType } from '../../machines/host/event.ts';
import {
  HOST_STATES,
  type HostState,
  ON_HEALTH_FAILURE,
  type OnHealthFailure,
  PROBE_MODES,
  PROBE_STATUSES,
  type ProbeMode,
  type ProbeStatus,
} from '../../machines/host/state.ts';
import { ROLLOUT_EVENT_TYPES, type RolloutEventType } from '../../machines/rollout/event.ts';
import { ROLLOUT_STATES, type RolloutState } from '../../machines/rollout/state.ts';

export const rolloutState: fc.Arbitrary<RolloutState> = fc.constantFrom(...ROLLOUT_STATES);
export const hostState: fc.Arbitrary<HostState> = fc.constantFrom(...HOST_STATES);
export const onHealthFailure: fc.Arbitrary<OnHealthFailure> = fc.constantFrom(...ON_HEALTH_FAILURE);
export const probeStatus: fc.Arbitrary<ProbeStatus> = fc.constantFrom(...PROBE_STATUSES);
export const probeMode: fc.Arbitrary<ProbeMode> = fc.constantFrom(...PROBE_MODES);
export const logLevel: fc.Arbitrary<LogLevel> = fc.constantFrom(...LOG_LEVELS);
export const rolloutEventType: fc.Arbitrary<RolloutEventType> = fc.constantFrom(
  ...ROLLOUT_EVENT_TYPES,
);
export const hostEventType: fc.Arbitrary<HostEventType> = fc.constantFrom(...HOST_EVENT_TYPES);
