import { describe, expect, it } from 'vitest';
import { makeFleet, probeFault } from '../../sim/fleet/build.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import {
  faultFree,
  LIVENESS_INVARIANTS,
  settledForGood,
  settlesWhenDone,
} from '../../sim/invariants/rules/liveness.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { FaultKind } from '../../sim/trace-record.ts';
import {
  at,
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
 * End-of-run invariants and the real-world bugs that span a rollout and its hosts
 * (sim/invariants/rules/liveness.ts).
 */

const fleet = stagedFleet();

/** a converges on v1, then v2 supersedes v1 and rolls through. */
const supersededByV2: Script = (s) => {
  const v1 = s.open('stable', 'v1');
  s.converge(v1, 'a', 0);
  rollThrough(s, s.at(80).open('stable', 'v2'), 80);
};

/** a converges, and the run is cut a minute in, as by `run --until 60s`. */
const cutAtAMinute: Script = (s) => {
  const id = s.open('stable', 'v1');
  s.converge(id, 'a', 0);
  s.at(60).end('horizon');
};

const CASES: Record<string, () => void> = {
  'liveness.terminal': () => {
    it('passes: the fault-free rollout ends Terminal; a superseded one need not', () => {
      expect(faultFree(fleet)).toBe(true);
      expectPasses(fleet, happyPath);
      expectPasses(fleet, supersededByV2);
    });

    it('passes: with a fault in the fleet a stuck rollout is not judged', () => {
      const faulty = stagedFleet({ faults: { activation: { failure_rate: 0.1 } } });
      expect(faultFree(faulty)).toBe(false);
      expectPasses(faulty, (s) => {
        const id = s.open('stable', 'v1');
        s.converge(id, 'a', 0);
        // A fault that does not pass: liveness.heals leaves the run alone too.
        s.emit({ type: 'fault', t: s.now, kind: 'activation_failed', host: 'b', detail: '' });
      });
    });

    it('reports a fault-free rollout that settled Active at wave 1', () => {
      const { finding } = expectViolation('liveness.terminal', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.converge(id, ['b', 'c'], 75);
          // The planner never moves on to wave 2: the run goes quiet.
          s.at(300);
        },
      });
      expect(finding.message).toBe(
        'stable@v1 ended Active at wave 1, its hosts 1 Pending, 3 Converged, with no fault',
      );
      expect(finding.t).toBe(at(300));
    });

    it('passes: a run cut by a short --until is not judged', () => {
      expectPasses(fleet, cutAtAMinute);
    });

    it('reports a fault-free run that never settles', () => {
      const { finding } = expectViolation('liveness.terminal', {
        fleet,
        // A check case's four hours.
        horizon: 14_400,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(14_400).end('horizon');
        },
      });
      expect(finding.message).toBe('the fault-free run did not settle within 14400 s');
    });

    it('says what was still going on at the horizon, or else who a gate held', () => {
      const idle = (unsettled: RunSummary['unsettled']) =>
        expectViolation('liveness.terminal', {
          fleet,
          horizon: 14_400,
          script: (s) => {
            const id = s.open('stable', 'v1');
            s.converge(id, 'a', 0);
            s.at(14_400).end('horizon', { unsettled });
          },
        }).finding.message;
      const held = {
        blockedHosts: 2,
        groups: [
          {
            rolloutId: 'stable@v1',
            gate: 'wave-promotion',
            reason: 'wave 1 > current wave 0',
            hosts: ['b', 'c'],
            since: at(0),
            permanent: false,
            why: 'waits for wave 0 of stable@v1 to complete',
            spec: '§4.4, §4.5',
          },
        ],
      };
      expect(
        idle({ work: ['a is Soaking on stable@v1, and its host will still move it'], held }),
      ).toBe(
        'the fault-free run did not settle within 14400 s; at the horizon a is Soaking on stable@v1, and its host will still move it',
      );
      expect(idle({ work: [], held })).toBe(
        'the fault-free run did not settle within 14400 s; at the horizon 2 hosts held by wave-promotion on stable@v1',
      );
    });
  },

  'liveness.heals': () => {
    const lossy = stagedFleet({ faults: { network: { drop_rate: 0.1 } } });
    /** a converges, the cursor moves to wave 1, and nothing more: the run goes quiet. */
    const stuckAtWave1 =
      (before: (s: Trace) => void = () => {}): Script =>
      (s) => {
        before(s);
        const id = s.open('stable', 'v1');
        s.converge(id, 'a', 0);
        s.at(75).cursor(id, 0);
        s.at(300).end('stalled');
      };
    const fault = (s: Trace, kind: FaultKind, host: string | null = 'a') =>
      s.emit({ type: 'fault', t: s.now, kind, host, detail: '' });

    it('passes: messages were lost, and the rollout still ends Terminal (or is superseded)', () => {
      expectPasses(lossy, happyPath);
      expectPasses(lossy, supersededByV2);
    });

    it('passes: a fault that does not pass is not judged (a failed activation, a deferral no reboot completes, a partition still on)', () => {
      expectPasses(
        lossy,
        stuckAtWave1((s) => fault(s, 'activation_failed')),
      );
      expectPasses(
        lossy,
        stuckAtWave1((s) => fault(s, 'partition_start', null)),
      );
      const noReboots = makeFleet({
        ...lossy,
        operator: { reboot_deferred_after_seconds: null, clearances: [] },
      });
      expectPasses(
        noReboots,
        stuckAtWave1((s) => fault(s, 'activation_deferred')),
      );
    });

    it('passes: a run cut by a short --until is not judged', () => {
      expectPasses(lossy, cutAtAMinute);
    });

    it('reports a rollout left Active after a lost message (a dispatch never sent again)', () => {
      const { finding } = expectViolation('liveness.heals', {
        fleet: lossy,
        script: stuckAtWave1((s) => fault(s, 'drop')),
      });
      expect(finding.message).toBe(
        'stable@v1 ended Active at wave 1, its hosts 3 Pending, 1 Converged, though every fault of the run had passed',
      );
    });

    it('names the hold its stall found on the rollout, one that never clears first', () => {
      const group = (gate: string, permanent: boolean, why: string) => ({
        rolloutId: 'stable@v1',
        gate,
        reason: gate,
        hosts: ['c', 'd'],
        since: at(0),
        permanent,
        why,
        spec: '§4.4',
      });
      const stalled = (groups: ReturnType<typeof group>[]) =>
        expectViolation('liveness.heals', {
          fleet: lossy,
          script: (s) => {
            fault(s, 'drop');
            const id = s.open('stable', 'v1');
            s.converge(id, 'a', 0);
            s.at(75).cursor(id, 0);
            s.at(300).end('stalled', { stall: { blockedHosts: 2, groups } });
          },
        }).finding.message;
      const prefix =
        'stable@v1 ended Active at wave 1, its hosts 3 Pending, 1 Converged, though every fault of the run had passed; stalled: ';
      expect(
        stalled([
          group(
            'disruption-budget',
            false,
            'waits for hosts in flight under the same budget to finish',
          ),
          group('quarantine', true, 'quarantine rows are never removed'),
        ]),
      ).toBe(`${prefix}2 hosts held by quarantine: quarantine rows are never removed`);
      expect(
        stalled([
          group(
            'idle',
            true,
            'its hosts (Pending, Soaking) will not change again; the control plane never heard b report Converged',
          ),
        ]),
      ).toBe(
        `${prefix}its hosts (Pending, Soaking) will not change again; the control plane never heard b report Converged`,
      );
    });

    it('reports it under a fleet set to fail activations when none failed, and after a deferral the operator reboots', () => {
      const failing = stagedFleet({ faults: { activation: { failure_rate: 0.2 } } });
      expectViolation('liveness.heals', { fleet: failing, script: stuckAtWave1() });
      const deferring = stagedFleet({ faults: { activation: { deferral_rate: 0.2 } } });
      expectViolation('liveness.heals', {
        fleet: deferring,
        script: stuckAtWave1((s) => fault(s, 'activation_deferred')),
      });
    });
  },

  'liveness.settles': () => {
    /** Judged alone: a run at its horizon breaks liveness.terminal too in a fault-free fleet. */
    const clean = (f: typeof fleet, script: Script, horizon?: number, days?: number) => {
      for (const prof of [FAITHFUL, INTENT]) {
        expectClean(
          play(f, prof, script, {
            invariants: [settlesWhenDone],
            ...(horizon === undefined ? {} : { horizon }),
            ...(days === undefined ? {} : { settings: { retention_days: days } }),
          }),
        );
      }
    };
    const idleTo =
      (horizon: number): Script =>
      (s) => {
        rollThrough(s, s.open('stable', 'v1'), 0);
        s.at(horizon).end('horizon');
      };

    it('passes: a run that settles, one cut at its horizon mid-rollout, or a log', () => {
      clean(fleet, happyPath, 14_400);
      clean(
        fleet,
        (s) => {
          s.converge(s.open('stable', 'v1'), 'a', 0);
          s.at(14_400).end('horizon');
        },
        14_400,
      );
      // A log's window may end anywhere: nothing is known of a horizon.
      clean(fleet, idleTo(14_400));
    });

    it('passes: the horizon comes within the longest silence a correct run may keep', () => {
      // Two hours, a soak, the operator's latest reboot, the settings' timers.
      clean(fleet, idleTo(7_200), 7_200);
    });

    it("passes: the fleet's script still had a partition to lift, or a sweep deleted a row", () => {
      const late = stagedFleet({
        faults: {
          network: { partitions: [{ hosts: ['d'], from_seconds: 9_000, to_seconds: 12_000 }] },
        },
      });
      clean(late, idleTo(14_400), 14_400);
      // Faithful's sweep deletes without a trace record: at 3 h (0.1 days past 220 s).
      clean(
        fleet,
        (s) => {
          const id = s.open('stable', 'v1');
          rollThrough(s, id, 0);
          s.at(10_800).sweep(id);
          s.at(14_400).end('horizon');
        },
        14_400,
        0.1,
      );
    });

    it('reports a run that idles to its horizon after every rollout finished', () => {
      const { finding } = expectViolation('liveness.settles', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          // v2 supersedes v1 and rolls through; then nothing, for four hours.
          supersededByV2(s);
          s.at(14_400).end('horizon');
        },
      });
      expect(finding.message).toBe(
        'every rollout had finished and nothing was left to happen after 300 s, yet the run idled to its horizon at 14400 s',
      );
      expect(finding.t).toBe(at(14_400));
    });
  },

  'liveness.nothing-left': () => {
    const deferring = stagedFleet({
      faults: { activation: { deferring_refs: ['v1'], failing_refs: [] } },
    });
    /** a deferred in wave 0; b, c and d never sent: the run stalls at 700 s. */
    const deferredA =
      (booted: boolean): Script =>
      (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        s.at(10).host(id, 'a', 'Deferred');
        // The operator's reboot: a runs the deferred target, its heartbeat still to come.
        if (booted) s.inspect.runs.set('a', 'v1-a');
        s.at(700).end('stalled');
      };
    /** a deferred on its agent, the report lost: the control plane holds it Activating. */
    const deferredUnheard =
      (booted: boolean): Script =>
      (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        // Sent with a seq the control plane has already (a boot snapshot rewound the
        // agent's): the route takes it for a retry, and no replay resends it.
        const seq = s.inspect.cpHost(id, 'a')?.lastEventSeq ?? 0;
        s.at(10).agent(id, 'a', 'Deferred', { lastEventSeq: seq });
        if (booted) s.inspect.runs.set('a', 'v1-a');
        s.at(700).end('stalled');
      };
    const judged = (f: typeof fleet, script: Script, horizon?: number) =>
      [FAITHFUL, INTENT].map((prof) =>
        play(f, prof, script, {
          invariants: [settledForGood],
          ...(horizon === undefined ? {} : { horizon }),
        }),
      );

    it('passes: a settled run, a host still deferred that has not booted, a superseded soak, a log', () => {
      for (const t of judged(fleet, happyPath, 14_400)) expectClean(t);
      for (const t of judged(deferring, deferredA(false), 14_400)) expectClean(t);
      // Its agent left v1 for v2: the superseded mirror may soak for good.
      const superseded: Script = (s) => {
        const v1 = s.open('stable', 'v1');
        s.dispatch(v1, 'a');
        s.at(1).host(v1, 'a', 'Activating');
        s.at(10).host(v1, 'a', 'Soaking');
        rollThrough(s, s.at(20).open('stable', 'v2'), 20);
        s.inspect.leftRecords.add(`a\u0000${v1}`);
        s.at(300).end('terminal');
      };
      for (const t of judged(fleet, superseded, 14_400)) expectClean(t);
      for (const t of judged(deferring, deferredA(true))) expectClean(t);
      // A stale boot snapshot put the agent's record back to Pending (spec §3.12 merge):
      // the control plane's record, Activating or recovered to Soaking, moves no more.
      for (const cpState of ['Activating', 'Soaking'] as const) {
        const stuck: Script = (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(5).snapshot(id, 'a', 'Pending');
          if (cpState === 'Soaking') s.at(60).cp(id, 'a', 'Soaking');
          s.at(700).end('stalled');
        };
        for (const t of judged(fleet, stuck, 14_400)) expectClean(t);
      }
      // a converged, and its report was lost after the route acknowledged it (the reducer
      // found no manifest cached after a restart): its heartbeats name v1 and the closure
      // recorded there, so no replay comes.
      const lost: Script = (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        s.at(10).host(id, 'a', 'Soaking');
        s.at(20).agent(id, 'a', 'Converged');
        s.at(700).end('stalled');
      };
      for (const t of judged(fleet, lost, 14_400)) expectClean(t);
      // a deferred, its report lost, and no reboot ever boots v1-a: nothing moves it.
      for (const t of judged(deferring, deferredUnheard(false), 14_400)) expectClean(t);
    });

    it('reports a run that stalls while a recovery is due: the host runs the target of a record Activating', () => {
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(5).snapshot(id, 'a', 'Pending');
          s.inspect.runs.set('a', 'v1-a');
          s.at(700).end('stalled');
        },
        // The two views disagree too, for good reason.
        also: ['host.views-agree'],
      });
      expect(finding.message).toBe('the run ended stalled with a still Activating on stable@v1');
    });

    it('reports a run that stalls while a heartbeat replay is due: a host rolled back unheard', () => {
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          // The activation fails and a rolls back, both reports lost: a runs a-base, not
          // the closure recorded for it, so its next heartbeat asks for a replay.
          s.at(20).agent(id, 'a', 'Failed');
          s.at(30).agent(id, 'a', 'Reverted');
          s.at(700).end('stalled');
        },
        also: ['host.views-agree'],
      });
      expect(finding.message).toBe('the run ended stalled with a still Activating on stable@v1');
    });

    it('reports a run that stalls while a host booted into the target its agent deferred', () => {
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet: stagedFleet({
          faults: { activation: { deferring_refs: ['v1'], failing_refs: [] } },
        }),
        horizon: 14_400,
        script: deferredUnheard(true),
        // A deferral the operator's reboot completes passes: the rollout should finish.
        also: ['host.views-agree', 'liveness.heals'],
      });
      expect(finding.message).toBe('the run ended stalled with a still Activating on stable@v1');
    });

    it('reports a run that stalls while a host still soaks', () => {
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(10).host(id, 'a', 'Soaking');
          s.at(40).end('stalled');
        },
      });
      expect(finding.message).toBe('the run ended stalled with a still Soaking on stable@v1');
    });

    it('reports a run that stalls while a superseded rollout still soaks on an agent that never left it', () => {
      // v2 opened over v1 but never dispatched a (its wave waits): a still works for v1.
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          const v1 = s.open('stable', 'v1');
          s.dispatch(v1, 'a');
          s.at(1).host(v1, 'a', 'Activating');
          s.at(10).host(v1, 'a', 'Soaking');
          s.at(20).open('stable', 'v2');
          s.at(300).end('stalled');
        },
      });
      expect(finding.message).toBe('the run ended stalled with a still Soaking on stable@v1');
    });

    it('reports a run that stalls while a host Pending on a rollout already runs its target', () => {
      // Faithful's sweep deleted the row a converged under, and planning opened it again.
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          s.open('stable', 'v1');
          s.inspect.runs.set('a', 'v1-a');
          s.at(300).end('stalled');
        },
      });
      expect(finding.message).toBe(
        'the run ended stalled with a Pending on stable@v1 though it already runs its target: its next heartbeat recovers the record',
      );
    });

    it('reports a run that stalls while a host still soaks for a halted rollout pruned while current', () => {
      const { finding, traces } = expectViolation('liveness.nothing-left', {
        fleet,
        horizon: 14_400,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.dispatch(id, 'c');
          s.at(76).host(id, 'c', 'Activating');
          s.at(80).host(id, 'c', 'Soaking');
          // b fails and rolls back: the rollout halts Reverted (Failed under faithful).
          s.at(75).dispatch(id, 'b');
          s.at(76).host(id, 'b', 'Activating');
          s.at(85).host(id, 'b', 'Soaking');
          s.at(95).probe(id, 'b', 'http', 'fail');
          s.at(215).host(id, 'b', 'Failed');
          s.at(225).host(id, 'b', 'Reverted');
          // Intent's retention anchors the Reverted row on the change (spec §6 item 6).
          s.at(230).prune(id);
          s.at(240).end('stalled');
        },
      });
      expect(finding.message).toBe('the run ended stalled with c still Soaking on stable@v1');
      // Faithful never prunes a Reverted row (§4.12): the same stall is judged as a live one.
      expect((traces[0] as Trace).checker.failures.map((f) => f.message)).toContain(
        'the run ended stalled with c still Soaking on stable@v1',
      );
    });

    it('reports a run that stalls while a deferred host already runs its target', () => {
      const { finding } = expectViolation('liveness.nothing-left', {
        fleet: deferring,
        horizon: 14_400,
        script: deferredA(true),
        also: ['liveness.heals'],
      });
      expect(finding.message).toBe(
        'the run ended stalled with a Deferred on stable@v1 though it already runs v1-a: its next heartbeat moves it',
      );
      expect(finding.t).toBe(at(700));
    });
  },

  'liveness.halt-holds': () => {
    // The reboot that completes a's deferral fails: a rolls back.
    const deferring = stagedFleet({
      faults: { activation: { deferring_refs: ['v1'], failing_refs: [], boot_failure_rate: 0.5 } },
    });

    it('passes: after a fails in wave 0 nothing beyond wave 0 is dispatched', () => {
      const failing = stagedFleet({
        faults: { probes: [probeFault({ pattern: 'fail', hosts: ['a'] })] },
      });
      expectPasses(failing, (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        s.at(10).host(id, 'a', 'Soaking');
        s.at(20).probe(id, 'a', 'http', 'fail');
        s.at(140).host(id, 'a', 'Failed');
        s.at(150).host(id, 'a', 'Reverted');
      });
    });

    it('reports spec §6.9: a Deferred host counted as done, then failing, does not pin the cursor', () => {
      const { finding, traces } = expectViolation('liveness.halt-holds', {
        fleet: deferring,
        // The same dispatch comes from a halted rollout.
        also: ['dispatch.halt'],
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(10).host(id, 'a', 'Deferred');
          s.at(15).cursor(id, 0);
          s.converge(id, ['b', 'c'], 15);
          // The operator reboots a: the staged activation fails, a rolls back.
          s.at(700).host(id, 'a', 'Failed');
          s.at(710).host(id, 'a', 'Reverted');
          s.at(720).cursor(id, 1).dispatch(id, 'd');
        },
      });
      expect(finding.message).toBe('d (wave 2) dispatched after stable@v1 halted at wave 1');
      expect(finding.t).toBe(at(720));
      const faithful = traces[0] as Trace;
      expect(faithful.checker.failures).toEqual([]);
      expect(faithful.checker.deviations.map((d) => d.invariant.id).sort()).toEqual([
        'dispatch.halt',
        'liveness.halt-holds',
      ]);
    });
  },

  'rollout.terminal-runs-target': () => {
    it('passes: Terminal with every host running v1', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports LIFT #5: Terminal while d, converged by the CP alone, has rolled back to d-base', () => {
      const failingD = stagedFleet({
        faults: { probes: [probeFault({ pattern: 'late-fail', hosts: ['d'], after_seconds: 30 })] },
      });
      const { finding, traces } = expectViolation('rollout.terminal-runs-target', {
        fleet: failingD,
        also: ['host.views-agree'],
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.converge(id, ['b', 'c'], 75);
          s.at(150).cursor(id, 1).dispatch(id, 'd');
          s.at(151).host(id, 'd', 'Activating');
          s.at(160).host(id, 'd', 'Soaking');
          s.at(165).probe(id, 'd', 'http', 'pass');
          // A heartbeat outruns d's late report: the CP synthesizes Converged ...
          s.at(215).cp(id, 'd', 'Converged');
          // ... while on the agent the probe starts failing: d fails and rolls back.
          s.at(230).probe(id, 'd', 'http', 'fail');
          s.at(350).agent(id, 'd', 'Failed');
          s.at(360).agent(id, 'd', 'Reverted');
          s.at(370).terminal(id);
        },
      });
      expect(finding.message).toBe('stable@v1 Terminal while d runs d-base, not v1-d');
      expect(finding.t).toBe(at(370));
      // Either flag off makes it the known deviation; the other invariant needs only one.
      const onlyAbandonOff = traces.find(
        (t) =>
          t.profile.flags.recovery_stops_at_soaking && !t.profile.flags.agent_abandons_superseded,
      ) as Trace;
      expect(onlyAbandonOff.checker.deviations.map((d) => d.invariant.id)).toEqual([
        'rollout.terminal-runs-target',
      ]);
      expect(onlyAbandonOff.checker.failures.map((d) => d.invariant.id)).toEqual([
        'host.views-agree',
      ]);
    });

    it('reports a superseded soak that fails on the agent and rolls back over the newer rollout', () => {
      // agent_abandons_superseded off: the agent keeps soaking v1 after v2 took over, v1's
      // probe fails, and its rollback puts a back on a-base under the Terminal v2.
      const lateFail = stagedFleet({
        faults: {
          probes: [
            probeFault({ pattern: 'late-fail', hosts: ['a'], refs: ['v1'], after_seconds: 20 }),
          ],
        },
      });
      const { finding } = expectViolation('rollout.terminal-runs-target', {
        fleet: lateFail,
        // The revert itself, over v2's switch, is the other's.
        also: ['host.rollback-not-over-newer'],
        script: (s) => {
          const v1 = s.open('stable', 'v1');
          s.dispatch(v1, 'a');
          s.at(1).host(v1, 'a', 'Activating');
          s.at(10).host(v1, 'a', 'Soaking');
          s.at(15).probe(v1, 'a', 'http', 'pass');
          const v2 = s.at(20).open('stable', 'v2');
          s.dispatch(v2, 'a');
          s.at(21).host(v2, 'a', 'Activating');
          s.at(30).host(v2, 'a', 'Soaking');
          s.at(35).probe(v2, 'a', 'http', 'pass');
          // The agent still soaks v1 on a: its probe fails ...
          s.at(60).probe(v1, 'a', 'http', 'fail');
          s.at(90).host(v2, 'a', 'Converged');
          s.at(95).cursor(v2, 0);
          s.converge(v2, ['b', 'c'], 95);
          // ... for 120 s: v1 fails, and its rollback puts a back on a-base.
          s.at(180).host(v1, 'a', 'Failed');
          s.at(190).host(v1, 'a', 'Reverted');
          s.at(195).cursor(v2, 1);
          s.converge(v2, 'd', 195);
          s.at(265).terminal(v2);
        },
      });
      expect(finding.message).toBe('stable@v2 Terminal while a runs a-base, not v2-a');
    });
  },
};

describe('liveness and cross-cutting invariants', () => {
  it('every one of them is in the library and has tests here', () => {
    for (const inv of LIVENESS_INVARIANTS) expect(INVARIANTS).toContain(inv);
    expect(Object.keys(CASES).sort()).toEqual(LIVENESS_INVARIANTS.map((i) => i.id).sort());
  });
  for (const inv of LIVENESS_INVARIANTS) {
    describe(
      inv.id,
      CASES[inv.id] ?? (() => it('has tests', () => expect.fail(`no tests for ${inv.id}`))),
    );
  }
});
