import { describe, expect, it } from 'vitest';
import { checkedRun } from '../../sim/invariants/checker.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { profile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { secondsIntoRun } from '../../sim/world.ts';
import { parseFleet } from '../../src/fleet-file/index.ts';

/*
 * Retention in the simulator (spec §4.12, §6 item 6), run end to end with every invariant
 * watching: r1 goes Terminal, r2 (published at 10 min) supersedes it and goes Terminal
 * too. With a retention of 20 minutes, intent prunes each rollout once, 20 minutes after
 * it finished; faithful's hourly sweep deletes both rows at 1 h, and plan_next then opens
 * the channel's unchanged ref again.
 */

const fleetText = (restart: string) => `
channels:
  stable:
    rollout_policy: one-wave
    initial_ref: "r1"
    releases: [{ at_minutes: 10, ref: "r2" }]
rollout_policies:
  one-wave:
    strategy: staged
    on_health_failure: rollback-and-halt
    waves: [{ selector: "*", soak_minutes: 0 }]
host_defaults: { channel: stable }
hosts: { web-01: {}, web-02: {} }
faults: { network: { latency_ms: [5, 50] }${restart} }
`;

function run(p: 'faithful' | 'intent', restart = '', untilSeconds?: number) {
  const parsed = parseFleet(fleetText(restart), 'retention.yaml');
  if (!parsed.ok) throw new Error(parsed.error);
  const records: TraceRecord[] = [];
  const r = checkedRun({
    fleet: parsed.fleet,
    profile: profile(p),
    seed: 1,
    settings: { retention_days: 20 / 1440 },
    invariants: INVARIANTS,
    sink: (record) => records.push(record),
    ...(untilSeconds === undefined ? {} : { untilSeconds }),
  });
  const prunes = records.flatMap((x) =>
    x.type === 'rollout_event' && x.event.type === 'RetentionExpired'
      ? [{ id: x.rolloutId, t: x.t, ok: x.result.ok }]
      : [],
  );
  const terminalAt = (id: string) =>
    r.summary.rollouts.find((o) => o.rolloutId === id)?.terminalAt ?? Number.NaN;
  return { ...r, records, prunes, terminalAt };
}

describe('retention in a run', () => {
  it('intent prunes each rollout once, its retention after it finished, and the run waits for it', () => {
    const r = run('intent');
    expect(r.failures.map((f) => f.message)).toEqual([]);
    expect(r.prunes).toEqual([
      { id: 'stable@r1', t: r.terminalAt('stable@r1') + 1_200_000, ok: true },
      { id: 'stable@r2', t: r.terminalAt('stable@r2') + 1_200_000, ok: true },
    ]);
    expect(r.summary.ended).toBe('terminal');
    expect(r.summary.rollouts.map((o) => o.state)).toEqual(['Pruned', 'Pruned']);
  });

  it('intent: a prune due while the control plane is down happens as it comes back', () => {
    const due = run('intent').prunes[0]?.t ?? Number.NaN;
    const at = secondsIntoRun(due) - 30;
    const r = run('intent', `, cp_restarts: [{ at_seconds: ${at}, down_seconds: 60 }]`);
    expect(r.failures.map((f) => f.message)).toEqual([]);
    const up = r.records.find((x) => x.type === 'fault' && x.kind === 'cp_up');
    expect(r.prunes[0]).toEqual({ id: 'stable@r1', t: up?.t, ok: true });
    expect(r.summary.rollouts.map((o) => o.state)).toEqual(['Pruned', 'Pruned']);
  });

  it('faithful deletes both rows at the 1 h sweep, then opens the unchanged ref again', () => {
    const r = run('faithful', '', 3700);
    expect(r.prunes).toEqual([]);
    expect(r.failures.map((f) => f.message)).toEqual([]);
    expect(r.deviations.map((f) => [f.invariant.id, secondsIntoRun(f.t)])).toEqual([
      ['rollout.opened-once', 3615],
    ]);
    const opened = r.records.flatMap((x) =>
      x.type === 'rollout_opened' ? [[x.rolloutId, secondsIntoRun(x.t)]] : [],
    );
    expect(opened.slice(-1)).toEqual([['stable@r2', 3615]]);
    // The reopened r2 (hosts already on its closure) is Terminal again by the end.
    expect(r.summary.rollouts.map((o) => [o.rolloutId, o.state])).toEqual([
      ['stable@r2', 'Terminal'],
      ['stable@r1', 'deleted'],
      ['stable@r2', 'deleted'],
    ]);
  });
});
