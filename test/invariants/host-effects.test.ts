import { describe, expect, it } from 'vitest';
import { rolloutId } from '../../machines/rollout/state.ts';
import { probeFault } from '../../sim/fleet/build.ts';
import { targetClosure } from '../../sim/fleet/fleet.ts';
import {
  at,
  expectPasses,
  expectViolation,
  happyPath,
  rollThrough,
  stagedFleet,
  type Trace,
} from './support.ts';

/*
 * What the host reducers leave outside the record (sim/invariants/rules/host-effects.ts):
 * the quarantine row a rollback writes, and agent steps refused by the agent's own
 * reducer. Neither shows in the trace; the stub inspector holds them as the run's would.
 */

const ID = rolloutId('stable', 'v1');
const TARGET = targetClosure('a', 'v1');
const failingA = (onHealthFailure: 'halt' | 'rollback-and-halt') =>
  stagedFleet({
    onHealthFailure,
    faults: { probes: [probeFault({ pattern: 'fail', hosts: ['a'], refs: ['v1'] })] },
  });

/** a soaks on v1, its probe fails from 20 s, the agent fails it at 140 s. */
function failA(s: Trace): void {
  s.open('stable', 'v1');
  s.dispatch(ID, 'a');
  s.at(1).host(ID, 'a', 'Activating');
  s.at(10).host(ID, 'a', 'Soaking');
  s.at(20).probe(ID, 'a', 'http', 'fail');
  s.at(140).host(ID, 'a', 'Failed');
}

describe('host.quarantine-target', () => {
  it("passes: a's rollback quarantines v1's closure for a, and v2 goes through", () => {
    expectPasses(failingA('rollback-and-halt'), (s) => {
      failA(s);
      s.at(150).host(ID, 'a', 'Reverted');
      rollThrough(s, s.at(200).open('stable', 'v2'), 200);
    });
  });

  it('reports a rollback that quarantines the closure it went back to (the good one)', () => {
    const { finding } = expectViolation('host.quarantine-target', {
      fleet: failingA('rollback-and-halt'),
      script: (s) => {
        failA(s);
        s.at(150).agent(ID, 'a', 'Reverted');
        // The applier took revertedTo for the bad closure: the table holds a-base.
        const cp = s.inspect.cpHost(ID, 'a');
        if (cp === undefined) throw new Error('no record');
        s.inspect.setCp({
          ...cp,
          state: 'Reverted',
          currentClosure: 'a-base',
          revertedTo: 'a-base',
          revertedAt: at(150),
          lastEventSeq: cp.lastEventSeq + 1,
        });
        s.inspect.quarantineTable.add('stable\u0000a-base');
        s.emit({
          type: 'host_transition',
          t: s.now,
          side: 'cp',
          rolloutId: ID,
          host: 'a',
          event: 'RemoteRollbackComplete',
          from: 'Failed',
          to: 'Reverted',
        });
        s.event({
          type: 'HostStateChanged',
          rolloutId: ID,
          hostId: 'a',
          from: 'Failed',
          to: 'Reverted',
          at: s.now,
        });
      },
    });
    expect(finding.message).toBe(
      `a's rollback on stable@v1 quarantined stable a-base, not its target stable ${TARGET}`,
    );
    expect(finding.t).toBe(at(150));
  });

  it('reports a closure quarantined under halt, where no rollback happens', () => {
    const { finding } = expectViolation('host.quarantine-target', {
      fleet: failingA('halt'),
      script: (s) => {
        s.open('stable', 'v1');
        s.dispatch(ID, 'a');
        s.at(1).host(ID, 'a', 'Activating');
        s.at(10).host(ID, 'a', 'Soaking');
        s.at(20).probe(ID, 'a', 'http', 'fail');
        s.at(140).agent(ID, 'a', 'Failed');
        // The failure itself writes the quarantine row.
        s.inspect.quarantineTable.add(`stable\u0000${TARGET}`);
        s.cp(ID, 'a', 'Failed');
      },
    });
    expect(finding.message).toBe(`stable ${TARGET} quarantined with no rollback`);
  });
});

describe('host.local-never-refused', () => {
  it('passes: an uneventful run refuses nothing', () => {
    expectPasses(stagedFleet(), happyPath);
  });

  it('passes: a second dispatch reaching an agent that took the first (spec §4.5) is dropped by design', () => {
    expectPasses(stagedFleet(), (s) => {
      const id = s.open('stable', 'v1');
      s.converge(id, 'a', 0);
      // The planner queued a again at 15 s before its DispatchAck landed; LocalActivate
      // on the Soaking record is refused.
      s.inspect.refusals.push({
        host: 'a',
        t: at(15),
        cause: 'dispatch_response',
        rolloutId: id,
        state: 'Soaking',
      });
      s.at(75).cursor(id, 0);
      s.converge(id, ['b', 'c'], 75);
      s.at(150).cursor(id, 1);
      s.converge(id, 'd', 150);
      s.at(220).terminal(id);
    });
  });

  it('reports a completed activation stepped twice (the second LocalActivationCompleted refused)', () => {
    const { finding } = expectViolation('host.local-never-refused', {
      fleet: stagedFleet(),
      script: (s) => {
        const id = s.open('stable', 'v1');
        s.dispatch(id, 'a');
        s.at(1).host(id, 'a', 'Activating');
        s.at(10).host(id, 'a', 'Soaking');
        s.inspect.refusals.push({
          host: 'a',
          t: at(10),
          cause: 'activation_done',
          rolloutId: id,
          state: 'Soaking',
        });
        s.at(15).probe(id, 'a', 'http', 'pass');
        s.emit({ type: 'fault', t: s.now, kind: 'probe_failed', host: 'b', detail: 'noise' });
      },
    });
    expect(finding.message).toBe(
      "a's agent stepped a Local event its reducer refused at 10 s, handling activation_done",
    );
    expect(finding.t).toBe(at(15));
  });
});
