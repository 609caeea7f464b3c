import { describe, expect, it } from 'vitest';
import { run } from './support.ts';

/*
 * A run that reaches its horizon says why it had not ended (`unsettled`): each settle
 * condition of the simulator that failed, in words, and who a gate held back. A run that
 * ended any other way has none.
 */

describe('a run that reaches its horizon says what was still going on', () => {
  it('agents mid-switch, a fresh change and the planning run’s dispatches, five seconds in', () => {
    const r = run('demo', 'faithful', { untilSeconds: 5 });
    expect(r.summary.ended).toBe('horizon');
    expect(r.summary.unsettled?.work).toEqual([
      '3 agents switching: cache-01, web-01, web-02',
      'a host or rollout changed at 0.765 s, within the 60 s settle window before the horizon',
      'its last planning run queued a dispatch of stable@v1 to cache-01 and 2 more',
    ]);
  });

  it('a soaking host the control plane still waits on, and the later waves a gate holds', () => {
    const r = run('demo', 'intent', { untilSeconds: 300 });
    const u = r.summary.unsettled;
    expect(u?.work).toEqual(['cache-01 is Soaking on stable@v1, and its host will still move it']);
    // The hosts of waves 1 and 2 wait for wave 0, which can still complete: not a stall.
    expect(u?.held?.blockedHosts).toBe(21);
    expect(u?.held?.groups.map((g) => [g.gate, g.hosts.length, g.permanent])).toEqual([
      ['wave-promotion', 9, false],
      ['wave-promotion', 12, false],
    ]);
    expect(u?.held?.groups[0]?.why).toBe('waits for wave 0 of stable@v1 to complete');
  });

  it('the scripted input still to come, by kind, and an agent rebooting', () => {
    expect(run('supersede', 'faithful', { untilSeconds: 30 }).summary.unsettled?.work[0]).toBe(
      'still to come: 1 release (at 480 s)',
    );
    expect(run('deferred', 'faithful', { untilSeconds: 700 }).summary.unsettled?.work).toEqual([
      'still to come: 7 operator reboots (the first at 713.833 s)',
      '1 agent down: node-01',
    ]);
  });

  it('faithful’s sweep deleting the current row, which the next planning run opens again', () => {
    const r = run('canary', 'faithful', { settings: { retention_days: 0.01 } });
    expect(r.summary.ended).toBe('horizon');
    expect(r.summary.simSeconds).toBe(7 * 86_400);
    expect(r.summary.unsettled).toEqual({
      work: ["stable's ref v1 has no rollout row: the next planning run opens one"],
      held: null,
    });
  });

  it('nothing for a run that settled or stalled: its summary says that itself', () => {
    expect(run('canary', 'faithful').summary).toMatchObject({ ended: 'terminal', unsettled: null });
    const stalled = run('bad-release', 'faithful').summary;
    expect(stalled.ended).toBe('stalled');
    expect(stalled.unsettled).toBeNull();
    expect(stalled.stall).not.toBeNull();
  });
});
