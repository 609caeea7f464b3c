import type { AnyStateMachine } from 'xstate';
import { HOST_EVENT_TYPES } from './host/event.ts';
import { hostGuardLabels } from './host/guards.ts';
import { hostMachine } from './host/machine.ts';
import { HOST_STATES } from './host/state.ts';
import { ROLLOUT_EVENT_TYPES } from './rollout/event.ts';
import { rolloutGuardLabels } from './rollout/guards.ts';
import { rolloutMachine } from './rollout/machine.ts';
import { ROLLOUT_STATES } from './rollout/state.ts';

/** What tools that draw or walk a machine need to know about it, besides the machine. */
export interface MachineEntry {
  readonly name: 'rollout' | 'host';
  readonly machine: AnyStateMachine;
  readonly states: readonly string[];
  readonly events: readonly string[];
  /** How each named guard reads as a condition, given its params. */
  readonly guardLabels: Readonly<Record<string, (params: never) => string>>;
  /** Guards that only filter refusals (the seq pre-check), hidden from ordinary diagrams. */
  readonly refusalGuards: readonly string[];
}

export const MACHINES: Readonly<Record<MachineEntry['name'], MachineEntry>> = {
  rollout: {
    name: 'rollout',
    machine: rolloutMachine,
    states: ROLLOUT_STATES,
    events: ROLLOUT_EVENT_TYPES,
    guardLabels: rolloutGuardLabels,
    refusalGuards: [],
  },
  host: {
    name: 'host',
    machine: hostMachine,
    states: HOST_STATES,
    events: HOST_EVENT_TYPES,
    guardLabels: hostGuardLabels,
    refusalGuards: ['seqRegressed'],
  },
};
