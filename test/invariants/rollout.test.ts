import { describe, expect, it } from 'vitest';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutStepResult } from '../../machines/rollout/step.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { ROLLOUT_INVARIANTS } from '../../sim/invariants/rules/rollout.ts';
import {
  at,
  expectPasses,
  expectViolation,
  happyPath,
  rollThrough,
  type Script,
  stagedFleet,
  type Trace,
} from './support.ts';

/*
 * Rollout invariants (sim/invariants/rules/rollout.ts), each on a realistic good trace
 * and on minimal bad traces that are the real-world bugs they describe.
 */

const fleet = stagedFleet();

/** The reducer's real answer for the next event on the trace's row, then bent by `bend`. */
function bent(s: Trace, event: RolloutEvent, bend: (r: RolloutStepResult) => RolloutStepResult) {
  const id = event.type === 'SuccessorOpened' ? event.supersededRolloutId : event.rolloutId;
  s.recorded(id, event, bend(rolloutStep(s.row(id), event)));
}

/** Wave 0 (a) converged and the cursor on wave 1, b and c converging: the rollout mid-way. */
const midway: Script = (s) => {
  const id = s.open('stable', 'v1');
  s.converge(id, 'a', 0);
  s.at(75).cursor(id, 0);
};

/** The whole rollout done, Terminal at 220 s. */
const terminal: Script = happyPath;

/** Terminal at 220 s, then `v2` opens and supersedes it; under intent retention prunes it at 700 s. */
const supersededAfterTerminal: Script = (s) => {
  happyPath(s);
  rollThrough(s, s.at(400).open('stable', 'v2'), 400);
  s.at(700).prune('stable@v1');
};
/** The retention that makes 700 s the prune's instant: 480 s after v1 went Terminal. */
const RETAIN = { retention_days: 480 / 86_400 };

const CASES: Record<string, () => void> = {
  'rollout.opened-once': () => {
    it('passes: a new ref opens a new id, the old one stays', () => {
      expectPasses(fleet, supersededAfterTerminal, RETAIN);
    });

    it("reports the same id opened again (faithful's sweep deleted its row), and judges nothing after", () => {
      const { finding, traces } = expectViolation('rollout.opened-once', {
        fleet,
        script: (s) => {
          happyPath(s);
          // plan_next finds no row for the channel's unchanged ref and opens it again.
          s.at(3615).open('stable', 'v1');
          // Beyond the reopen nothing is judged: a Terminal without all hosts converged.
          s.at(3700).terminal('stable@v1');
        },
      });
      expect(finding.message).toBe('stable@v1 opened again');
      for (const t of traces)
        expect(t.checker.failures.length + t.checker.deviations.length).toBe(1);
    });
  },
  'rollout.reducer-replay': () => {
    it('passes when every recorded result is the machine’s step', () => {
      expectPasses(fleet, happyPath);
      expectPasses(fleet, supersededAfterTerminal, RETAIN);
    });

    it('reports the 9fa21ac regression: a HostJoined recorded as moving the cursor 0 → 2', () => {
      const { finding } = expectViolation('rollout.reducer-replay', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          // A late join of d (wave 2): the regressed reducer wrote the joiner's wave.
          s.at(5);
          bent(s, { type: 'HostJoined', rolloutId: id, hostId: 'd', wave: 2, at: s.now }, (r) =>
            r.ok
              ? {
                  ok: true,
                  record: { ...r.record, currentWave: 2 },
                  effects: [{ type: 'UpdateCurrentWave', rolloutId: id, wave: 2 }],
                }
              : r,
          );
        },
      });
      expect(finding.message).toContain('HostJoined on stable@v1 in Active');
      expect(finding.message).toContain('UpdateCurrentWave');
      expect(finding.t).toBe(at(5));
    });

    it('reports an event for a rollout that was never opened', () => {
      const { finding } = expectViolation('rollout.reducer-replay', {
        fleet,
        script: (s) => {
          s.open('stable', 'v1');
          s.emit({
            type: 'rollout_event',
            t: s.now,
            rolloutId: 'stable@v9',
            event: { type: 'RolloutTerminal', rolloutId: 'stable@v9', at: s.now },
            result: {
              ok: false,
              error: {
                type: 'IllegalForState',
                from: 'Opening',
                event: 'RolloutTerminal',
                rolloutId: 'stable@v9',
              },
            },
            currentWave: 0,
          });
        },
      });
      expect(finding.message).toBe('an event for stable@v9, which was never opened');
    });
  },

  'rollout.timestamps': () => {
    it('passes: Terminal stamps terminal_at, supersession keeps it, pruning keeps superseded_at', () => {
      expectPasses(fleet, terminal);
      expectPasses(fleet, supersededAfterTerminal, RETAIN);
    });

    it('reports a Terminal row without terminal_at', () => {
      const { finding } = expectViolation('rollout.timestamps', {
        fleet,
        script: (s) => {
          happyPath(s);
          s.at(230);
          const id = 'stable@v1';
          // The planner's second offer on an already Terminal row, recorded with the stamp lost.
          bent(s, { type: 'RolloutTerminal', rolloutId: id, at: s.now }, (r) =>
            r.ok ? { ...r, record: { ...r.record, terminalAt: null } } : r,
          );
        },
      });
      expect(finding.message).toBe('stable@v1 is Terminal without terminal_at');
    });

    it('reports terminal_at rewritten when the successor opens', () => {
      const { finding } = expectViolation('rollout.timestamps', {
        fleet,
        script: (s) => {
          happyPath(s);
          s.at(400);
          const v2 = 'stable@v2';
          s.open('stable', 'v2', { supersede: false, join: false });
          bent(
            s,
            {
              type: 'SuccessorOpened',
              supersededRolloutId: 'stable@v1',
              successorRolloutId: v2,
              at: s.now,
            },
            (r) => (r.ok ? { ...r, record: { ...r.record, terminalAt: s.now } } : r),
          );
          s.join(v2);
        },
      });
      expect(finding.message).toBe('stable@v1: terminal_at rewritten');
      expect(finding.t).toBe(at(400));
    });

    it('reports a Superseded row without superseded_at, and superseded_at rewritten by pruning', () => {
      const supersede =
        (bend: 'drop' | 'keep'): Script =>
        (s) => {
          const v1 = s.open('stable', 'v1');
          s.converge(v1, 'a', 0);
          s.at(30);
          s.open('stable', 'v2', { supersede: false, join: false });
          bent(
            s,
            {
              type: 'SuccessorOpened',
              supersededRolloutId: v1,
              successorRolloutId: 'stable@v2',
              at: s.now,
            },
            (r) =>
              r.ok && bend === 'drop' ? { ...r, record: { ...r.record, supersededAt: null } } : r,
          );
          s.join('stable@v2');
          if (bend === 'keep') {
            s.at(5000);
            bent(s, { type: 'RetentionExpired', rolloutId: v1, at: s.now }, (r) =>
              r.ok ? { ...r, record: { ...r.record, supersededAt: s.now } } : r,
            );
          }
        };
      expect(
        expectViolation('rollout.timestamps', { fleet, script: supersede('drop') }).finding.message,
      ).toBe('stable@v1 is Superseded without superseded_at');
      expect(
        expectViolation('rollout.timestamps', { fleet, script: supersede('keep') }).finding.message,
      ).toBe('stable@v1: superseded_at rewritten');
    });
  },

  'rollout.pruned-absorbing': () => {
    it('passes: a Pruned row refuses the late event', () => {
      expectPasses(
        fleet,
        (s) => {
          supersededAfterTerminal(s);
          // A late report for the pruned rollout: the machine refuses it, nothing changes.
          s.at(710).event({
            type: 'HostStateChanged',
            rolloutId: 'stable@v1',
            hostId: 'a',
            from: 'Converged',
            to: 'Failed',
            at: s.now,
          });
        },
        RETAIN,
      );
    });

    it('reports a Pruned rollout resurrected by a late HostStateChanged', () => {
      const { finding } = expectViolation('rollout.pruned-absorbing', {
        fleet,
        also: ['rollout.reducer-replay'],
        script: (s) => {
          happyPath(s);
          rollThrough(s, s.at(400).open('stable', 'v2'), 400);
          // Stepped under faithful as well: this trace is about the machine, not retention.
          s.at(700).event({ type: 'RetentionExpired', rolloutId: 'stable@v1', at: s.now });
          s.at(710);
          const event = {
            type: 'HostStateChanged',
            rolloutId: 'stable@v1',
            hostId: 'a',
            from: 'Converged',
            to: 'Failed',
            at: s.now,
          } as const;
          const row = s.row('stable@v1');
          expect(row.state).toBe('Pruned');
          s.recorded('stable@v1', event, {
            ok: true,
            record: { ...row, state: 'Failed' },
            effects: [
              {
                type: 'RecordRolloutTransition',
                rolloutId: 'stable@v1',
                from: 'Pruned',
                to: 'Failed',
                at: s.now,
              },
            ],
          });
        },
      });
      expect(finding.message).toBe('Pruned stable@v1 accepted HostStateChanged');
    });
  },

  'rollout.cursor-steps': () => {
    it('passes: 0 → 1 → 2 on a three-wave channel, through WaveAdvanced or a direct write', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports the 9fa21ac regression: the cursor jumps 0 → 2 on a HostJoined', () => {
      const { finding } = expectViolation('rollout.cursor-steps', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          // d joins late (wave 2) and the control plane moves the cursor to the joiner's wave.
          s.at(72).event({ type: 'HostJoined', rolloutId: id, hostId: 'd', wave: 2, at: s.now });
          s.emit({ type: 'wave_cursor', t: s.now, rolloutId: id, from: 0, to: 2 });
        },
      });
      expect(finding.message).toBe('stable@v1: cursor moved 0 → 2');
      expect(finding.t).toBe(at(72));
    });

    it('reports the whole regression: the reducer’s answer, the jump, the unfinished wave', () => {
      expectViolation('rollout.cursor-steps', {
        fleet,
        also: ['rollout.reducer-replay', 'dispatch.cursor-when-done'],
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.dispatch(id, 'a');
          s.at(1).host(id, 'a', 'Activating');
          s.at(5);
          bent(s, { type: 'HostJoined', rolloutId: id, hostId: 'd', wave: 2, at: s.now }, (r) =>
            r.ok
              ? {
                  ok: true,
                  record: { ...r.record, currentWave: 2 },
                  effects: [{ type: 'UpdateCurrentWave', rolloutId: id, wave: 2 }],
                }
              : r,
          );
          s.emit({ type: 'wave_cursor', t: s.now, rolloutId: id, from: 0, to: 2 });
          s.dispatch(id, 'd');
        },
      });
    });

    it('reports a cursor moving backwards', () => {
      const { finding } = expectViolation('rollout.cursor-steps', {
        fleet,
        script: (s) => {
          midway(s);
          s.converge('stable@v1', ['b', 'c'], 75);
          s.at(150).emit({ type: 'wave_cursor', t: s.now, rolloutId: 'stable@v1', from: 1, to: 0 });
        },
      });
      expect(finding.message).toBe('stable@v1: cursor moved 1 → 0');
    });

    it('reports a cursor past the last wave', () => {
      const { finding } = expectViolation('rollout.cursor-steps', {
        fleet,
        script: (s) => {
          happyPath(s);
          s.at(230).emit({ type: 'wave_cursor', t: s.now, rolloutId: 'stable@v1', from: 2, to: 3 });
        },
      });
      expect(finding.message).toBe('stable@v1: cursor 3 is past the last wave (2)');
    });
  },

  'rollout.terminal-all-converged': () => {
    it('passes: RolloutTerminal once all four hosts are Converged', () => {
      expectPasses(fleet, happyPath);
    });

    it('reports RolloutTerminal while d is still Soaking', () => {
      const { finding } = expectViolation('rollout.terminal-all-converged', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1');
          s.converge(id, 'a', 0);
          s.at(75).cursor(id, 0);
          s.converge(id, ['b', 'c'], 75);
          s.at(150).cursor(id, 1).dispatch(id, 'd');
          s.at(151).host(id, 'd', 'Activating');
          s.at(160).host(id, 'd', 'Soaking');
          s.at(165).probe(id, 'd', 'http', 'pass');
          s.at(170).terminal(id);
        },
      });
      expect(finding.message).toBe('stable@v1: RolloutTerminal while d is Soaking');
      expect(finding.t).toBe(at(170));
    });

    it('reports RolloutTerminal offered for a rollout without host records', () => {
      const { finding } = expectViolation('rollout.terminal-all-converged', {
        fleet,
        script: (s) => {
          const id = s.open('stable', 'v1', { join: false });
          s.at(15).event({ type: 'RolloutTerminal', rolloutId: id, at: s.now });
        },
      });
      expect(finding.message).toBe('stable@v1: RolloutTerminal with no host records');
    });
  },

  'rollout.supersede-at-open': () => {
    it('passes: v2 supersedes the live v1 mid-soak, and a Terminal v1 once done', () => {
      expectPasses(fleet, (s) => {
        const v1 = s.open('stable', 'v1');
        s.dispatch(v1, 'a');
        s.at(1).host(v1, 'a', 'Activating');
        s.at(10).host(v1, 'a', 'Soaking');
        rollThrough(s, s.at(30).open('stable', 'v2'), 30);
        expect(s.row(v1).state).toBe('Superseded');
      });
      expectPasses(fleet, supersededAfterTerminal, RETAIN);
    });

    it('reports a superseding open without SuccessorOpened', () => {
      const { finding } = expectViolation('rollout.supersede-at-open', {
        fleet,
        script: (s) => {
          const v1 = s.open('stable', 'v1');
          s.dispatch(v1, 'a');
          s.at(1).host(v1, 'a', 'Activating');
          s.at(10).host(v1, 'a', 'Soaking');
          s.at(30).open('stable', 'v2', { supersede: false });
        },
      });
      expect(finding.message).toBe('stable@v2 opened but stable@v1 not superseded');
      expect(finding.t).toBe(at(30));
    });

    it('reports a superseding open as the last thing before the run ends', () => {
      const { finding } = expectViolation('rollout.supersede-at-open', {
        fleet,
        script: (s) => {
          s.open('stable', 'v1');
          s.at(30).open('stable', 'v2', { supersede: false, join: false });
        },
      });
      expect(finding.message).toBe('stable@v2 opened but stable@v1 not superseded');
    });

    it('reports a predecessor that refuses its supersession', () => {
      const { finding } = expectViolation('rollout.supersede-at-open', {
        fleet,
        also: ['rollout.reducer-replay'],
        script: (s) => {
          s.open('stable', 'v1');
          s.at(30).open('stable', 'v2', { supersede: false, join: false });
          s.recorded(
            'stable@v1',
            {
              type: 'SuccessorOpened',
              supersededRolloutId: 'stable@v1',
              successorRolloutId: 'stable@v2',
              at: s.now,
            },
            {
              ok: false,
              error: {
                type: 'IllegalForState',
                from: 'Active',
                event: 'SuccessorOpened',
                rolloutId: 'stable@v1',
              },
            },
          );
        },
      });
      expect(finding.message).toBe('stable@v1 is refused after stable@v2 opened');
    });
  },
};

describe('rollout invariants', () => {
  it('every rollout invariant is in the library and has tests here', () => {
    for (const inv of ROLLOUT_INVARIANTS) expect(INVARIANTS).toContain(inv);
    expect(Object.keys(CASES).sort()).toEqual(ROLLOUT_INVARIANTS.map((i) => i.id).sort());
  });
  for (const inv of ROLLOUT_INVARIANTS)
    describe(
      inv.id,
      CASES[inv.id] ?? (() => it('has tests', () => expect.fail(`no tests for ${inv.id}`))),
    );
});
