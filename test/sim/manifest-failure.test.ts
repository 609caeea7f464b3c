import { describe, expect, it } from 'vitest';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { profile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { parseFleet } from '../../src/fleet-file/parse.ts';

/*
 * A channel's rollout manifest that fails to fetch or verify at a poll is left out of
 * that tick's set (spec §4.1; CP/src/runtime/workers/manifest_poll.rs), and until the
 * next good poll the reducer drops the channel's host events (§3.11 step 3), which the
 * route has already answered with 204 (§6.17). A Converged dropped so is never asked for
 * again: the heartbeat's drift check compares closures, and they agree. And a channel edge
 * whose predecessor is left out passes ("no verified manifest: pass", §4.8), so the
 * successor channel rolls out early. Intent's manifest_failure_keeps_last keeps the
 * channel's last verified manifest; its events_wait_for_manifest, on its own, leaves an
 * event the reducer would drop unanswered, and the agent sends it again.
 */

const FLEET = `
channels:
  stable: { rollout_policy: staged, initial_ref: r1 }
rollout_policies:
  staged:
    strategy: staged
    on_health_failure: halt
    waves:
      - { hosts: [a, b, c], soak_minutes: 3 }
host_defaults: { channel: stable }
hosts: { a: {}, b: {}, c: {} }
faults:
  manifest_failure_rate: 0.3
  activation: { duration_seconds: [20, 200] }
`;

const parsed = parseFleet(FLEET, 'manifest-failure.yaml');
if (!parsed.ok) throw new Error(parsed.error);
const fleet = parsed.fleet;

function run(p: ReturnType<typeof profile>, seed: number) {
  const records: TraceRecord[] = [];
  const r = checkedRun({ fleet, profile: p, seed, sink: (x) => records.push(x) });
  return { ...r, records };
}

/** Channels a (ha1, ha2) and b (hb), a edged before b, one wave of the soak given. */
function edgedFleet(soakMinutes: number, faults: string): Fleet {
  const parsed = parseFleet(
    `
channels:
  a: { rollout_policy: all, initial_ref: r1 }
  b: { rollout_policy: all, initial_ref: r1 }
rollout_policies:
  all: { strategy: all-at-once, on_health_failure: halt, waves: [{ hosts: [ha1, ha2, hb], soak_minutes: ${soakMinutes} }] }
hosts: { ha1: { channel: a }, ha2: { channel: a }, hb: { channel: b } }
channel_edges: [{ before: a, after: b }]
faults:
  ${faults}
  activation: { duration_seconds: [20, 60] }
`,
    'edged.yaml',
  );
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.fleet;
}

describe('manifest polls that fail', () => {
  it('are traced as faults, naming the channel left out', () => {
    const { records } = run(profile('faithful'), 2);
    const faults = records.filter((r) => r.type === 'fault' && r.kind === 'manifest_failure');
    expect(faults.length).toBeGreaterThan(0);
    expect(faults.every((f) => f.type === 'fault' && f.detail === 'stable')).toBe(true);
  });

  it("faithful: a Converged dropped meanwhile is lost, a known deviation of faithful's liveness", () => {
    const r = run(profile('faithful'), 2);
    expect(r.failures).toEqual([]);
    expect(r.summary.ended).toBe('stalled');
    expect(r.summary.rollouts[0]?.hosts).toEqual({ Soaking: 3 });
    // The stall says why: the agents are done, the control plane never heard it.
    expect(r.summary.stall?.groups[0]?.why).toBe(
      'its hosts (Soaking) will not change again and none of them is held by a gate; the control plane never heard a, b, c report Converged',
    );
    expect(r.deviations.map((d) => d.invariant.id)).toEqual(
      expect.arrayContaining(['host.views-agree', 'liveness.heals']),
    );
  });

  it('intent: the last verified manifest is kept, and the rollout ends Terminal', () => {
    for (const seed of [2, 3, 4]) {
      const r = run(profile('intent'), seed);
      expect(r.failures, `seed ${seed}`).toEqual([]);
      expect(r.summary.ended, `seed ${seed}`).toBe('terminal');
      expect(r.summary.rollouts[0]?.hosts, `seed ${seed}`).toEqual({ Converged: 3 });
    }
  });

  it('faithful with events_wait_for_manifest alone heals as intent does', () => {
    const r = run(profile('faithful', { events_wait_for_manifest: true }), 2);
    expect(r.summary.ended).toBe('terminal');
  });

  it('faithful: a predecessor left out opens its channel edge; intent keeps the gate shut', () => {
    const edged = edgedFleet(2, 'manifest_failure_rate: 0.3');
    const early = (p: ReturnType<typeof profile>) =>
      [1, 2, 3, 4, 5, 6].filter((seed) =>
        checkedRun({ fleet: edged, profile: p, seed }).deviations.some(
          (d) => d.invariant.id === 'dispatch.channel-edges',
        ),
      ).length;
    expect(early(profile('faithful'))).toBeGreaterThan(0);
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const r = checkedRun({ fleet: edged, profile: profile('intent'), seed });
      expect(r.failures, `seed ${seed}`).toEqual([]);
      expect(r.deviations, `seed ${seed}`).toEqual([]);
    }
  });

  it("intent: after a restart, a predecessor's failed poll keeps its newest rollout's ref, so the edge holds", () => {
    const edged = edgedFleet(
      5,
      'manifest_failure_rate: 0.5\n  cp_restarts: [{ at_seconds: 90, down_seconds: 30 }]',
    );
    const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
    // The case that matters: the first poll after the restart fails for the predecessor.
    const coldFailure = (seed: number) => {
      const records: TraceRecord[] = [];
      checkedRun({
        fleet: edged,
        profile: profile('intent'),
        seed,
        sink: (r) => records.push(r),
      });
      const up = records.findIndex((r) => r.type === 'fault' && r.kind === 'cp_up');
      const after = records
        .slice(up + 1)
        .find((r) => r.type === 'fault' && r.kind === 'manifest_failure');
      return (
        up >= 0 && after?.type === 'fault' && after.detail === 'a' && after.t === records[up]?.t
      );
    };
    const cold = seeds.filter(coldFailure);
    expect(cold.length).toBeGreaterThan(0);
    for (const seed of cold) {
      const r = checkedRun({ fleet: edged, profile: profile('intent'), seed });
      expect(r.failures, `seed ${seed}`).toEqual([]);
      expect(r.summary.ended, `seed ${seed}`).toBe('terminal');
      // Faithful, the same seed: the edge passes on the channel it cannot see.
      const f = checkedRun({ fleet: edged, profile: profile('faithful'), seed });
      expect(f.failures, `seed ${seed}`).toEqual([]);
    }
    const early = cold.filter((seed) =>
      checkedRun({ fleet: edged, profile: profile('faithful'), seed }).deviations.some(
        (d) => d.invariant.id === 'dispatch.channel-edges',
      ),
    );
    expect(early.length).toBeGreaterThan(0);
  });
});
