import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../sim/invariants/checker.ts';
import { INVARIANTS, invariantById } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { AGENT_PROGRESS_INVARIANTS } from '../../sim/invariants/rules/agent-progress.ts';
import { cursorAdvancesOnTime } from '../../sim/invariants/rules/cursor-progress.ts';
import { DISPATCH_INVARIANTS } from '../../sim/invariants/rules/dispatch.ts';
import { dispatchCompliance } from '../../sim/invariants/rules/dispatch-compliance.ts';
import { DISPATCH_PROGRESS_INVARIANTS } from '../../sim/invariants/rules/dispatch-progress.ts';
import { eventsAsSent } from '../../sim/invariants/rules/events-as-sent.ts';
import { hostChangesForwarded } from '../../sim/invariants/rules/forwarding.ts';
import { HOST_INVARIANTS } from '../../sim/invariants/rules/host.ts';
import { HOST_EFFECT_INVARIANTS } from '../../sim/invariants/rules/host-effects.ts';
import { LIVENESS_INVARIANTS } from '../../sim/invariants/rules/liveness.ts';
import { retentionOnTime } from '../../sim/invariants/rules/retention.ts';
import { rollbackNotOverNewer } from '../../sim/invariants/rules/rollback-over-newer.ts';
import { ROLLOUT_INVARIANTS } from '../../sim/invariants/rules/rollout.ts';
import { stepsAgree } from '../../sim/invariants/rules/spec-model.ts';
import { PROFILE_FLAG_NAMES, PROFILES } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { at, FAITHFUL, happyPath, INTENT, play, StubInspect, stagedFleet } from './support.ts';

/*
 * The library as a whole and the checker's bookkeeping: every invariant named, sourced
 * and in exactly one area; first violations only; the index and time of the breaking
 * record; the deviation verdict taken from the profile the run used.
 */

describe('the invariant library', () => {
  it('is exactly the five areas, each invariant once, ids unique', () => {
    const areas = [
      ...ROLLOUT_INVARIANTS,
      hostChangesForwarded,
      ...DISPATCH_INVARIANTS,
      dispatchCompliance,
      ...HOST_INVARIANTS,
      ...HOST_EFFECT_INVARIANTS,
      rollbackNotOverNewer,
      eventsAsSent,
      ...LIVENESS_INVARIANTS,
      ...DISPATCH_PROGRESS_INVARIANTS,
      cursorAdvancesOnTime,
      ...AGENT_PROGRESS_INVARIANTS,
      stepsAgree,
      retentionOnTime,
    ];
    expect(INVARIANTS).toEqual(areas);
    expect(new Set(INVARIANTS.map((i) => i.id)).size).toBe(INVARIANTS.length);
    for (const inv of INVARIANTS) expect(invariantById(inv.id)).toBe(inv);
    expect(invariantById('nosuch')).toBeUndefined();
  });

  it.each(INVARIANTS.map((i) => [i.id, i] as const))(
    '%s has a statement, a source and a kind',
    (_id, inv) => {
      expect(inv.id).toMatch(/^(rollout|dispatch|host|liveness|progress|model)\.[a-z-]+$/);
      expect(inv.statement.length).toBeGreaterThan(10);
      expect(inv.source).toMatch(/spec §|RFC|real-world/);
      expect(['safety', 'liveness']).toContain(inv.kind);
    },
  );

  it('every flag-dependent invariant names real profile flags, all on under intent, and a spec item', () => {
    const dependent = INVARIANTS.filter((i) => i.requires !== undefined);
    expect(dependent.length).toBeGreaterThan(0);
    for (const inv of dependent) {
      const requires = inv.requires as NonNullable<Invariant['requires']>;
      expect(requires.flags.length, inv.id).toBeGreaterThan(0);
      for (const f of requires.flags) {
        expect(PROFILE_FLAG_NAMES, inv.id).toContain(f);
        expect(PROFILES.intent[f], `${inv.id} ${f}`).toBe(true);
        expect(PROFILES.faithful[f], `${inv.id} ${f}`).toBe(false);
      }
      expect(requires.deviation, inv.id).toMatch(/spec §|rollout-sim check/);
    }
  });
});

describe('InvariantChecker', () => {
  /** Reports every dispatch of a host in wave ≥ 1, and the end of every run. */
  const noisy: Invariant = {
    id: 'test.noisy',
    statement: 'no dispatch beyond wave 0, and no run ever ends',
    source: 'test',
    kind: 'safety',
    create: () => ({
      observe: (r) => (r.type === 'dispatch' && r.wave >= 1 ? `${r.host} in wave ${r.wave}` : null),
      finish: (summary) => `the run ended ${summary.ended}`,
    }),
  };
  const flagged: Invariant = {
    ...noisy,
    id: 'test.flagged',
    requires: { flags: ['halt_gate'], deviation: 'spec §6 item 9 (test)' },
  };

  it('reports the first violation of each invariant only, with the breaking record’s index and time', () => {
    const trace = play(stagedFleet(), INTENT, happyPath, { invariants: [noisy] });
    expect(trace.checker.failures).toHaveLength(1);
    const f = trace.checker.failures[0];
    expect(f?.message).toBe('b in wave 1');
    expect(f?.t).toBe(at(75));
    const index = trace.records.findIndex((r) => r.type === 'dispatch' && r.host === 'b');
    expect(f?.record).toBe(index);
    expect(trace.checker.deviations).toEqual([]);
  });

  it('judges end-of-run monitors once, at the time it is given, at the end record', () => {
    const quiet: Invariant = {
      ...noisy,
      id: 'test.end',
      create: () => ({ finish: (s) => `ended ${s.ended} at ${s.simSeconds} s` }),
    };
    const trace = play(stagedFleet(), FAITHFUL, happyPath, { invariants: [quiet] });
    // At the end record, the last: no record of the trace is past it.
    const end = trace.records.length - 1;
    expect(trace.records[end]?.type).toBe('end');
    expect(trace.checker.failures.map((f) => [f.message, f.t, f.record])).toEqual([
      ['ended terminal at 300 s', at(300), end],
    ]);
  });

  it('ends the judging where a rollout id is opened again, even when rollout.opened-once was not chosen', () => {
    // What `check --invariant host.seq-grows` met under faithful: the reopened id's new
    // records looked like the old ones going back.
    const second: Invariant = {
      ...noisy,
      id: 'test.after-reopen',
      create: () => {
        let opened = 0;
        return {
          observe: (r) => {
            if (opened > 1) return `judged ${r.type} after the reopen`;
            if (r.type === 'rollout_opened') opened++;
            return null;
          },
        };
      },
    };
    const reopen = (s: Parameters<typeof happyPath>[0]) => {
      happyPath(s);
      s.at(3615).open('stable', 'v1');
      s.at(3700).terminal('stable@v1');
    };
    const faithful = play(stagedFleet(), FAITHFUL, reopen, { invariants: [second] });
    expect(faithful.checker.failures).toEqual([]);
    expect(faithful.checker.deviations.map((f) => [f.invariant.id, f.message])).toEqual([
      ['rollout.opened-once', 'stable@v1 opened again'],
    ]);
    // Under intent a reopen is a bug of its own: it fails, and still nothing after is judged.
    const intent = play(stagedFleet(), INTENT, reopen, { invariants: [second] });
    expect(intent.checker.failures.map((f) => f.invariant.id)).toEqual(['rollout.opened-once']);
  });

  it('classifies by the run’s profile: a deviation under faithful, a failure under intent', () => {
    const faithful = play(stagedFleet(), FAITHFUL, happyPath, { invariants: [flagged, noisy] });
    expect(faithful.checker.deviations.map((f) => [f.invariant.id, f.deviation])).toEqual([
      ['test.flagged', 'spec §6 item 9 (test)'],
    ]);
    expect(faithful.checker.failures.map((f) => [f.invariant.id, f.deviation])).toEqual([
      ['test.noisy', null],
    ]);
    const intent = play(stagedFleet(), INTENT, happyPath, { invariants: [flagged, noisy] });
    expect(intent.checker.deviations).toEqual([]);
    expect(intent.checker.failures.map((f) => f.invariant.id)).toEqual([
      'test.flagged',
      'test.noisy',
    ]);
  });

  // A violation the missing flag causes is the deviation; one of another cause (here: d,
  // which the monitor says no flag explains) fails even under faithful, though it comes
  // after the deviation, which leaves the monitor judging.
  it('a perViolation invariant: its deviation once, and a later violation of another cause still fails', () => {
    const precise: Invariant = {
      id: 'test.precise',
      statement: 'no dispatch beyond wave 0',
      source: 'test',
      kind: 'safety',
      requires: { flags: ['halt_gate'], deviation: 'spec §6 item 9 (test)', perViolation: true },
      create: () => ({
        observe: (r) => {
          if (r.type !== 'dispatch' || r.wave === 0) return null;
          const message = `${r.host} in wave ${r.wave}`;
          return r.host === 'd' ? message : { deviation: message };
        },
      }),
    };
    const faithful = play(stagedFleet(), FAITHFUL, happyPath, { invariants: [precise] });
    expect(faithful.checker.deviations.map((f) => [f.message, f.deviation])).toEqual([
      ['b in wave 1', 'spec §6 item 9 (test)'],
    ]);
    expect(faithful.checker.failures.map((f) => [f.message, f.deviation])).toEqual([
      ['d in wave 2', null],
    ]);
    // With the flag, what it would have prevented is a failure as well: the first one.
    const intent = play(stagedFleet(), INTENT, happyPath, { invariants: [precise] });
    expect(intent.checker.deviations).toEqual([]);
    expect(intent.checker.failures.map((f) => f.message)).toEqual(['b in wave 1']);
  });

  it('runs the whole library by default', () => {
    const fleet = stagedFleet();
    const checker = new InvariantChecker({
      fleet,
      profile: INTENT,
      settings: DEFAULT_SETTINGS,
      inspect: new StubInspect(),
    });
    const t = at(0);
    checker.observe({
      type: 'rollout_opened',
      t,
      rolloutId: 'stable@v1',
      channel: 'stable',
      targetRef: 'v1',
    });
    checker.observe({ type: 'wave_cursor', t, rolloutId: 'stable@v1', from: 0, to: 2 });
    expect(checker.failures.map((f) => f.invariant.id).sort()).toEqual([
      'dispatch.cursor-when-done',
      'rollout.cursor-steps',
    ]);
    expect(checker.view.rollouts.get('stable@v1')?.row.currentWave).toBe(2);
  });
});
