import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --seed 2` (run 76) once check drew manifest poll
 * failures (the new draw moved the cases): c1@r1 queues h2 (wave 1) at +1335 s and the
 * answer to h2's poll is lost; at +1350 s c0@r1 opens, so the channel edge c0 → c1 holds
 * h2 back, and h0 of c0@r1 waits under the budget {h0, h2; max 1}. Intent counted a
 * queued-but-unacknowledged host in flight for as long as it stayed Pending, so the lost
 * dispatch held the budget that c0@r1 needed, and c0@r1 was what h2 waited for: both
 * rollouts stalled for good. A dispatch counts while it is on its way (queued, or handed
 * out and not shown lost by the agent's next poll).
 */

const secs = (t: number) => (t - RUN_START) / 1000;

describe('intent: a lost dispatch held back by a channel edge does not hold the budget', () => {
  it('c0@r1 dispatches h0, and both rollouts end Terminal', () => {
    const { failures, summary, records } = fixtureRun('budget-lost-dispatch-edge');
    expect(failures).toEqual([]);
    expect(summary.ended).toBe('terminal');
    const dispatched = (rollout: string, host: string) =>
      records.find(
        (r): r is Extract<TraceRecord, { type: 'dispatch' }> =>
          r.type === 'dispatch' && r.rolloutId === rollout && r.host === host,
      );
    const h0 = dispatched('c0@r1', 'h0');
    expect(h0).toBeDefined();
    expect(secs(h0?.t ?? 0)).toBeGreaterThanOrEqual(1350);
    expect(summary.rollouts.find((r) => r.rolloutId === 'c0@r1')?.state).toBe('Terminal');
    expect(summary.rollouts.find((r) => r.rolloutId === 'c1@r1')?.state).toBe('Terminal');
  });
});
