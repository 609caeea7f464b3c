import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { profile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { secondsIntoRun } from '../../sim/world.ts';
import { parseFleet } from '../../src/fleet-file/index.ts';

/*
 * `faults.cp_crashes`: a control plane that may crash at any of a grid of moments, for a
 * fixed time, then restarts as after a planned restart. A rate strictly between 0 and 1
 * makes each moment a choice point, so `explore` tries a crash at every one of them.
 */

const fleetText = (crashes: string) => `
channels:
  stable: { rollout_policy: one-wave, initial_ref: "r1" }
rollout_policies:
  one-wave:
    strategy: staged
    on_health_failure: rollback-and-halt
    waves: [{ selector: "*", soak_minutes: 1 }]
host_defaults: { channel: stable }
hosts: { web-01: {}, web-02: {} }
faults: { network: { latency_ms: [5, 50] }${crashes} }
`;

function fleet(crashes: string) {
  const parsed = parseFleet(fleetText(crashes), 'crashes.yaml');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.fleet;
}

function run(crashes: string) {
  const records: TraceRecord[] = [];
  const r = checkedRun({
    fleet: fleet(crashes),
    profile: profile('intent'),
    seed: 1,
    invariants: INVARIANTS,
    sink: (record) => records.push(record),
  });
  const outages = records.flatMap((x) =>
    x.type === 'fault' && (x.kind === 'cp_down' || x.kind === 'cp_up')
      ? [`${x.kind} at ${secondsIntoRun(x.t)} s`]
      : [],
  );
  return { ...r, outages };
}

describe('control-plane crashes', () => {
  it('a crash at every moment of the grid while the control plane is up, each for down_seconds', () => {
    const r = run(
      ', cp_crashes: { rate: 1, every_seconds: 40, until_seconds: 120, down_seconds: 30 }',
    );
    // Up again at 70 s, down at 80; up at 110, down at 120: a moment while down is skipped.
    expect(r.outages).toEqual([
      'cp_down at 40 s',
      'cp_up at 70 s',
      'cp_down at 80 s',
      'cp_up at 110 s',
      'cp_down at 120 s',
      'cp_up at 150 s',
    ]);
    // The restarted control plane finishes the rollout; crashes are faults (no liveness).
    expect(r.summary.rollouts.map((o) => o.state)).toEqual(['Terminal']);
    expect(r.failures.map((f) => f.message)).toEqual([]);
  });

  it('a planned restart while the control plane is down is no second outage', () => {
    // check found this: a restart planned at the minute a crash struck traced two outages
    // over one, and the retention monitor took the second cp_down as never ending.
    const r = run(
      ', cp_restarts: [{ at_seconds: 40, down_seconds: 10 }], cp_crashes: { rate: 1, every_seconds: 40, until_seconds: 40, down_seconds: 30 }',
    );
    expect(r.outages).toEqual(['cp_down at 40 s', 'cp_up at 70 s']);
    expect(r.summary.ended).toBe('terminal');
    expect(r.failures.map((f) => f.message)).toEqual([]);
  });

  it('a long poll lost in a crash is sent again, on a wire that loses nothing else', () => {
    // A bad-input sweep found this: without drops, partitions or planned restarts the
    // agents set no poll timeout, so a poll the crashed control plane forgot was never
    // sent again; the host stayed Pending, or the run idled to its horizon.
    for (const grid of [
      'every_seconds: 1, until_seconds: 10, down_seconds: 0.5',
      'every_seconds: 0.1, until_seconds: 1, down_seconds: 0.05',
    ]) {
      const r = run(`, cp_crashes: { rate: 1, ${grid} }`);
      expect(r.summary.ended).toBe('terminal');
      expect(r.summary.rollouts.map((o) => o.state)).toEqual(['Terminal']);
      expect(r.summary.simSeconds).toBeLessThan(600);
      expect(r.failures.map((f) => f.message)).toEqual([]);
    }
  });

  it('a rate of 0 and no cp_crashes run the same, crash-free', () => {
    const none = run('');
    const zero = run(
      ', cp_crashes: { rate: 0, every_seconds: 40, until_seconds: 120, down_seconds: 30 }',
    );
    expect(none.outages).toEqual([]);
    expect(zero.outages).toEqual([]);
    expect(zero.summary).toEqual({ ...none.summary, fleet: zero.summary.fleet });
  });

  it("is in explore's `all` alphabet: a crash at each minute of the first half hour", () => {
    const declared = fleet('');
    const r = explore({
      fleet: withFaultAlphabet(declared, 'all'),
      declared,
      profile: profile('intent'),
      maxFaults: 1,
      maxRuns: 10_000,
    });
    expect(r.violations).toEqual([]);
    expect(r.coverage.rolloutStates.has('Terminal')).toBe(true);
    const crashed = explore({
      fleet: withFaultAlphabet(declared, 'all'),
      declared,
      profile: profile('intent'),
      maxFaults: 1,
      maxRuns: 10_000,
      invariants: [
        {
          id: 'test.crashed',
          statement: 'the control plane never goes down',
          source: 'this test',
          kind: 'safety',
          create: () => ({
            observe: (record) =>
              record.type === 'fault' && record.kind === 'cp_down' ? 'down' : null,
          }),
        },
      ],
    }).violations;
    expect(crashed.map((v) => v.path.map((f) => [secondsIntoRun(f.at), f.what]))).toEqual([
      [[60, 'control plane crashes for 60 s']],
    ]);
  });
});
