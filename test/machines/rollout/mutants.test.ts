import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { rolloutActions } from '../../../machines/rollout/actions.ts';
import type { RolloutContext } from '../../../machines/rollout/context.ts';
import { rolloutMachine } from '../../../machines/rollout/machine.ts';
import {
  isTerminalForOrdering,
  ROLLOUT_STATES,
  rolloutChannel,
  rolloutId,
} from '../../../machines/rollout/state.ts';
import { ev, r1, r1In, T0 } from './fixtures.ts';

/*
 * Tests written against surviving mutants of machines/rollout (docs/mutation.md): the
 * helpers of state.ts that only the simulator used, and behaviour the table, scenario and
 * property suites never pinned down.
 */

describe('rolloutChannel', () => {
  it('is everything before the last @, so channels may contain @', () => {
    expect(rolloutChannel(rolloutId('stable', 'r1'))).toBe('stable');
    expect(rolloutChannel('team@edge@abc123')).toBe('team@edge');
    expect(rolloutChannel(rolloutId('', 'r1'))).toBe('');
  });

  it('is the whole id when there is no @', () => {
    expect(rolloutChannel('stable')).toBe('stable');
    expect(rolloutChannel('')).toBe('');
  });
});

describe('isTerminalForOrdering', () => {
  it('is true for Terminal and Superseded only (spec §1.1)', () => {
    const terminal = ROLLOUT_STATES.filter(isTerminalForOrdering);
    expect(terminal).toEqual(['Terminal', 'Superseded']);
  });
});

describe('advanceCursor', () => {
  it('leaves the context alone for any event but WaveAdvanced', () => {
    const context: RolloutContext = { record: r1In('Active'), effects: [], error: null };
    for (const event of [
      ev.joined(T0, 5),
      ev.hostChanged(T0, 'Soaking', 'Converged'),
      ev.terminal(T0),
      ev.successor(T0),
    ]) {
      expect(rolloutActions.advanceCursor(context, event, undefined)).toBe(context);
    }
  });
});

describe('the XState machine as an actor', () => {
  it('starts in Opening with the context it is given as input', () => {
    const input: RolloutContext = { record: r1(), effects: [], error: null };
    const snapshot = createActor(rolloutMachine, { input }).getSnapshot();
    expect(snapshot.value).toBe('Opening');
    expect(snapshot.context).toEqual(input);
  });
});
