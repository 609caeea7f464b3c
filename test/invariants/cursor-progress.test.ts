import { describe, expect, it } from 'vitest';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { cursorAdvancesOnTime } from '../../sim/invariants/rules/cursor-progress.ts';
import {
  at,
  expectPasses,
  expectViolation,
  happyPath,
  type Script,
  stagedFleet,
  type Trace,
} from './support.ts';

/*
 * progress.cursor-advances (sim/invariants/rules/cursor-progress.ts): the wave cursor
 * leaves a done wave by the next planning run (plan ticks of 15 s here), counted from the
 * control plane's return after an outage or from the poll after a failed manifest.
 */

const deferring = stagedFleet({ faults: { activation: { deferring_refs: ['v1'] } } });

/** a defers at 10 s: wave 0 is done (Deferred counts), so the cursor may move at once. */
function deferA(s: Trace): string {
  const id = s.open('stable', 'v1');
  s.dispatch(id, 'a');
  s.at(1).host(id, 'a', 'Activating');
  s.at(10).host(id, 'a', 'Deferred');
  return id;
}

/** a's reboot at 700 s: the staged closure activates, a soaks and converges. */
function rebootA(s: Trace, id: string): void {
  s.at(700).host(id, 'a', 'Soaking', { soakDueAt: at(760) });
  s.at(705).probe(id, 'a', 'http', 'pass');
  s.at(760).host(id, 'a', 'Converged');
}

/** The rest of the rollout once the cursor has left wave 0 at `cursorAt` (before 700 s). */
function finish(id: string, cursorAt: number): Script {
  return (s) => {
    s.at(cursorAt).cursor(id, 0);
    s.converge(id, ['b', 'c'], cursorAt);
    s.at(cursorAt + 75).cursor(id, 1);
    s.converge(id, 'd', cursorAt + 75);
    rebootA(s, id);
    s.at(765).terminal(id);
  };
}

describe('progress.cursor-advances', () => {
  it('is in the library', () => {
    expect(INVARIANTS).toContain(cursorAdvancesOnTime);
  });

  it('passes: the cursor moves at the planning run after each wave is done', () => {
    expectPasses(stagedFleet(), happyPath);
  });

  it('passes: a Deferred host counts as done, the cursor moves within a tick', () => {
    expectPasses(deferring, (s) => finish(deferA(s), 25)(s));
  });

  it('passes: no planning runs while the control plane is down, a tick after it is back', () => {
    expectPasses(deferring, (s) => {
      const id = deferA(s);
      s.at(12).emit({ type: 'fault', t: s.now, kind: 'cp_down', host: null, detail: '120s' });
      s.at(132).emit({ type: 'fault', t: s.now, kind: 'cp_up', host: null, detail: '' });
      finish(id, 147)(s);
    });
  });

  it("passes: a failed manifest poll leaves the channel out until the next poll's planning", () => {
    expectPasses(deferring, (s) => {
      const id = deferA(s);
      s.at(12).emit({
        type: 'fault',
        t: s.now,
        kind: 'manifest_failure',
        host: null,
        detail: 'stable',
      });
      // The next poll is 30 s later; a tick after it, the cursor has moved.
      finish(id, 57)(s);
    });
  });

  it('reports a cursor that waits for the Deferred host to converge (too cautious)', () => {
    const { finding } = expectViolation('progress.cursor-advances', {
      fleet: deferring,
      script: (s) => {
        const id = deferA(s);
        // The operator reboots a; only once it converges does the cursor move.
        rebootA(s, id);
        s.at(765).cursor(id, 0);
        s.converge(id, ['b', 'c'], 765);
        s.at(840).cursor(id, 1);
        s.converge(id, 'd', 840);
        s.at(915).terminal(id);
      },
    });
    expect(finding.message).toBe(
      'stable@v1 still on wave 0 at 700 s, done since 10 s (planning runs every 15 s)',
    );
    expect(finding.t).toBe(at(700));
  });

  it('reports a run that ends with a done wave the cursor never left', () => {
    const { finding } = expectViolation('progress.cursor-advances', {
      fleet: stagedFleet(),
      script: (s) => {
        const id = s.open('stable', 'v1');
        s.converge(id, 'a', 0);
        s.at(300).end('stalled');
      },
    });
    expect(finding.message).toBe(
      'stable@v1 still on wave 0 at 300 s, done since 70 s (planning runs every 15 s)',
    );
  });
});
