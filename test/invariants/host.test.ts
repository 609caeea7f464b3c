import { describe, expect, it } from 'vitest';
import type { HostRecord } from '../../machines/host/state.ts';
import { newPendingHost } from '../../machines/host/state.ts';
import { recoveryEvents } from '../../sim/control-plane/recovery.ts';
import { probeFault } from '../../sim/fleet/build.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { checkedRun, InvariantChecker } from '../../sim/invariants/checker.ts';
import { INVARIANTS, invariantById } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { HOST_INVARIANTS } from '../../sim/invariants/rules/host.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { HostStepSeen } from '../../sim/world.ts';
import {
  at,
  expectClean,
  expectPasses,
  expectViolation,
  FAITHFUL,
  happyPath,
  INTENT,
  play,
  type Script,
  StubInspect,
  stagedFleet,
  stepSeen,
  type Trace,
} from './support.ts';

/*
 * Host invariants (sim/invariants/rules/host.ts): what a host record may become and when,
 * and whether the two sides agree; a realistic good trace and real-world bad ones each.
 */

const fleet = stagedFleet();
const failingA = stagedFleet({
  faults: { probes: [probeFault({ pattern: 'fail', hosts: ['a'], refs: ['v1'] })] },
});
const haltingA = stagedFleet({
  onHealthFailure: 'halt',
  faults: { probes: [probeFault({ pattern: 'fail', hosts: ['a'], refs: ['v1'] })] },
});

/** a dispatched on v1, activating at 1 s, soaking from 10 s (soak due at 60 s). */
function soakA(s: Trace): string {
  const id = s.open('stable', 'v1');
  s.dispatch(id, 'a');
  s.at(1).host(id, 'a', 'Activating');
  s.at(10).host(id, 'a', 'Soaking');
  return id;
}

/** a's probe fails from 20 s; the agent declares the sustained failure at `failAt`. */
function failA(s: Trace, failAt: number, revert: boolean): string {
  const id = soakA(s);
  s.at(20).probe(id, 'a', 'http', 'fail');
  s.at(failAt).host(id, 'a', 'Failed');
  if (revert) s.at(failAt + 10).host(id, 'a', 'Reverted');
  return id;
}

/** Every host step of the deferred preset's run (boot recoveries and snapshot merges in it). */
function deferredSteps(prof = FAITHFUL): HostStepSeen[] {
  const steps: HostStepSeen[] = [];
  simulate({
    fleet: (PRESETS.deferred as NonNullable<typeof PRESETS.deferred>).build(),
    profile: prof,
    seed: 1,
    observeHostSteps: (step) => steps.push(step),
  });
  return steps;
}

/** What a step monitor says of these steps, in order. */
function judgeSteps(
  id: string,
  steps: readonly HostStepSeen[],
  runs: Readonly<Record<string, string>> = {},
): string[] {
  const inspect = new StubInspect();
  for (const [host, closure] of Object.entries(runs)) inspect.runs.set(host, closure);
  const checker = new InvariantChecker(
    { fleet: stagedFleet(), profile: FAITHFUL, settings: DEFAULT_SETTINGS, inspect },
    [invariantById(id) as Invariant],
  );
  for (const step of steps) checker.observeHostStep(step);
  return checker.failures.map((f) => f.message);
}

/** Where an agent's step on a record does not start from what its previous step made: a merge. */
function mergedAt(steps: readonly HostStepSeen[]): number[] {
  const made = new Map<string, HostRecord>();
  const out: number[] = [];
  steps.forEach((step, i) => {
    if (step.side !== 'agent') return;
    const k = `${step.host} ${step.before.rolloutId}`;
    const prior = made.get(k);
    if (prior !== undefined && prior.lastEventSeq !== step.before.lastEventSeq) out.push(i);
    if (step.result.ok) made.set(k, step.result.record);
  });
  return out;
}

const CASES: Record<string, () => void> = {
  'host.converged-valid': () => {
    it('passes: converged after soak_due_at, on the target, its enforce probe passing', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports a Converged host whose record has a failing enforce probe', () => {
      const { finding } = expectViolation('host.converged-valid', {
        fleet,
        script: (s) => {
          const id = soakA(s);
          s.at(20).probe(id, 'a', 'http', 'fail');
          s.at(70).host(id, 'a', 'Converged');
        },
      });
      expect(finding.message).toBe('a Converged on stable@v1 (agent): enforce probe http is fail');
      expect(finding.t).toBe(at(70));
    });

    it('reports a control plane that converges a host whose reported probe is failing', () => {
      // The agent's record is fine until after it converged; the CP's copy says fail.
      const { finding } = expectViolation('host.converged-valid', {
        fleet,
        script: (s) => {
          const id = soakA(s);
          s.at(15).probe(id, 'a', 'http', 'pass');
          s.at(70).agent(id, 'a', 'Converged');
          s.at(71).probe(id, 'a', 'http', 'fail');
          s.at(72).cp(id, 'a', 'Converged');
        },
      });
      expect(finding.message).toBe('a Converged on stable@v1 (cp): enforce probe http is fail');
    });

    it('reports a host converged before soak_due_at', () => {
      const { finding } = expectViolation('host.converged-valid', {
        fleet,
        script: (s) => {
          const id = soakA(s);
          s.at(15).probe(id, 'a', 'http', 'pass');
          s.at(30).host(id, 'a', 'Converged');
        },
      });
      expect(finding.message).toBe(
        'a Converged on stable@v1 (agent): converged before soak_due_at',
      );
    });

    it('reports a host converged while still running its old closure', () => {
      const { finding } = expectViolation('host.converged-valid', {
        fleet,
        script: (s) => {
          const id = soakA(s);
          s.at(15).probe(id, 'a', 'http', 'pass');
          s.at(70).host(id, 'a', 'Converged', { currentClosure: 'a-base' });
        },
      });
      expect(finding.message).toBe(
        'a Converged on stable@v1 (agent): current a-base is not the target v1-a',
      );
    });
  },

  'host.sustained-threshold': () => {
    it('passes: the probe fails for exactly the 120 s threshold before the host fails', () => {
      expectPasses(failingA, (s) => failA(s, 140, true));
    });

    it('reports a host failed after 60 s of probe failure', () => {
      const { finding } = expectViolation('host.sustained-threshold', {
        fleet: failingA,
        script: (s) => failA(s, 80, true),
      });
      expect(finding.message).toBe('a failed after 60 s of probe failure, threshold 120 s');
      expect(finding.t).toBe(at(80));
    });

    it('judges against the configured threshold (--set sustained_failure_threshold_secs=60)', () => {
      expectPasses(failingA, (s) => failA(s, 80, true), { sustained_failure_threshold_secs: 60 });
      const { finding } = expectViolation('host.sustained-threshold', {
        fleet: failingA,
        settings: { sustained_failure_threshold_secs: 300 },
        script: (s) => failA(s, 140, true),
      });
      expect(finding.message).toBe('a failed after 120 s of probe failure, threshold 300 s');
    });

    it('reports a host failed out of Soaking with no probe failure at all', () => {
      const { finding } = expectViolation('host.sustained-threshold', {
        fleet: failingA,
        script: (s) => {
          const id = soakA(s);
          s.at(20).probe(id, 'a', 'http', 'pass');
          s.at(140).host(id, 'a', 'Failed');
          s.at(150).host(id, 'a', 'Reverted');
        },
      });
      expect(finding.message).toBe('a failed from Soaking with no probe failure');
    });
  },

  'host.rollback-policy': () => {
    it('passes: rollback-and-halt reverts a to a-base; halt leaves it Failed', () => {
      expectPasses(failingA, (s) => failA(s, 140, true));
      expectPasses(haltingA, (s) => failA(s, 140, false));
    });

    it('passes: a run stopped at the horizon is not judged', () => {
      for (const prof of [FAITHFUL, INTENT]) {
        expectClean(
          play(
            failingA,
            prof,
            (s) => {
              failA(s, 140, false);
              s.end('horizon');
            },
            { invariants: INVARIANTS.filter((i) => i.id !== 'liveness.terminal') },
          ),
        );
      }
    });

    it('reports a failed host never rolled back under rollback-and-halt', () => {
      const { finding } = expectViolation('host.rollback-policy', {
        fleet: failingA,
        script: (s) => failA(s, 140, false),
      });
      expect(finding.message).toBe('a on stable@v1 is still Failed under rollback-and-halt');
    });

    it('reports a rollback to a closure other than the prior one', () => {
      const { finding } = expectViolation('host.rollback-policy', {
        fleet: failingA,
        script: (s) => {
          const id = failA(s, 140, false);
          s.at(150).host(id, 'a', 'Reverted', { currentClosure: 'a-older' });
        },
      });
      expect(finding.message).toBe('a on stable@v1 reverted to a-older, not its prior a-base');
    });

    it('reports a rollback under halt', () => {
      const { finding } = expectViolation('host.rollback-policy', {
        fleet: haltingA,
        script: (s) => failA(s, 140, true),
      });
      expect(finding.message).toBe('a on stable@v1 rolled back under halt');
    });
  },

  'host.rollback-kept': () => {
    it('passes: a fails and rolls back; a snapshot of the same Failed record changes nothing', () => {
      expectPasses(failingA, (s) => failA(s, 140, true));
      expectPasses(failingA, (s) => {
        const id = failA(s, 140, false);
        s.at(145).snapshot(id, 'a', 'Failed');
        s.at(150).host(id, 'a', 'Reverted');
      });
    });

    it("reports a boot snapshot from before the rollback putting the agent's Reverted record back", () => {
      const { finding, traces } = expectViolation('host.rollback-kept', {
        fleet: failingA,
        script: (s) => {
          const id = soakA(s);
          s.at(20).probe(id, 'a', 'http', 'fail');
          s.at(140).host(id, 'a', 'Failed');
          // The agent rolls back; its report of it is still in the outbox.
          s.at(150).agent(id, 'a', 'Reverted');
          // A boot-recovery snapshot of the CP's Failed record is merged over it.
          s.at(160).snapshot(id, 'a', 'Failed');
          s.at(170).cp(id, 'a', 'Reverted');
        },
        // The agent is left Failed while the control plane ends Reverted.
        also: ['host.views-agree'],
      });
      expect(finding.message).toBe(
        "a on stable@v1: a snapshot took the agent's Reverted record back to Failed",
      );
      expect(finding.t).toBe(at(160));
      // faithful: nixfleet's merge takes the snapshot's state (spec §3.12), a known
      // deviation; host.rollback-policy does not hold such a record to end Reverted.
      const faithful = traces[0] as Trace;
      expect(faithful.checker.failures).toEqual([]);
      expect(faithful.checker.deviations.map((d) => d.invariant.id)).toEqual([
        'host.rollback-kept',
        'host.views-agree',
      ]);
    });
  },

  'host.views-agree': () => {
    it('passes: both sides end alike after convergence and after a rollback', () => {
      expectPasses(fleet, happyPath);
      expectPasses(failingA, (s) => failA(s, 140, true));
    });

    it('reports LIFT #5: the CP synthesizes Converged while the agent fails and rolls back', () => {
      const { finding, traces } = expectViolation('host.views-agree', {
        fleet: failingA,
        script: (s) => {
          const id = soakA(s);
          s.at(15).probe(id, 'a', 'http', 'pass');
          // A heartbeat outruns the late acknowledgement: the CP converges a on its own.
          s.at(70).cp(id, 'a', 'Converged');
          s.at(75).probe(id, 'a', 'http', 'fail');
          s.at(195).agent(id, 'a', 'Failed');
          s.at(205).agent(id, 'a', 'Reverted');
        },
      });
      expect(finding.message).toBe('a on stable@v1: agent Reverted, control plane Converged');
      expect(finding.t).toBe(at(205));
      expect((traces[0] as Trace).checker.deviations.map((d) => d.deviation)).toEqual([
        invariantById('host.views-agree')?.requires?.deviation,
      ]);
    });

    it('reports a host the agent never heard of that the CP thinks is Soaking', () => {
      const { finding } = expectViolation('host.views-agree', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          // The dispatch is lost; the CP's record moves on from a synthesized ack.
          s.at(30).cp(id, 'a', 'Activating');
          s.at(45).cp(id, 'a', 'Soaking');
        },
      });
      expect(finding.message).toBe('a on stable@v1: agent Pending, control plane Soaking');
    });
  },

  'host.seq-grows': () => {
    it('passes: every applied report carries a newer seq', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports a replayed stale report applied by the control plane', () => {
      const { finding } = expectViolation('host.seq-grows', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          // seq 1 was Activating; a duplicate of it is applied again as the Soaking report.
          s.at(10).host(id, 'a', 'Soaking', { lastEventSeq: 1 });
        },
      });
      expect(finding.message).toBe('a on stable@v1: last_event_seq 1 → 1');
      expect(finding.t).toBe(at(10));
    });
  },

  'host.fresh-probes': () => {
    /** v1 soaks on a with a passing probe; v2 supersedes it at 30 s and a re-activates. */
    const reactivate =
      (fresh: boolean): Script =>
      (s) => {
        const v1 = soakA(s);
        s.at(15).probe(v1, 'a', 'http', 'pass');
        const old = s.inspect.agentHost('a', v1);
        const v2 = s.at(30).open('stable', 'v2');
        s.dispatch(v2, 'a');
        s.at(31).host(v2, 'a', 'Activating');
        s.at(40).host(v2, 'a', 'Soaking');
        if (fresh) {
          s.at(45).probe(v2, 'a', 'http', 'pass');
          s.at(100).host(v2, 'a', 'Converged');
        } else {
          // The agent kept the old closure's probe results: validation never restarted.
          s.at(100).host(v2, 'a', 'Converged', {
            probes: old?.probes ?? {},
            probeObservedFirstAt: old?.probeObservedFirstAt ?? null,
          });
        }
      };

    it('passes: the superseding ref is validated from scratch', () => {
      expectPasses(fleet, (s) => {
        reactivate(true)(s);
        s.at(105).cursor('stable@v2', 0);
        s.converge('stable@v2', ['b', 'c'], 105);
        s.at(180).cursor('stable@v2', 1);
        s.converge('stable@v2', 'd', 180);
        s.at(250).terminal('stable@v2');
      });
    });

    it('reports a converge on v2 with the Pass results of v1’s closure', () => {
      const { finding } = expectViolation('host.fresh-probes', {
        fleet,
        script: reactivate(false),
      });
      expect(finding.message).toBe(
        'a converged on stable@v2 with http last observed before activation',
      );
      expect(finding.t).toBe(at(100));
    });
  },

  'host.probe-observed': () => {
    it('passes: a observed its probe before converging; a host without probes needs none', () => {
      expectPasses(fleet, happyPath);
      expectPasses(stagedFleet({ probes: false }), happyPath);
    });

    it('reports a host that declares a probe converging with no probe data at all', () => {
      const { finding, traces } = expectViolation('host.probe-observed', {
        fleet,
        script: (s) => {
          soakA(s);
          s.at(70).host('stable@v1', 'a', 'Converged');
        },
      });
      expect(finding.message).toBe('a converged on stable@v1 without any probe observation');
      // faithful: convergence needs no observation (spec §6 item 11), a known deviation.
      const faithful = traces[0] as Trace;
      expect(faithful.checker.failures).toEqual([]);
      expect(faithful.checker.deviations.map((d) => d.invariant.id)).toEqual([
        'host.probe-observed',
      ]);
    });
  },
  'host.merge-keeps-own': () => {
    it('passes: boot recovery merges the snapshots and keeps what only the agent knows', () => {
      for (const prof of [FAITHFUL, INTENT]) {
        const steps = deferredSteps(prof);
        // The run has merges that moved the agent's seq and state under its own fields.
        expect(mergedAt(steps).length).toBeGreaterThan(0);
        expect(judgeSteps('host.merge-keeps-own', steps)).toEqual([]);
      }
    });

    it("reports a merge that takes the control plane's probe results or drops the failure clock", () => {
      const steps = deferredSteps();
      const i = mergedAt(steps)[0] as number;
      const step = steps[i] as HostStepSeen;
      const cpProbes = {
        http: {
          status: 'pass',
          mode: 'enforce',
          lastObservedAt: at(5),
          lastPassAt: at(5),
          failureReason: null,
        },
      };
      const tookProbes = { ...step, before: { ...step.before, probes: cpProbes } } as HostStepSeen;
      const [message] = judgeSteps(
        'host.merge-keeps-own',
        steps.map((s, k) => (k === i ? tookProbes : s)),
      );
      expect(message).toMatch(
        new RegExp(
          `^${step.host} on ${step.before.rolloutId}: probes changed between two of its agent's steps \\(`,
        ),
      );
      const reset = { ...step, before: { ...step.before, probeFailureFirstAt: at(7) } };
      expect(
        judgeSteps(
          'host.merge-keeps-own',
          steps.map((s, k) => (k === i ? reset : s)),
        ),
      ).toEqual([
        `${step.host} on ${step.before.rolloutId}: probeFailureFirstAt changed between two of its agent's steps (${JSON.stringify(step.before.probeFailureFirstAt)} → ${at(7)})`,
      ]);
    });
  },

  'host.recovery-accepted': () => {
    /** A wiped control plane's record of a host that runs its target, soak due at 300 s. */
    const pending = newPendingHost('stable@v1', 'a', 'stable', 'a-v1', at(0), at(300));
    /** recovery's chain applied step by step, as the control plane applies it. */
    function chain(events: ReturnType<typeof recoveryEvents>): HostStepSeen[] {
      let before = pending;
      return events.map((event) => {
        const step = stepSeen('cp', 'a', before, event, true);
        if (step.result.ok) before = step.result.record;
        return step;
      });
    }

    it('passes: the recoveries of a real run, and the Pending chain converging at the soak deadline', () => {
      const steps = deferredSteps();
      expect(steps.filter((s) => s.synthesized && s.result.ok).length).toBeGreaterThan(0);
      expect(judgeSteps('host.recovery-accepted', steps)).toEqual([]);
      const good = chain(recoveryEvents(pending, 'a-v1', at(60), false));
      expect(good.map((s) => s.event.type)).toEqual([
        'RemoteDispatchAck',
        'RemoteActivationCompleted',
        'RemoteConverged',
      ]);
      expect(judgeSteps('host.recovery-accepted', good)).toEqual([]);
    });

    it('reports a chain that stamps Converged before the soak deadline', () => {
      const events = recoveryEvents(pending, 'a-v1', at(60), false).map((e) =>
        e.type === 'RemoteConverged' ? { ...e, convergedAt: at(60) } : e,
      );
      expect(judgeSteps('host.recovery-accepted', chain(events))).toEqual([
        "control plane a stable@v1: recovery's RemoteConverged in Soaking was refused (Invariant)",
      ]);
    });

    it('does not judge a refused event the agent sent (only the control plane answers for its own)', () => {
      const events = recoveryEvents(pending, 'a-v1', at(60), false).map((e) =>
        e.type === 'RemoteConverged' ? { ...e, convergedAt: at(60) } : e,
      );
      const forwarded = chain(events).map((s) => ({ ...s, synthesized: false }));
      expect(forwarded.some((s) => !s.result.ok)).toBe(true);
      expect(judgeSteps('host.recovery-accepted', forwarded)).toEqual([]);
    });
  },
  'host.prior-closure-runs': () => {
    /** a takes v2's dispatch while it runs a-v0 and its boot loader already points at a-v1. */
    function activate(recorded: string): HostStepSeen {
      return stepSeen(
        'agent',
        'a',
        newPendingHost('stable@v2', 'self', 'stable', 'a-v2', at(0), at(300)),
        {
          type: 'LocalActivate',
          currentClosureAtDispatch: recorded,
          targetClosure: 'a-v2',
          receivedAt: at(1),
          soakDueAt: at(300),
          seq: 1,
        },
      );
    }

    it('passes: every dispatch of real runs records the closure the host runs', () => {
      for (const name of ['deferred', 'bad-release', 'supersede'] as const) {
        const r = checkedRun({
          fleet: (PRESETS[name] as NonNullable<(typeof PRESETS)[typeof name]>).build(),
          profile: FAITHFUL,
          seed: 1,
          invariants: [invariantById('host.prior-closure-runs') as Invariant],
        });
        expect(r.failures).toEqual([]);
      }
      expect(judgeSteps('host.prior-closure-runs', [activate('a-v0')], { a: 'a-v0' })).toEqual([]);
    });

    it('reports a dispatch that records the closure the host is still to boot', () => {
      expect(judgeSteps('host.prior-closure-runs', [activate('a-v1')], { a: 'a-v0' })).toEqual([
        "a took stable@v2's dispatch running a-v0 but recorded a-v1 to roll back to",
      ]);
    });
  },
};

describe('host invariants', () => {
  it('every host invariant is in the library and has tests here', () => {
    for (const inv of HOST_INVARIANTS) expect(INVARIANTS).toContain(inv);
    expect(Object.keys(CASES).sort()).toEqual(HOST_INVARIANTS.map((i) => i.id).sort());
  });
  for (const inv of HOST_INVARIANTS) {
    describe(
      inv.id,
      CASES[inv.id] ?? (() => it('has tests', () => expect.fail(`no tests for ${inv.id}`))),
    );
  }
});
