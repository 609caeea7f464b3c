import { describe, expect, it } from 'vitest';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { describeFleet } from '../../src/cli/describe-fleet.ts';

/*
 * The fleet lines a `check` counterexample prints: every fault kind the fleet declares is
 * named, so the printed case says what the run could do.
 */

describe('describeFleet', () => {
  it('names the crash and successor grids of explore’s all alphabet', () => {
    const demo = PRESETS.demo;
    if (demo === undefined) throw new Error('no demo preset');
    const faults = describeFleet(withFaultAlphabet(demo.build(), 'all')).at(-1) ?? '';
    expect(faults).toContain('control plane crashes 50% every 60s to 30m00s, down 60s');
    expect(faults).toContain('successor refs 50% every 60s to 30m00s');
  });

  it('names switches slower or faster than the default 5–30 s, and not the default', () => {
    const demo = PRESETS.demo?.build();
    if (demo === undefined) throw new Error('no demo preset');
    const slow = {
      ...demo,
      faults: {
        ...demo.faults,
        activation: { ...demo.faults.activation, duration_seconds: [60, 180] as const },
      },
    };
    expect(describeFleet(slow).at(-1)).toContain('switches take 60s to 180s');
    expect(demo.faults.activation.duration_seconds).toEqual([5, 30]);
    expect(describeFleet(demo).at(-1)).not.toContain('switches take');
  });
});
