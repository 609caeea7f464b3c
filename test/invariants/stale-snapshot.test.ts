import { describe, expect, it } from 'vitest';
import { runCase } from '../../sim/check/property-check.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { profile } from '../../sim/profile.ts';
import { fixtureCase } from '../fixture-header.ts';

/*
 * The case `check --profile intent --seed 7` shrank to (a 4-host fleet, one forced lost
 * heartbeat): h1 fails its r1 activation while every report of it is lost, reboots, and
 * the boot-recovery snapshot (the CP still thinks Activating) overwrites the agent's
 * Failed record. The CP then hears of the failure from the outbox and the two views part
 * for good. nixfleet's merge does this (a profile without the flag: a known deviation);
 * intent's snapshot_keeps_newer keeps the agent's newer record.
 */

const theCase = fixtureCase('stale-snapshot');

function judge(flags: Parameters<typeof profile>[1]) {
  return runCase(theCase, {
    profile: profile('intent', flags),
    settings: {},
    invariants: INVARIANTS,
  });
}

describe('a stale boot-recovery snapshot (intent: snapshot_keeps_newer)', () => {
  it('intent: the agent keeps its Failed record and both views agree', () => {
    const r = judge({});
    expect(r.failures.map((f) => f.invariant.id)).toEqual([]);
  });

  it('without the flag the snapshot wins: host.rollback-kept and host.views-agree, known deviations of that profile', () => {
    const r = judge({ snapshot_keeps_newer: false });
    expect(r.failures).toEqual([]);
    expect(r.deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      [
        'host.rollback-kept',
        "h1 on c0@r1: a snapshot took the agent's Failed record back to Activating",
      ],
      ['host.views-agree', 'h1 on c0@r1: agent Activating, control plane Failed'],
    ]);
  });
});
