import type { HostState } from '../host/state.ts';
import type { RolloutContext } from './context.ts';
import type { RolloutEvent } from './event.ts';

/**
 * The rollout machine's conditions, each a pure predicate with the label diagrams show.
 * The reducer never compares `from_wave` with the cursor (spec §1.5).
 */
export const rolloutGuards = {
  hostWentTo: (_: RolloutContext, event: RolloutEvent, params: { to: HostState }) =>
    event.type === 'HostStateChanged' && event.to === params.to,
  waveMovesForward: (_: RolloutContext, event: RolloutEvent) =>
    event.type === 'WaveAdvanced' && event.toWave > event.fromWave,
};

export const rolloutGuardLabels: Record<keyof typeof rolloutGuards, (params: never) => string> = {
  hostWentTo: (params: { to: HostState }) => `to == ${params.to}`,
  waveMovesForward: () => 'to_wave > from_wave',
};
