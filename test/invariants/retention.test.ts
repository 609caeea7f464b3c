import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import {
  expectClean,
  expectPasses,
  expectViolation,
  FAITHFUL,
  happyPath,
  INTENT,
  play,
  rollThrough,
  type Script,
  stagedFleet,
  type Trace,
} from './support.ts';

/*
 * rollout.retention (spec §4.12, §6 item 6): when a finished rollout leaves. happyPath's
 * v1 is Terminal at 220 s; with a retention of 600 s intent prunes it at 820 s, and
 * faithful's hourly sweep deletes it at 3,600 s, the first sweep past 820 s.
 */

const fleet = stagedFleet();
const RETENTION = INVARIANTS.filter((i) => i.id === 'rollout.retention');
const V1 = 'stable@v1';
const RETAIN = { retention_days: 600 / 86_400 };

/** Retention's turn, each profile its way: intent at 820 s, faithful's sweep at 3,600 s. */
const onTime = (s: Trace) => {
  s.at(820).prune(V1);
  if (!s.flags.retention_expired) s.at(3600).sweep(V1);
  s.at(3700);
};

/** What rollout.retention said of a bad trace under faithful (expectViolation's first). */
const faithfulMessage = (traces: readonly Trace[]) =>
  traces[0]?.checker.failures.find((f) => f.invariant.id === 'rollout.retention')?.message;

const retentionExpired = (s: Trace) =>
  s.event({ type: 'RetentionExpired', rolloutId: V1, at: s.now });

describe('rollout.retention', () => {
  it('passes: pruned when its retention has run, by each profile', () => {
    expectPasses(
      fleet,
      (s) => {
        happyPath(s);
        onTime(s);
      },
      RETAIN,
    );
  });

  it('passes: a run that ends before the prune is due says nothing, at its horizon or as a log', () => {
    const atHorizon = (s: Trace) => {
      happyPath(s);
      s.at(700).end('horizon');
    };
    for (const prof of [FAITHFUL, INTENT]) {
      // (liveness.terminal would say a fault-free run did not settle: only retention here.)
      expectClean(
        play(fleet, prof, atHorizon, { settings: RETAIN, horizon: 700, invariants: RETENTION }),
      );
      // A log (no horizon known) may end settled before the prune.
      expectClean(play(fleet, prof, happyPath, { settings: RETAIN }));
      // Or the prune falls past the horizon: a settled run need not wait for it.
      expectClean(play(fleet, prof, happyPath, { horizon: 4 * 3600 }));
    }
  });

  it('reports a simulated run that settled with a prune still due (its timer lost)', () => {
    const { finding, traces } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      horizon: 4 * 3600,
      script: (s) => {
        happyPath(s);
        s.at(300);
      },
    });
    expect(finding.message).toBe(
      `${V1} is never pruned: the run settled at 300 s with its prune, due at 820 s, still to come`,
    );
    expect(faithfulMessage(traces)).toBe(
      `${V1} is never pruned: the run settled at 300 s with its prune, due at 3600 s, still to come`,
    );
  });

  it('passes: a rollout superseded after Terminal is pruned from terminal_at, its first finish', () => {
    expectPasses(
      fleet,
      (s) => {
        happyPath(s);
        rollThrough(s, s.at(400).open('stable', 'v2'), 400);
        // v2 itself is Terminal at 620 s: intent prunes it at 1,220 s, the same sweep deletes it.
        s.at(820).prune(V1);
        s.at(1220).prune('stable@v2');
        if (!s.flags.retention_expired) s.at(3600).sweep(V1).sweep('stable@v2');
        s.at(3700);
      },
      RETAIN,
    );
  });

  it('passes: a prune due while the control plane is down happens when it is back', () => {
    expectPasses(
      fleet,
      (s) => {
        happyPath(s);
        s.at(800).emit({ type: 'fault', t: s.now, kind: 'cp_down', host: null, detail: '60s' });
        s.at(860).emit({ type: 'fault', t: s.now, kind: 'cp_up', host: null, detail: '' });
        s.prune(V1);
        if (!s.flags.retention_expired) s.at(3600).sweep(V1);
        s.at(3700);
      },
      RETAIN,
    );
  });

  it('reports a prune before the retention ran out (a period taken in hours, not days)', () => {
    const { finding } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      script: (s) => {
        happyPath(s);
        s.at(760);
        retentionExpired(s);
      },
    });
    expect(finding.message).toBe(`${V1} pruned at 760 s, before its retention ran out at 820 s`);
  });

  it('reports RetentionExpired for a rollout still Active', () => {
    const script: Script = (s) => {
      const id = s.open('stable', 'v1');
      s.converge(id, 'a', 0);
      s.at(100);
      retentionExpired(s);
    };
    const { finding } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      script,
    });
    expect(finding.message).toBe(`RetentionExpired for ${V1} in Active`);
  });

  it('reports a prune that never came (a lost timer), by each profile', () => {
    const { finding, traces } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      script: (s) => {
        happyPath(s);
        s.at(4000);
      },
    });
    expect(finding.message).toBe(`${V1} not pruned by 820 s (finished at 220 s, retention 600 s)`);
    expect(faithfulMessage(traces)).toBe(
      `${V1} still kept at 4000 s: the sweep at 3600 s should have deleted it`,
    );
  });

  it('reports a row deleted before its sweep, and any deletion under intent', () => {
    const { finding, traces } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      script: (s) => {
        happyPath(s);
        s.at(820).prune(V1);
        s.at(1800).sweep(V1);
        s.at(1900);
      },
    });
    expect(finding.message).toBe(
      `${V1} was deleted: intent keeps a pruned rollout's row (spec §6 item 6)`,
    );
    expect(faithfulMessage(traces)).toBe(`${V1} was deleted by 1900 s, before the sweep at 3600 s`);
  });

  it('reports RetentionExpired under faithful, whose retention is a sweep', () => {
    const { traces } = expectViolation('rollout.retention', {
      fleet,
      settings: RETAIN,
      script: (s) => {
        happyPath(s);
        s.at(820);
        retentionExpired(s);
        s.at(3600).sweep(V1);
        s.at(3700);
      },
    });
    expect(faithfulMessage(traces)).toBe(
      `${V1}: RetentionExpired stepped, but faithful's retention is a sweep that deletes rows (spec §4.12)`,
    );
  });
});
