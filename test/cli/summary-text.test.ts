import { describe, expect, test } from 'vitest';
import type { StallGroup } from '../../sim/stall/stall.ts';
import type { RolloutOutcome, RunSummary } from '../../sim/summary.ts';
import { RUN_START } from '../../sim/world.ts';
import { summaryText } from '../../src/cli/summary-text.ts';
import { NO_EVENTS } from '../invariants/support.ts';

/*
 * The text summary of a run at the sizes the CLI accepts: a fleet of 200,000 channels has
 * as many rollouts, and one of 65,000 waves as many held groups. Spread into one call,
 * either ran past the arguments a call can take ("Maximum call stack size exceeded",
 * reported as an internal error after the whole run).
 */

const group = (i: number): StallGroup => ({
  rolloutId: 'stable@v1',
  gate: 'wave-promotion',
  reason: `wave ${i + 1} > current wave 0`,
  hosts: [`host-${i + 2}`],
  since: RUN_START,
  permanent: false,
  why: 'waits for wave 0 of stable@v1 to complete',
  spec: '§4.4, §4.5',
});

const rollout = (i: number): RolloutOutcome => ({
  rolloutId: `ring-${i}@v1`,
  channel: `ring-${i}`,
  targetRef: 'v1',
  state: 'Active',
  currentWave: 0,
  openedAt: RUN_START,
  terminalAt: null,
  supersededAt: null,
  hosts: { Pending: 1 },
});

function summary(rollouts: number, groups: number): RunSummary {
  return {
    fleet: 'generated',
    profile: 'faithful',
    seed: 1,
    rollouts: Array.from({ length: rollouts }, (_, i) => rollout(i)),
    simSeconds: 1,
    wallSeconds: null,
    ended: 'stalled',
    stall: { groups: Array.from({ length: groups }, (_, i) => group(i)), blockedHosts: groups },
    unsettled: null,
    events: NO_EVENTS,
    quarantined: [],
  };
}

describe('the text summary', () => {
  test('lists every rollout of a fleet of 200,000 channels', () => {
    const lines = summaryText(summary(200_000, 1));
    expect(lines.filter((l) => /^ring-\d+@v1 {2}/.test(l))).toHaveLength(200_000);
    expect(lines).toContain('ring-199999@v1  Active  0     +0s     -      Pending 1');
  });

  test('shows the first 20 held groups and says how many more the JSON has', () => {
    const lines = summaryText(summary(1, 65_000));
    expect(lines.filter((l) => l.includes('· wave-promotion:'))).toHaveLength(20);
    expect(lines).toContain('  … and 64980 more groups (--json lists every one)');
    expect(lines).toContain('stalled: 65000 hosts wait on something that will not happen');
  });

  test('a stall of 20 groups or fewer is shown whole', () => {
    const lines = summaryText(summary(1, 20));
    expect(lines.filter((l) => l.includes('· wave-promotion:'))).toHaveLength(20);
    expect(lines.some((l) => l.includes('more group'))).toBe(false);
  });
});
