import { HOST_STATES, type HostState } from '../../../machines/host/state.ts';
import { ROLLOUT_STATES, type RolloutState } from '../../../machines/rollout/state.ts';

/*
 * Host states as small integers, so that per-host state fits a Uint8Array:
 * 0 means "no record in this rollout yet", 1 + i is HOST_STATES[i].
 */

export const NO_RECORD = 0;
/** Codes per wave row of a count table: "no record" and the seven host states. */
export const CODES = HOST_STATES.length + 1;

const hostCode = new Map<string, number>(HOST_STATES.map((s, i) => [s, i + 1]));

export function codeOf(state: HostState): number {
  return hostCode.get(state) ?? NO_RECORD;
}

export function stateOf(code: number): HostState | null {
  return code === NO_RECORD ? null : (HOST_STATES[code - 1] ?? null);
}

const rolloutBit = new Map<string, number>(ROLLOUT_STATES.map((s, i) => [s, 1 << i]));

/** The bit of a rollout state in a "states visited" mask. */
export function rolloutStateBit(state: RolloutState): number {
  return rolloutBit.get(state) ?? 0;
}
