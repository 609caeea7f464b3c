import { describe, expect, it } from 'vitest';
import { profile as makeProfile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --runs 3000 --seed 9101` (shrunk to path 855:3:4:…:50):
 * h4 is deferred under c1@r0, c1@r1 supersedes it at +2060 s and, with a drawn retention
 * of 0, c1@r0 is pruned at once. Intent counted a superseded rollout's deferred host only
 * while the row was Superseded, so the pruned row's h4 dropped out of the budget {h0, h1,
 * h4; max 2}: c0@r1 sent h0 and then h1, and h4's reboot brought it back soaking r0
 * beside them, three in flight. Intent keeps a pruned row and its host records; a host
 * still working for a rollout that was superseded counts whether or not it was pruned
 * since, so h1 now waits until h4 is done.
 */

const run = (p?: Parameters<typeof fixtureRun>[1]) => fixtureRun('budget-deferred-under-pruned', p);

const secs = (t: number | undefined) => (t === undefined ? undefined : (t - RUN_START) / 1000);

describe('intent: a host deferred under a superseded rollout that is pruned meanwhile', () => {
  it('keeps the host in the budget until its reboot brings it back and it converges', () => {
    const { failures, deviations, summary, records } = run();
    expect(failures).toEqual([]);
    expect(deviations).toEqual([]);
    expect(summary.ended).toBe('terminal');
    const find = (match: (r: TraceRecord) => boolean) => secs(records.find(match)?.t);
    const pruned = find(
      (r) =>
        r.type === 'rollout_event' &&
        r.rolloutId === 'c1@r0' &&
        r.result.ok &&
        r.result.record.state === 'Pruned',
    );
    const back = find(
      (r) =>
        r.type === 'host_transition' &&
        r.side === 'cp' &&
        r.rolloutId === 'c1@r0' &&
        r.host === 'h4' &&
        r.from === 'Deferred' &&
        r.to === 'Soaking',
    );
    const done = find(
      (r) =>
        r.type === 'host_transition' &&
        r.side === 'cp' &&
        r.rolloutId === 'c1@r0' &&
        r.host === 'h4' &&
        r.to === 'Converged',
    );
    const h1Sent = find((r) => r.type === 'dispatch' && r.rolloutId === 'c0@r1' && r.host === 'h1');
    expect(pruned).toBe(2060);
    expect(back).toBeGreaterThan(pruned as number);
    expect(h1Sent).toBeGreaterThan(done as number);
  });

  it('over-commits without the queued count, and dispatch.budget says so', () => {
    const { failures, deviations } = run(makeProfile('intent', { budget_counts_queued: false }));
    expect(failures).toEqual([]);
    expect(deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      ['dispatch.budget', '3 hosts of budget budget in flight, max 2'],
    ]);
  });
});
