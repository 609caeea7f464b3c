import { describe, expect, it } from 'vitest';
import { profile as makeProfile } from '../../sim/profile.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --runs 3000 --seed 9219` (shrunk to path
 * 2663:8:8:…:48). h1's switch fails under c0@r0 and rolls back at +96 s: c0@r0 halts
 * Reverted and, with a drawn retention of 0, is pruned at once, while it is still the
 * channel's current rollout. The pruned row goes on dispatching (its Reverted state is
 * gone, and with it the halt gate's hold: see docs/verification.md), and h2 defers its
 * switch under it at +337 s. c0@r1 opens at +870 s: open_rollout passes a Pruned row
 * over (spec §4.2 step 1), so c0@r0 is never superseded and has no superseded_at, and
 * intent counted a no-longer-current rollout's host only under a row with superseded_at.
 * h2 dropped out of the budget {h0, h2, h3; max 1}: c0@r1 sent h0, and h2's reboot
 * brought it back soaking r0 beside it at +1142 s. A host working for a rollout that is
 * no longer current now counts however that rollout stopped being current, so c0@r1
 * holds h0 and sends h2 itself first (a host never counts against itself).
 *
 * The halt gate now holds a Pruned current row too, so under intent h2 is never sent by
 * c0@r0: the budget case is kept by turning the halt gate off, as a designer trying a
 * controller without it would.
 */

const run = (flags: Parameters<typeof makeProfile>[1] = {}) =>
  fixtureRun(
    'budget-deferred-under-pruned-halted',
    makeProfile('intent', { halt_gate: false, ...flags }),
  );

const secs = (t: number | undefined) => (t === undefined ? undefined : (t - RUN_START) / 1000);

describe('intent: a host deferred under a rollout pruned before its successor opened', () => {
  const pruneDispatch = ['dispatch.halt', 'h2 dispatched by halted, then Pruned c0@r0'];

  it('intent: the halted rollout, once pruned, still sends nothing', () => {
    const { failures, deviations, summary, records } = fixtureRun(
      'budget-deferred-under-pruned-halted',
    );
    expect(failures).toEqual([]);
    expect(deviations).toEqual([]);
    expect(summary.ended).toBe('terminal');
    const pruned = records.findIndex(
      (r) =>
        r.type === 'rollout_event' &&
        r.rolloutId === 'c0@r0' &&
        r.event.type === 'RetentionExpired',
    );
    expect(pruned).toBeGreaterThan(0);
    const after = records.slice(pruned);
    expect(after.filter((r) => r.type === 'dispatch' && r.rolloutId === 'c0@r0')).toEqual([]);
    expect(
      after.some(
        (r) =>
          r.type === 'gate' &&
          r.rolloutId === 'c0@r0' &&
          r.gate === 'halt' &&
          r.reason === 'rollout is Pruned',
      ),
    ).toBe(true);
  });

  it('keeps the host in the budget: the successor holds the others and sends it first', () => {
    const { failures, deviations, summary, records } = run();
    expect(failures).toEqual([]);
    expect(deviations.map((f) => [f.invariant.id, f.message])).toEqual([pruneDispatch]);
    expect(summary.ended).toBe('terminal');
    const find = (match: (r: TraceRecord) => boolean) => secs(records.find(match)?.t);
    const pruned = find(
      (r) =>
        r.type === 'rollout_event' &&
        r.rolloutId === 'c0@r0' &&
        r.result.ok &&
        r.result.record.state === 'Pruned',
    );
    const superseded = records.some(
      (r) => r.type === 'rollout_event' && r.event.type === 'SuccessorOpened',
    );
    const cpTo = (id: string, host: string, to: string) =>
      find(
        (r) =>
          r.type === 'host_transition' &&
          r.side === 'cp' &&
          r.rolloutId === id &&
          r.host === host &&
          r.to === to,
      );
    const deferred = cpTo('c0@r0', 'h2', 'Deferred');
    const opened = find((r) => r.type === 'rollout_opened' && r.rolloutId === 'c0@r1');
    const h0Held = find(
      (r) =>
        r.type === 'gate' &&
        r.rolloutId === 'c0@r1' &&
        r.host === 'h0' &&
        r.gate === 'disruption-budget',
    );
    const sent = (host: string) =>
      find((r) => r.type === 'dispatch' && r.rolloutId === 'c0@r1' && r.host === host);
    const h2Done = cpTo('c0@r1', 'h2', 'Converged');
    expect(pruned).toBe(96.127);
    expect(superseded).toBe(false);
    expect(deferred).toBeGreaterThan(pruned as number);
    expect(opened).toBe(870);
    expect(h0Held).toBe(870);
    expect(sent('h2')).toBe(870);
    expect(sent('h0')).toBeGreaterThan(h2Done as number);
    expect(summary.rollouts.find((r) => r.rolloutId === 'c0@r0')?.supersededAt).toBeNull();
  });

  it('over-commits without the queued count, and dispatch.budget says so', () => {
    const { failures, deviations } = run({ budget_counts_queued: false });
    expect(failures).toEqual([]);
    expect(deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      pruneDispatch,
      ['dispatch.budget', '2 hosts of budget budget in flight, max 1'],
    ]);
  });
});
