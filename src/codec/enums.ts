import { LOG_LEVELS } from '../../machines/host/effect.ts';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import {
  HOST_STATES,
  ON_HEALTH_FAILURE,
  PROBE_MODES,
  PROBE_STATUSES,
} from '../../machines/host/state.ts';
import { ROLLOUT_EVENT_TYPES } from '../../machines/rollout/event.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { oneOf } from './codec.ts';

/* The unit enums: written as their names (or serde renames), validated against the domain lists. */

export const rolloutState = oneOf(ROLLOUT_STATES);
export const hostState = oneOf(HOST_STATES);
export const onHealthFailure = oneOf(ON_HEALTH_FAILURE);
export const probeStatus = oneOf(PROBE_STATUSES);
export const probeMode = oneOf(PROBE_MODES);
export const logLevel = oneOf(LOG_LEVELS);
/** `event: &'static str` in rollout errors: the variant name of a `RolloutEvent`. */
export const rolloutEventType = oneOf(ROLLOUT_EVENT_TYPES);
/** `event: &'static str` in host errors: the variant name of a host `Event`. */
export const hostEventType = oneOf(HOST_EVENT_TYPES);
