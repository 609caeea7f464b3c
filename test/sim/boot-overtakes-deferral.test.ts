import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { fixtureRun } from '../fixture-header.ts';

/*
 * Found by `check --profile intent --runs 3000`, seeds 9513, 9514, 9518, 9525 and 9527, as
 * host.views-agree ("h0 on c0@r2: agent Deferred, control plane Soaking"); this is 9514's
 * shrunk case. h0 defers its switch to r2-h0 while nearly every report it sends is lost,
 * and reboots into it at +1175 s. Its boot heartbeat makes the control plane recover the
 * record to Soaking (spec §3.11) and answer with that snapshot, whose last_event_seq is
 * older than the agent's: it never heard the ActivationStarted and ActivationDeferred still
 * in the agent's outbox. Intent's merge kept the agent's "newer" Deferred record, and boot
 * recovery asks for snapshots once, so nothing moved it again: the run idled to its
 * horizon before `quiet()` learned (session 24) that such a record is no work, and ended
 * with the two views apart after. The boot is newer than the agent's record: the agent
 * now takes a Soaking snapshot of the target it deferred and now runs. Its seq is the
 * snapshot's, as nixfleet's merge has it: the control plane has applied no later one (the
 * outbox's ActivationStarted and ActivationDeferred are refused in Soaking, seq unmoved),
 * so its Converged is applied.
 */

const secs = (r: TraceRecord | undefined) =>
  r === undefined ? undefined : (r.t - RUN_START) / 1000;

const h0 = (records: readonly TraceRecord[], side: 'agent' | 'cp', to: string) =>
  records.find(
    (r) =>
      r.type === 'host_transition' &&
      r.side === side &&
      r.rolloutId === 'c0@r2' &&
      r.host === 'h0' &&
      r.to === to,
  );

describe('intent: a boot into a deferred target whose reports were lost', () => {
  it('takes the recovered Soaking snapshot, converges, and both views agree', () => {
    const { failures, deviations, summary, records } = fixtureRun('boot-overtakes-deferral');
    expect(failures).toEqual([]);
    expect(deviations).toEqual([]);
    const reboot = records.find(
      (r) => r.type === 'fault' && r.kind === 'reboot' && r.host === 'h0',
    );
    expect(secs(reboot)).toBe(1175.749);
    const soaking = h0(records, 'agent', 'Soaking');
    expect(soaking).toMatchObject({ event: 'RemoteActivationCompleted' });
    expect(secs(soaking)).toBeGreaterThan(secs(reboot) as number);
    expect(secs(h0(records, 'agent', 'Converged'))).toBeGreaterThan(secs(soaking) as number);
    expect(h0(records, 'cp', 'Converged')).toBeDefined();
    // c0@r2 is Reverted: the halt gate holds h2 for good, and the run says so.
    expect(summary.ended).toBe('stalled');
    expect(summary.stall?.groups.map((g) => g.gate)).toEqual(['halt']);
  });
});
