import { describe, expect, it, vi } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile } from '../../sim/profile.ts';

/*
 * `explore` finds a violation and shows a shortest path to it. The real planner is
 * correct, so a broken one is made here: the gate stack never blocks, and the wave-1 host
 * of a 2×2 fleet is queued while the cursor is still on wave 0 (the `dispatch.within-cursor`
 * invariant). The mock lives in this file alone so it cannot leak into the other suites.
 */

vi.mock('../../sim/control-plane/gates.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../sim/control-plane/gates.ts')>();
  return { ...original, evaluateForDispatch: () => null };
});

const fleet = () => generateFleet({ hosts: 2, waves: 2, channels: 1, soakMinutes: 0, releases: 1 });

/** What `describeAction` prints, for any action on this fleet. */
const ACTION =
  /^(planning run|new ref on stable|dispatch (reaches|to) host-0[12]( lost| delivered twice)?|host-0[12]: .+|retention expires for stable@v[12])$/;

describe('a planner that ignores the cursor', () => {
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: dispatch.within-cursor, found in the opening planning run (an empty path), the message naming the host`, () => {
      const r = explore({
        fleet: fleet(),
        profile: profile(name),
        bounds: { probeResults: 1, messageFaults: true, maxFaults: 1 },
        maxStates: 2_000,
      });
      const v = r.violations.find((x) => x.invariant === 'dispatch.within-cursor');
      expect(v, JSON.stringify(r.violations)).toBeDefined();
      if (v === undefined) return;
      // host-02 is the wave-1 host: it is queued by the very first planning run.
      expect(v.message).toBe('host-02 (wave 1) queued at cursor 0');
      // Breadth-first: the violation is there from the opening state on, so the first
      // step already shows it.
      // The opening planning run already queues the wave-1 host: zero steps.
      expect(v.path).toEqual([]);
      for (const step of v.path) expect(step).toMatch(ACTION);
      // Each invariant is reported once, with its first (shortest) path.
      expect(r.violations.filter((x) => x.invariant === 'dispatch.within-cursor')).toHaveLength(1);
    });
  }

  it('intent: with the halt gate gone too, dispatch.halt after the three steps that revert the rollout', () => {
    const r = explore({
      fleet: fleet(),
      profile: profile('intent'),
      bounds: { probeResults: 1, messageFaults: true, maxFaults: 1 },
      maxStates: 2_000,
    });
    const v = r.violations.find((x) => x.invariant === 'dispatch.halt');
    expect(v, JSON.stringify(r.violations)).toBeDefined();
    expect(v?.message).toBe('host-02 queued by Reverted stable@v1');
    // Reverted needs host-01 dispatched, its switch failed and the rollback done: no
    // shorter path exists, and breadth-first finds one of exactly that length.
    expect(v?.path).toHaveLength(3);
    expect(v?.path[0]).toBe('dispatch reaches host-01');
    expect(v?.path[1]).toBe('host-01: switch fails');
    expect(v?.path[2]).toBe('host-01: switch succeeds'); // the rollback's switch
  });

  it('faithful has no halt gate to lose: no dispatch.halt check', () => {
    const r = explore({
      fleet: fleet(),
      profile: profile('faithful'),
      bounds: { probeResults: 1, messageFaults: true, maxFaults: 1 },
      maxStates: 2_000,
    });
    expect(r.violations.map((x) => x.invariant)).toEqual(['dispatch.within-cursor']);
  });

  it('the mock replaced the gate stack (the real one is tested unmocked in explore.test.ts)', async () => {
    const real = await vi.importActual<typeof import('../../sim/control-plane/gates.ts')>(
      '../../sim/control-plane/gates.ts',
    );
    expect(typeof real.evaluateForDispatch).toBe('function');
    const gates = await import('../../sim/control-plane/gates.ts');
    expect(gates.evaluateForDispatch).not.toBe(real.evaluateForDispatch);
  });
});
