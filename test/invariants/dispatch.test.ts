import { describe, expect, it } from 'vitest';
import { probeFault } from '../../sim/fleet/build.ts';
import type { Fleet, RolloutPolicy } from '../../sim/fleet/fleet.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { DISPATCH_INVARIANTS } from '../../sim/invariants/rules/dispatch.ts';
import {
  at,
  expectPasses,
  expectViolation,
  FAITHFUL,
  happyPath,
  play,
  rollThrough,
  stagedFleet,
  type Trace,
  twoChannelFleet,
} from './support.ts';

/*
 * Dispatch invariants (sim/invariants/rules/dispatch.ts): which hosts the planner may
 * send work to, and when; a realistic good trace and the real-world bad ones for each.
 */

const fleet = stagedFleet();
/** a's probe fails on v1: the rollout halts in wave 0 or 1 depending on the script. */
const failing = (hosts: string[]) =>
  stagedFleet({ faults: { probes: [probeFault({ pattern: 'fail', hosts, refs: ['v1'] })] } });

/** a converges; b is dispatched at 75 s and soaks from 85 s; c is dispatched at 90 s. */
function cWhileBSoaks(s: Trace): void {
  const id = s.open('stable', 'v1');
  s.converge(id, 'a', 0);
  s.at(75).cursor(id, 0).dispatch(id, 'b');
  s.at(76).host(id, 'b', 'Activating');
  s.at(85).host(id, 'b', 'Soaking');
  s.at(90).dispatch(id, 'c');
}

/** a soaks on v1, its probe fails from 20 s, the agent fails it at 140 s and rolls back at 150 s. */
function failAndRevert(s: Trace, id: string, host: string, start: number): void {
  s.at(start).dispatch(id, host);
  s.at(start + 1).host(id, host, 'Activating');
  s.at(start + 10).host(id, host, 'Soaking');
  s.at(start + 20).probe(id, host, 'http', 'fail');
  s.at(start + 140).host(id, host, 'Failed');
  s.at(start + 150).host(id, host, 'Reverted');
}

const CASES: Record<string, () => void> = {
  'dispatch.within-cursor': () => {
    it('passes: each wave is dispatched once the cursor is on it', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports a dispatch of a wave-1 host while the cursor is 0', () => {
      const { finding } = expectViolation('dispatch.within-cursor', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.dispatch(id, 'b');
        },
      });
      expect(finding.message).toBe('b (wave 1) dispatched while stable@v1 is at wave 0');
      expect(finding.t).toBe(at(0));
    });
  },

  'dispatch.cursor-when-done': () => {
    it('passes: the cursor leaves a wave once its hosts are Converged, or Deferred awaiting a reboot', () => {
      expectPasses(fleet, happyPath);
      const deferring = stagedFleet({ faults: { activation: { deferring_refs: ['v1'] } } });
      expectPasses(deferring, (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        s.at(10).host(id, 'a', 'Deferred');
        s.at(15).cursor(id, 0);
        s.converge(id, ['b', 'c'], 15);
        s.at(90).cursor(id, 1);
        s.converge(id, 'd', 90);
        // The operator reboots a: the staged closure activates, a soaks and converges.
        s.at(700).host(id, 'a', 'Soaking', { soakDueAt: at(760) });
        s.at(705).probe(id, 'a', 'http', 'pass');
        s.at(760).host(id, 'a', 'Converged');
        s.at(765).terminal(id);
      });
    });

    it('reports the cursor leaving wave 0 while a is still Soaking', () => {
      const { finding } = expectViolation('dispatch.cursor-when-done', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(10).host(id, 'a', 'Soaking');
          s.at(15).cursor(id, 0);
        },
      });
      expect(finding.message).toBe('stable@v1 left wave 0 while a is Soaking');
      expect(finding.t).toBe(at(15));
    });

    it('reports the cursor leaving wave 0 before a was even dispatched', () => {
      const { finding } = expectViolation('dispatch.cursor-when-done', {
        fleet,
        script: (s) => s.cursor(s.open('stable', 'v1'), 0),
      });
      expect(finding.message).toBe('stable@v1 left wave 0 while a is Pending');
    });
  },

  'dispatch.host-edges': () => {
    const edged = stagedFleet({ hostEdges: [{ gated: 'c', gates: 'b', reason: 'db before app' }] });

    it('passes: c waits for b in the same wave', () => {
      expectPasses(edged, (s) => {
        const id = s.open('stable', 'v1');
        s.converge(id, 'a', 0);
        s.at(75).cursor(id, 0);
        s.converge(id, 'b', 75);
        s.converge(id, 'c', 150);
        s.at(225).cursor(id, 1);
        s.converge(id, 'd', 225);
        s.at(300).terminal(id);
      });
    });

    it('reports c dispatched alongside its gate b', () => {
      const { finding } = expectViolation('dispatch.host-edges', {
        fleet: edged,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.converge(id, ['b', 'c'], 75);
        },
      });
      expect(finding.message).toBe('c dispatched while its gate b is Pending');
      expect(finding.t).toBe(at(75));
    });

    it('reports c dispatched while b is still Soaking', () => {
      const { finding } = expectViolation('dispatch.host-edges', {
        fleet: edged,
        script: cWhileBSoaks,
      });
      expect(finding.message).toBe('c dispatched while its gate b is Soaking');
    });
  },

  'dispatch.channel-edges': () => {
    const two = twoChannelFleet();
    // A trace shows a failed manifest poll, not the good one after: where polls can fail,
    // a violation under faithful may be its deviation (a predecessor out of the cache).
    const polling = { ...two, faults: { ...two.faults, manifest_failure_rate: 0.1 } };

    it('passes: stable dispatches once canary’s rollout is Terminal', () => {
      expectPasses(two, (s) => {
        const canary = s.open('canary', 'v1');
        const stable = s.open('stable', 'v1');
        s.converge(canary, 'k', 0);
        s.at(75).terminal(canary);
        s.converge(stable, 's', 75);
        s.at(150).terminal(stable);
      });
    });

    it('reports stable dispatched while canary’s rollout is still Active', () => {
      const { finding } = expectViolation('dispatch.channel-edges', {
        fleet: polling,
        // The script stops with the rollouts open; the failed polls it allows have passed.
        also: ['liveness.heals'],
        script: (s) => {
          const canary = s.open('canary', 'v1');
          const stable = s.open('stable', 'v1');
          s.dispatch(canary, 'k');
          s.dispatch(stable, 's');
        },
      });
      expect(finding.message).toBe('s on stable dispatched while canary@v1 is Active');
    });

    it('reports stable dispatched after canary moved on to a new ref that is not done', () => {
      const { finding } = expectViolation('dispatch.channel-edges', {
        fleet: polling,
        // The script stops with the rollouts open; the failed polls it allows have passed.
        also: ['liveness.heals'],
        script: (s) => {
          const canary = s.open('canary', 'v1');
          s.converge(canary, 'k', 0);
          s.at(75).terminal(canary);
          const v2 = s.at(80).open('canary', 'v2');
          s.dispatch(v2, 'k');
          // stable opens only now: canary's current rollout is v2, not the Terminal v1.
          s.at(90).dispatch(s.open('stable', 'v1'), 's');
        },
      });
      expect(finding.message).toBe('s on stable dispatched while canary@v2 is Active');
    });

    // A trace (no cache to ask) of a fleet whose polls cannot fail: every predecessor was
    // cached, so the gate broke its own rule, under faithful as well.
    it('a trace where no poll can fail: a failure under faithful too', () => {
      const trace = play(two, FAITHFUL, (s) => {
        const canary = s.open('canary', 'v1');
        const stable = s.open('stable', 'v1');
        s.dispatch(canary, 'k');
        s.dispatch(stable, 's');
      });
      expect(
        trace.checker.failures
          .filter((f) => f.invariant.id === 'dispatch.channel-edges')
          .map((f) => f.message),
      ).toEqual(['s on stable dispatched while canary@v1 is Active']);
    });

    // Faithful's deviation is the gate passing a predecessor out of the manifest cache; a
    // gate that passes one it has cached is wrong there too, and must not hide behind it.
    it.each([
      ['out of the cache: the known deviation', undefined, 'deviations'],
      ['cached: a failure under faithful too', 'v1', 'failures'],
    ] as const)('faithful, the predecessor %s', (_what, cached, where) => {
      const trace = play(two, FAITHFUL, (s) => {
        Object.assign(s.inspect, {
          manifestRef: (channel: string) => (channel === 'canary' ? cached : 'v1'),
        });
        const canary = s.open('canary', 'v1');
        const stable = s.open('stable', 'v1');
        s.dispatch(canary, 'k');
        s.dispatch(stable, 's');
      });
      const found = trace.checker[where].filter((f) => f.invariant.id === 'dispatch.channel-edges');
      expect(found.map((f) => f.message)).toEqual([
        's on stable dispatched while canary@v1 is Active',
      ]);
      const other = where === 'failures' ? 'deviations' : 'failures';
      expect(trace.checker[other].map((f) => f.invariant.id)).not.toContain(
        'dispatch.channel-edges',
      );
    });
  },

  'dispatch.quarantine': () => {
    const bad = failing(['a']);

    it('passes: after a’s rollback the next ref is dispatched to a (a new closure)', () => {
      expectPasses(bad, (s) => {
        const v1 = s.open('stable', 'v1');
        failAndRevert(s, v1, 'a', 0);
        rollThrough(s, s.at(200).open('stable', 'v2'), 200);
      });
    });

    it('reports the rolled-back closure v1-a dispatched to a again', () => {
      const { finding, traces } = expectViolation('dispatch.quarantine', {
        fleet: bad,
        // The rollout is halted, too: without the halt gate it dispatches on (spec §6 item 9).
        also: ['dispatch.halt'],
        script: (s) => {
          const v1 = s.open('stable', 'v1');
          failAndRevert(s, v1, 'a', 0);
          s.at(165).dispatch(v1, 'a');
        },
      });
      expect(finding.message).toBe('v1-a dispatched to a after its quarantine');
      expect(finding.t).toBe(at(165));
      // Under faithful the planner is handed an empty quarantine set: a known deviation.
      const faithful = traces[0] as Trace;
      expect(faithful.checker.deviations.map((d) => d.invariant.id)).toContain(
        'dispatch.quarantine',
      );
    });
  },

  'dispatch.budget': () => {
    const budgeted = stagedFleet({
      budgets: [
        { selector: 'tag:app', hosts: ['b', 'c'], max_in_flight: 1, max_in_flight_pct: null },
      ],
    });

    it('passes: b and c go one at a time under max_in_flight 1', () => {
      expectPasses(budgeted, (s) => {
        const id = s.open('stable', 'v1');
        s.converge(id, 'a', 0);
        s.at(75).cursor(id, 0);
        s.converge(id, 'b', 75);
        s.converge(id, 'c', 150);
        s.at(225).cursor(id, 1);
        s.converge(id, 'd', 225);
        s.at(300).terminal(id);
      });
    });

    it('reports b and c in flight together under max_in_flight 1', () => {
      const { finding } = expectViolation('dispatch.budget', {
        fleet: budgeted,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.converge(id, ['b', 'c'], 75);
        },
      });
      expect(finding.message).toBe('2 hosts of budget tag:app in flight, max 1');
      expect(finding.t).toBe(at(76));
    });

    // Faithful over-commits only through what its gate leaves out of the count (§6 item
    // 16): a dispatch while b already soaks under max 1 breaks even that count, so it is a
    // mistake under faithful too, not the deviation.
    it('reports under faithful too a dispatch past the gate’s own count', () => {
      const trace = play(budgeted, FAITHFUL, cWhileBSoaks);
      expect(trace.checker.deviations.map((f) => f.invariant.id)).not.toContain('dispatch.budget');
      const failure = trace.checker.failures.find((f) => f.invariant.id === 'dispatch.budget');
      expect(failure?.message).toBe(
        "c dispatched while 1 host of budget tag:app was in flight, max 1: past even the gate's own count",
      );
      expect(failure?.t).toBe(at(90));
    });

    it('reports a deferred host back from its reboot while the next one is in flight', () => {
      // b defers, so it is out of flight and c is dispatched; b's reboot brings it back
      // soaking beside c: no dispatch broke the budget, the return from Deferred did.
      const { finding } = expectViolation('dispatch.budget', {
        fleet: budgeted,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0).dispatch(id, 'b');
          s.at(76).host(id, 'b', 'Activating');
          s.at(80).host(id, 'b', 'Deferred');
          s.at(90).dispatch(id, 'c');
          s.at(91).host(id, 'c', 'Activating');
          s.at(150).host(id, 'b', 'Soaking');
        },
      });
      expect(finding.message).toBe('2 hosts of budget tag:app in flight, max 1');
      expect(finding.t).toBe(at(150));
    });

    // a (wave 0) and b (wave 1) share a budget of one. Under v1, b defers and c fails and
    // rolls back: v1 halts (Reverted under intent, which prunes it at once, before any
    // successor, so it is never superseded; Failed under faithful, superseded by v2).
    // b's reboot brings it back soaking v1's closure, its newest dispatch.
    const acrossWaves = stagedFleet({
      budgets: [
        { selector: 'tag:app', hosts: ['a', 'b'], max_in_flight: 1, max_in_flight_pct: null },
      ],
    });
    const haltedAndPruned = (s: Trace) => {
      const v1 = s.open('stable', 'v1');
      s.converge(v1, 'a', 0);
      s.at(75).cursor(v1, 0).dispatch(v1, 'b').dispatch(v1, 'c');
      s.at(76).host(v1, 'b', 'Activating').host(v1, 'c', 'Activating');
      s.at(80).host(v1, 'b', 'Deferred');
      s.at(90).host(v1, 'c', 'Failed');
      s.at(100).host(v1, 'c', 'Reverted').prune(v1);
      s.at(160).host(v1, 'b', 'Soaking');
      s.at(165).probe(v1, 'b', 'http', 'pass');
      return { v1, v2: s.at(200).open('stable', 'v2') };
    };

    it('passes: v2 sends a only once b is done with v1, which was pruned before v2 opened', () => {
      expectPasses(
        acrossWaves,
        (s) => {
          const { v1, v2 } = haltedAndPruned(s);
          s.at(220).host(v1, 'b', 'Converged');
          rollThrough(s, v2, 225);
        },
        { retention_days: 0 },
      );
    });

    it('reports a dispatched by v2 while b still soaks v1, pruned before v2 opened', () => {
      // The rollout b works for is no longer current but was never superseded: b is in
      // flight all the same (the monitor used to count only superseded rollouts' hosts).
      const { finding } = expectViolation('dispatch.budget', {
        fleet: acrossWaves,
        script: (s) => {
          const { v2 } = haltedAndPruned(s);
          s.dispatch(v2, 'a');
          s.at(201).host(v2, 'a', 'Activating');
        },
      });
      expect(finding.message).toBe('2 hosts of budget tag:app in flight, max 1');
      expect(finding.t).toBe(at(201));
    });
  },

  'dispatch.halt': () => {
    const bad = failing(['b']);
    /** a converges; b, in wave 1, fails and rolls back from 75 s: the rollout halts. */
    const haltAtB = (s: Trace) => {
      const id = s.open('stable', 'v1');
      s.converge(id, 'a', 0);
      s.at(75).cursor(id, 0);
      failAndRevert(s, id, 'b', 75);
      return id;
    };

    it('passes: nothing is dispatched after wave 1 fails', () => {
      expectPasses(bad, (s) => {
        haltAtB(s);
      });
    });

    it('reports c dispatched by the halted rollout after b failed and rolled back', () => {
      const { finding, traces } = expectViolation('dispatch.halt', {
        fleet: bad,
        script: (s) => {
          const id = haltAtB(s);
          s.at(240).dispatch(id, 'c');
        },
      });
      // intent lets Reverted land (spec §6.3); faithful forwards Failed.
      expect(finding.message).toBe('c dispatched by Reverted stable@v1');
      expect((traces[0] as Trace).checker.deviations[0]?.message).toBe(
        'c dispatched by Failed stable@v1',
      );
    });

    it('reports c dispatched by the halted rollout once retention has pruned it, still current', () => {
      // Intent's retention anchors a Reverted row on the transition (spec §6 item 6); with
      // a short retention it is Pruned while the channel's manifest still names it.
      const { finding } = expectViolation('dispatch.halt', {
        fleet: bad,
        script: (s) => {
          const id = haltAtB(s);
          s.at(230).prune(id);
          s.at(240).dispatch(id, 'c');
        },
      });
      expect(finding.message).toBe('c dispatched by halted, then Pruned stable@v1');
    });
  },
};

/** b (wave 1, soak 1 min) dispatched at 75 s with a deadline the planner got wrong. */
const bentSoak = (bend: (due: number) => number) => (s: Trace) => {
  const id = s.open('stable', 'v1');
  s.converge(id, 'a', 0);
  s.at(75).cursor(id, 0);
  s.dispatch(id, 'b', 1, bend);
};

CASES['dispatch.soak-deadline'] = () => {
  it("passes: each host's deadline is its wave's soak from the opening (faithful) or its first dispatch (intent)", () => {
    expectPasses(fleet, happyPath);
    // A second dispatch before the ack (spec §4.5) keeps the first one's deadline.
    expectPasses(fleet, (s) => {
      const id = s.open('stable', 'v1');
      s.at(5).dispatch(id, 'a');
      rollThrough(s, id, 20);
      s.at(320);
    });
  });

  it('reports soak_minutes taken as seconds', () => {
    const { finding, traces } = expectViolation('dispatch.soak-deadline', {
      fleet,
      script: bentSoak((due) => due - 60_000 + 1000),
    });
    expect(finding.t).toBe(at(75));
    // faithful counts from the opening at 0 s, intent from b's first dispatch at 75 s.
    expect((traces[0] as Trace).checker.failures[0]?.message).toBe(
      'b dispatched on stable@v1 with soak_due_at 1 s, not 60 s (opened at 0 s + 1 min)',
    );
    expect(finding.message).toBe(
      'b dispatched on stable@v1 with soak_due_at 76 s, not 135 s (first dispatch at 75 s + 1 min)',
    );
  });

  it('reports a wave soak of 0 replaced by the 60-minute fallback', () => {
    const staged = fleet.rollout_policies.staged as RolloutPolicy;
    const noSoak: Fleet = {
      ...fleet,
      rollout_policies: {
        staged: { ...staged, waves: staged.waves.map((w) => ({ ...w, soak_minutes: 0 })) },
      },
    };
    const { finding } = expectViolation('dispatch.soak-deadline', {
      fleet: noSoak,
      script: (s) => {
        const id = s.open('stable', 'v1');
        s.at(5).dispatch(id, 'a', 0, (due) => due + 3_600_000);
      },
    });
    expect(finding.message).toBe(
      'a dispatched on stable@v1 with soak_due_at 3605 s, not 5 s (first dispatch at 5 s + 0 min)',
    );
  });

  it('reports a soak restarted by a second dispatch (intent) or counted from it (faithful)', () => {
    const { finding } = expectViolation('dispatch.soak-deadline', {
      fleet,
      script: (s) => {
        const id = s.open('stable', 'v1');
        s.at(5).dispatch(id, 'a');
        s.at(20).dispatch(id, 'a', 0, () => at(20 + 60));
      },
    });
    expect(finding.t).toBe(at(20));
    expect(finding.message).toBe(
      'a dispatched on stable@v1 with soak_due_at 80 s, not 65 s (first dispatch at 5 s + 1 min)',
    );
  });
};

describe('dispatch invariants', () => {
  it('every dispatch invariant is in the library and has tests here', () => {
    for (const inv of DISPATCH_INVARIANTS) expect(INVARIANTS).toContain(inv);
    expect(Object.keys(CASES).sort()).toEqual(DISPATCH_INVARIANTS.map((i) => i.id).sort());
  });
  for (const inv of DISPATCH_INVARIANTS) {
    describe(
      inv.id,
      CASES[inv.id] ?? (() => it('has tests', () => expect.fail(`no tests for ${inv.id}`))),
    );
  }
});
