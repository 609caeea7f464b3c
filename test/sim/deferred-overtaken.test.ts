import { describe, expect, it } from 'vitest';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { profile } from '../../sim/profile.ts';
import { parseFleet } from '../../src/fleet-file/index.ts';

/*
 * A host deferred under a rollout, then dispatched by its successor before the operator
 * reboots it: the reboot finds the newer system switched in and does nothing, and the old
 * rollout's record stays Deferred for good. `check` found the simulator waiting for that
 * record to move (liveness.settles, faithful, seed 2, run 34): the run idled to its
 * horizon instead of ending once the successor was Terminal.
 */

const fleetText = (releases: string) => `
channels:
  stable: { rollout_policy: one-wave, initial_ref: "r0", releases: [${releases}] }
rollout_policies:
  one-wave:
    strategy: staged
    on_health_failure: rollback-and-halt
    waves: [{ selector: "*", soak_minutes: 0 }]
host_defaults: { channel: stable }
hosts: { h0: {} }
faults: { activation: { deferring_refs: ["r0"] } }
operator: { reboot_deferred_after_minutes: [10, 20] }
`;

function run(releases: string, name: 'faithful' | 'intent') {
  const parsed = parseFleet(fleetText(releases), 'overtaken.yaml');
  if (!parsed.ok) throw new Error(parsed.error);
  return checkedRun({
    fleet: parsed.fleet,
    profile: profile(name),
    seed: 1,
    invariants: INVARIANTS,
    untilSeconds: 4 * 3600,
  });
}

describe('a deferral overtaken by the successor', () => {
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: the run ends after the reboot that finds nothing to boot`, () => {
      const r = run('{ at_seconds: 60, ref: "r1" }', name);
      expect(r.summary.ended).toBe('terminal');
      expect(r.summary.rollouts.map((o) => [o.targetRef, o.state])).toEqual([
        ['r0', 'Superseded'],
        ['r1', 'Terminal'],
      ]);
      // The reboot is still scripted input (at most 20 min after the deferral, itself a few
      // seconds in); then the settle window. The horizon is 4 h away.
      expect(r.summary.simSeconds).toBeLessThan(1_400);
      expect(r.failures.map((f) => f.message)).toEqual([]);
    });

    it(`${name}: without a successor the run still waits for the reboot`, () => {
      const r = run('', name);
      expect(r.summary.ended).toBe('terminal');
      expect(r.summary.rollouts.map((o) => [o.targetRef, o.state])).toEqual([['r0', 'Terminal']]);
      expect(r.summary.simSeconds).toBeGreaterThan(600);
      expect(r.failures.map((f) => f.message)).toEqual([]);
    });
  }
});
