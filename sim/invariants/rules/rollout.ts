import { rolloutStep } from '../../../machines/rollout/step.ts';
import { plainEqual as same } from '../../plain-equal.ts';
import type { Invariant } from '../invariant.ts';

/*
 * Rollout-level invariants (spec §1, §4.2–§4.4, §5.1): what the rollout rows may do.
 */

export const reducerReplay: Invariant = {
  id: 'rollout.reducer-replay',
  statement:
    "every rollout event's recorded result equals the rollout machine's step on the row as the trace built it",
  source:
    'spec §1.4, §2.1 (the CP applies effects, never the returned record); §5.7 re-derivability',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'rollout_event') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined) return `an event for ${record.rolloutId}, which was never opened`;
      const expected = rolloutStep(r.row, record.event);
      const gist = (x: typeof expected) =>
        x.ok
          ? { ok: true, state: x.record.state, wave: x.record.currentWave, effects: x.effects }
          : { ok: false, error: x.error };
      if (!same(gist(expected), gist(record.result))) {
        return `${record.event.type} on ${record.rolloutId} in ${r.row.state}: recorded ${JSON.stringify(record.result)}, the machine says ${JSON.stringify(expected)}`;
      }
      return null;
    },
  }),
};

export const terminalStamped: Invariant = {
  id: 'rollout.timestamps',
  statement:
    'Terminal ⇒ terminal_at and Superseded ⇒ superseded_at are set, and neither is ever rewritten',
  source: 'spec §1.2, §5.1 invariants 1–2',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'rollout_event' || !record.result.ok) return null;
      const before = view.rollouts.get(record.rolloutId)?.row;
      const after = record.result.record;
      if (before === undefined) return null;
      if (after.state === 'Terminal' && after.terminalAt === null)
        return `${record.rolloutId} is Terminal without terminal_at`;
      if (after.state === 'Superseded' && after.supersededAt === null)
        return `${record.rolloutId} is Superseded without superseded_at`;
      if (before.terminalAt !== null && after.terminalAt !== before.terminalAt)
        return `${record.rolloutId}: terminal_at rewritten`;
      if (before.supersededAt !== null && after.supersededAt !== before.supersededAt)
        return `${record.rolloutId}: superseded_at rewritten`;
      return null;
    },
  }),
};

export const prunedAbsorbing: Invariant = {
  id: 'rollout.pruned-absorbing',
  statement: 'a Pruned rollout accepts no event',
  source: 'spec §1.1, §5.1 invariant 3',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (
        record.type !== 'rollout_event' ||
        view.rollouts.get(record.rolloutId)?.row.state !== 'Pruned'
      )
        return null;
      return record.result.ok ? `Pruned ${record.rolloutId} accepted ${record.event.type}` : null;
    },
  }),
};

export const cursorSteps: Invariant = {
  id: 'rollout.cursor-steps',
  statement: 'current_wave never decreases, moves one wave at a time, and never past the last wave',
  source: 'spec §1.5, §4.4, §5.3 (the 9fa21ac HostJoined regression)',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'wave_cursor') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined) return null;
      if (record.to !== record.from + 1)
        return `${record.rolloutId}: cursor moved ${record.from} → ${record.to}`;
      if (record.to >= Math.max(r.waves.length, 1))
        return `${record.rolloutId}: cursor ${record.to} is past the last wave (${r.waves.length - 1})`;
      return null;
    },
  }),
};

export const terminalAllConverged: Invariant = {
  id: 'rollout.terminal-all-converged',
  statement: 'RolloutTerminal is offered only when every host record of the rollout is Converged',
  source: 'spec §4.3, §6.5',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'rollout_event' || record.event.type !== 'RolloutTerminal') return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined) return null;
      if (r.cp.size === 0) return `${record.rolloutId}: RolloutTerminal with no host records`;
      for (const [host, state] of r.cp) {
        if (state !== 'Converged')
          return `${record.rolloutId}: RolloutTerminal while ${host} is ${state}`;
      }
      return null;
    },
  }),
};

export const supersedeAtOpen: Invariant = {
  id: 'rollout.supersede-at-open',
  statement: 'a new ref supersedes every live predecessor on its channel when it opens',
  source: 'spec §4.2 open_rollout step 4',
  kind: 'safety',
  create: ({ view }) => {
    let waiting: { successor: string; predecessors: Set<string> } | null = null;
    return {
      observe(record) {
        if (waiting !== null) {
          const w = waiting;
          if (
            record.type === 'rollout_event' &&
            record.event.type === 'SuccessorOpened' &&
            w.predecessors.has(record.rolloutId)
          ) {
            w.predecessors.delete(record.rolloutId);
            const state = record.result.ok ? record.result.record.state : 'refused';
            if (state !== 'Superseded')
              return `${record.rolloutId} is ${state} after ${w.successor} opened`;
            if (w.predecessors.size === 0) waiting = null;
            return null;
          }
          waiting = null;
          return `${w.successor} opened but ${[...w.predecessors].join(', ')} not superseded`;
        }
        if (record.type !== 'rollout_opened') return null;
        const live = [...view.rollouts.values()]
          .filter(
            (r) =>
              r.row.channel === record.channel &&
              // Step 1 skips the id itself (reopened only once faithful's sweep deleted it).
              r.row.rolloutId !== record.rolloutId &&
              r.row.state !== 'Superseded' &&
              r.row.state !== 'Pruned',
          )
          .map((r) => r.row.rolloutId);
        if (live.length > 0) waiting = { successor: record.rolloutId, predecessors: new Set(live) };
        return null;
      },
    };
  },
};

export const openedOnce: Invariant = {
  id: 'rollout.opened-once',
  statement: 'a rollout id is opened once: plan_next never opens an id that had a row',
  source:
    'spec §4.2 step 1 ("a rollout id that already has a row, in any state, is never reopened")',
  kind: 'safety',
  requires: {
    flags: ['retention_expired'],
    deviation:
      "spec §4.12 with §4.2 step 1: faithful's sweep deletes the current ref's row, so the next plan_next opens the same id again; the run is judged up to there",
  },
  // Every monitor keys its memory by rollout id: a second rollout under the same id is
  // one they cannot tell from the first.
  endsJudgement: true,
  create: ({ view }) => ({
    observe(record) {
      return record.type === 'rollout_opened' && view.rollouts.has(record.rolloutId)
        ? `${record.rolloutId} opened again`
        : null;
    },
  }),
};

export const ROLLOUT_INVARIANTS = [
  reducerReplay,
  terminalStamped,
  prunedAbsorbing,
  cursorSteps,
  terminalAllConverged,
  supersedeAtOpen,
  openedOnce,
];
