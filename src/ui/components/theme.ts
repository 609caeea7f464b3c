import type { HostState } from '../../../machines/host/state.ts';
import type { RolloutState } from '../../../machines/rollout/state.ts';

/*
 * Colours and one-letter names for states. Every coloured thing also carries a letter
 * or a mark, so the screen still reads without colour (NO_COLOR, a captured pane).
 */

export const HOST_COLOR: Readonly<Record<HostState, string>> = {
  Pending: 'gray',
  Activating: 'cyan',
  Deferred: 'blue',
  Soaking: 'yellow',
  Converged: 'green',
  Failed: 'red',
  Reverted: 'magenta',
};

export const HOST_LETTER: Readonly<Record<HostState, string>> = {
  Pending: 'P',
  Activating: 'A',
  Deferred: 'D',
  Soaking: 'S',
  Converged: 'C',
  Failed: 'F',
  Reverted: 'R',
};

/** A host with no record in the rollout yet. */
export const NONE_LETTER = '·';

export const ROLLOUT_COLOR: Readonly<Record<RolloutState, string>> = {
  Opening: 'gray',
  Active: 'cyan',
  Converging: 'yellow',
  Terminal: 'green',
  Reverted: 'magenta',
  Failed: 'red',
  Superseded: 'blue',
  Pruned: 'gray',
};

export const FOCUS_COLOR = 'cyan';
