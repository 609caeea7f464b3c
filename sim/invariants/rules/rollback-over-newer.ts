import type { HostState } from '../../../machines/host/state.ts';
import { targetClosure } from '../../fleet/fleet.ts';
import type { Invariant } from '../invariant.ts';

/** An agent record whose switch has run: the host was put on its target. */
const SWITCHED: ReadonlySet<HostState> = new Set(['Soaking', 'Converged']);

/**
 * A rollback puts back the closure the host ran before a failed activation. Once a newer
 * rollout's switch has run on the host, that closure is history: reverting to it undoes
 * the newer rollout, which then reports Converged (or Terminal) for a host running its
 * predecessor's prior system. The switch lock orders this: a failed activation's rollback
 * goes ahead of every switch queued behind it (the agent's switch worker), so only
 * a record that fails after its activation ended (a superseded rollout still soaking on the
 * agent, or a deferral whose reboot fails) can roll back over a newer switch, and only an
 * agent that keeps a superseded record does that.
 */
export const rollbackNotOverNewer: Invariant = {
  id: 'host.rollback-not-over-newer',
  statement:
    "no rollback undoes a newer rollout's switch: a revert never runs after a newer rollout's switch on the same host",
  source:
    'real-world: switch-to-configuration holds a lock, and a revert queued behind a newer switch undoes it (spec §3.9 rollback)',
  kind: 'safety',
  requires: {
    flags: ['agent_abandons_superseded'],
    deviation:
      "found by rollout-sim check: faithful's agent keeps soaking a superseded rollout's record, so a failure after its activation ended (a probe while it still soaks, a deferral's failed reboot) rolls back over the newer rollout's switch",
    perViolation: true,
  },
  create: ({ view, inspect }) => {
    /** The state each agent record failed from, by `${host}\u0000${rolloutId}`. */
    const failedFrom = new Map<string, HostState>();
    return {
      observe(record) {
        if (record.type !== 'host_transition' || record.side !== 'agent') return null;
        const key = `${record.host}\u0000${record.rolloutId}`;
        if (record.to === 'Failed') failedFrom.set(key, record.from);
        if (record.from !== 'Failed' || record.to !== 'Reverted') return null;
        // The record goes in after the monitors: the host already runs what it reverted to.
        const running = inspect.running(record.host);
        // The view keeps rollouts in the order they opened: the newer ones come after.
        let past = false;
        for (const [id, r] of view.rollouts) {
          if (id === record.rolloutId) {
            past = true;
            continue;
          }
          if (!past) continue;
          const state = r.agent.get(record.host);
          if (state === undefined || !SWITCHED.has(state)) continue;
          const target = targetClosure(record.host, r.row.targetRef);
          if (target === running) continue;
          const message = `${record.host}: the rollback of ${record.rolloutId} put ${running} back after ${id}'s switch to ${target} (${id} ${state})`;
          return failedFrom.get(key) === 'Activating' ? message : { deviation: message };
        }
        return null;
      },
    };
  },
};
