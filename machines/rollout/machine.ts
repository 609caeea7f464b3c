import { setup } from 'xstate';
import { xstateActions, xstateGuards } from '../xstate-tables.ts';
import { rolloutActions, rt } from './actions.ts';
import type { RolloutContext } from './context.ts';
import type { RolloutEvent } from './event.ts';
import { rolloutGuards } from './guards.ts';

/*
 * The rollout reducer of nixfleet's state-machine crate at 080d6cd (spec §1.4–§1.6),
 * cell for cell. Each state lists every event it accepts; `*` is everything else, and
 * everything else is IllegalForState. A transition with neither target nor actions is an
 * accepted no-op. Pure: nothing here reads a clock or performs a side effect.
 */

const machineSetup = setup({
  types: {
    context: {} as RolloutContext,
    events: {} as RolloutEvent,
    input: {} as RolloutContext,
  },
  actions: xstateActions<RolloutContext, RolloutEvent, typeof rolloutActions>(rolloutActions),
  guards: xstateGuards<RolloutContext, RolloutEvent, typeof rolloutGuards>(rolloutGuards),
});

const noOp = {};
const illegal = { actions: 'rejectIllegal' } as const;
const unimplemented = { actions: 'rejectUnimplemented' } as const;
const supersede = {
  target: 'Superseded',
  actions: [rt('Superseded'), 'stampSupersededAt'],
} as const;
const prune = { target: 'Pruned', actions: [rt('Pruned')] } as const;
const terminate = { target: 'Terminal', actions: [rt('Terminal'), 'stampTerminalAt'] } as const;
const hostOutcome = [
  {
    guard: { type: 'hostWentTo', params: { to: 'Reverted' } },
    target: 'Reverted',
    actions: [rt('Reverted')],
  },
  {
    guard: { type: 'hostWentTo', params: { to: 'Failed' } },
    target: 'Failed',
    actions: [rt('Failed')],
  },
  noOp,
] as const;

export const rolloutMachine = machineSetup.createMachine({
  id: 'rollout',
  initial: 'Opening',
  context: ({ input }) => input,
  states: {
    Opening: {
      on: {
        // The cursor is not touched: every host of every wave joins at open (§1.5).
        HostJoined: { target: 'Active', actions: [rt('Active')] },
        SuccessorOpened: supersede,
        '*': illegal,
      },
    },
    Active: {
      on: {
        HostJoined: noOp,
        HostStateChanged: hostOutcome,
        WaveAdvanced: [
          { guard: 'waveMovesForward', actions: 'advanceCursor' },
          // `else` catches to < from as well as to == from.
          { target: 'Converging', actions: [rt('Converging')] },
        ],
        RolloutTerminal: terminate,
        SuccessorOpened: supersede,
        '*': illegal,
      },
    },
    Converging: {
      on: {
        HostJoined: noOp,
        HostStateChanged: hostOutcome,
        WaveAdvanced: [
          // Back to Active even when the cursor does not move.
          { guard: 'waveMovesForward', target: 'Active', actions: [rt('Active'), 'advanceCursor'] },
          noOp,
        ],
        RolloutTerminal: terminate,
        SuccessorOpened: supersede,
        '*': illegal,
      },
    },
    Terminal: {
      on: {
        HostJoined: noOp,
        HostStateChanged: noOp,
        RolloutTerminal: noOp,
        // terminal_at is kept.
        SuccessorOpened: supersede,
        RetentionExpired: prune,
        '*': illegal,
      },
    },
    Reverted: {
      on: {
        HostJoined: noOp,
        HostStateChanged: noOp,
        WaveAdvanced: noOp,
        RolloutTerminal: noOp,
        SuccessorOpened: supersede,
        RetentionExpired: prune,
        OperatorClearance: unimplemented,
        '*': illegal,
      },
    },
    Failed: {
      on: {
        HostJoined: noOp,
        // A later Reverted host leaves the rollout Failed: there is no Failed → Reverted edge.
        HostStateChanged: noOp,
        WaveAdvanced: noOp,
        RolloutTerminal: noOp,
        SuccessorOpened: supersede,
        RetentionExpired: prune,
        OperatorClearance: unimplemented,
        '*': illegal,
      },
    },
    Superseded: {
      on: {
        HostJoined: noOp,
        HostStateChanged: noOp,
        WaveAdvanced: noOp,
        RolloutTerminal: noOp,
        SuccessorOpened: noOp,
        RetentionExpired: prune,
        '*': illegal,
      },
    },
    // Absorbing: the row stays for audit, every event is refused.
    Pruned: {
      on: { '*': illegal },
    },
  },
});
