import type { RolloutContext } from './context.ts';
import type { RolloutEvent } from './event.ts';
import type { RolloutState } from './state.ts';

type Action<P = undefined> = (
  context: RolloutContext,
  event: RolloutEvent,
  params: P,
) => RolloutContext;

/** Every state change emits exactly one RecordRolloutTransition, stamped with the event's `at`. */
const recordTransition: Action<{ to: RolloutState }> = (
  { record, effects, error },
  event,
  { to },
) => ({
  record: { ...record, state: to },
  effects: [
    ...effects,
    {
      type: 'RecordRolloutTransition',
      rolloutId: record.rolloutId,
      from: record.state,
      to,
      at: event.at,
    },
  ],
  error,
});

const stampTerminalAt: Action = (context, event) => ({
  ...context,
  record: { ...context.record, terminalAt: event.at },
});

const stampSupersededAt: Action = (context, event) => ({
  ...context,
  record: { ...context.record, supersededAt: event.at },
});

/**
 * The cursor only ever moves up: a stale or duplicate advance writes nothing and emits
 * nothing (spec §1.5), whichever state it arrives in.
 */
const advanceCursor: Action = (context, event) => {
  if (event.type !== 'WaveAdvanced' || event.toWave <= context.record.currentWave) return context;
  const { record } = context;
  return {
    ...context,
    record: { ...record, currentWave: event.toWave },
    effects: [
      ...context.effects,
      { type: 'UpdateCurrentWave', rolloutId: record.rolloutId, wave: event.toWave },
    ],
  };
};

const rejectIllegal: Action = (context, event) => ({
  ...context,
  error: {
    type: 'IllegalForState',
    from: context.record.state,
    event: event.type,
    rolloutId: context.record.rolloutId,
  },
});

const rejectUnimplemented: Action = (context, event) => ({
  ...context,
  error: { type: 'Unimplemented', from: context.record.state, event: event.type },
});

export const rolloutActions = {
  recordTransition,
  stampTerminalAt,
  stampSupersededAt,
  advanceCursor,
  rejectIllegal,
  rejectUnimplemented,
};

/** The action that records a move to `to`: paired with `target: to` on every edge. */
export function rt(to: RolloutState) {
  return { type: 'recordTransition', params: { to } } as const;
}
