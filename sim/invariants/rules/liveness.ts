import type { Fleet } from '../../fleet/fleet.ts';
import { targetClosure } from '../../fleet/fleet.ts';
import type { Invariant } from '../invariant.ts';

/*
 * End-of-run invariants under stated fairness assumptions, and real-world bugs that
 * span the rollout and its hosts.
 */

/** The fairness assumption of `liveness.terminal`: nothing in the fleet is set to go wrong. */
export function faultFree(fleet: Fleet): boolean {
  const f = fleet.faults;
  return (
    f.probes.length === 0 &&
    f.activation.failure_rate === 0 &&
    f.activation.deferral_rate === 0 &&
    (f.activation.boot_failure_rate ?? 0) === 0 &&
    f.activation.failing_refs.length === 0 &&
    f.activation.deferring_refs.length === 0 &&
    f.network.drop_rate === 0 &&
    f.network.duplicate_rate === 0 &&
    f.network.partitions.length === 0 &&
    f.cp_restarts.length === 0 &&
    (f.cp_crashes?.rate ?? 0) === 0 &&
    (f.successor_releases?.rate ?? 0) === 0
  );
}

export const terminalWithoutFaults: Invariant = {
  id: 'liveness.terminal',
  statement: 'with no faults every rollout ends Terminal, unless superseded',
  source: 'spec §4.4 (the live lifecycle Opening → Active → Terminal)',
  kind: 'liveness',
  create: ({ fleet }) => ({
    finish(summary) {
      if (!faultFree(fleet)) return null;
      if (summary.ended === 'horizon')
        return `the fault-free run did not settle within ${summary.simSeconds} s`;
      for (const r of summary.rollouts) {
        if (!['Terminal', 'Superseded', 'Pruned', 'deleted'].includes(r.state)) {
          return `${r.rolloutId} ended ${r.state} at wave ${r.currentWave} with no fault`;
        }
      }
      return null;
    },
  }),
};

export const haltHolds: Invariant = {
  id: 'liveness.halt-holds',
  statement:
    'a halted (Failed or Reverted) rollout never dispatches a wave beyond the one it halted at',
  source: 'spec §3.9 "the wave cursor can never pass a wave with a Failed host"; §6.9',
  kind: 'safety',
  requires: {
    flags: ['halt_gate'],
    deviation:
      'spec §6 item 9: a Deferred host counts as done, so a later failure does not pin the cursor',
  },
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'dispatch') return null;
      const halted = view.rollouts.get(record.rolloutId)?.haltedAt ?? null;
      return halted !== null && record.wave > halted
        ? `${record.host} (wave ${record.wave}) dispatched after ${record.rolloutId} halted at wave ${halted}`
        : null;
    },
  }),
};

export const terminalReallyRuns: Invariant = {
  id: 'rollout.terminal-runs-target',
  statement: 'a reported Terminal means every targeted host really runs the target closure',
  source: 'real-world: a rollout reported done while hosts still ran the old system',
  kind: 'safety',
  requires: {
    flags: ['recovery_stops_at_soaking', 'agent_abandons_superseded'],
    deviation:
      'found by rollout-sim check: a heartbeat that outruns a late DispatchAck makes the CP synthesize Converged for a host still soaking (spec §3.12 LIFT #5); a superseded rollout still soaking on the agent can fail and roll back over the newer one',
  },
  create: ({ view, inspect }) => ({
    observe(record) {
      if (
        record.type !== 'rollout_event' ||
        !record.result.ok ||
        record.result.record.state !== 'Terminal'
      )
        return null;
      const r = view.rollouts.get(record.rolloutId);
      if (r === undefined || r.row.state === 'Terminal') return null;
      for (const host of r.cp.keys()) {
        const running = inspect.running(host);
        const target = targetClosure(host, r.row.targetRef);
        if (running !== target)
          return `${record.rolloutId} Terminal while ${host} runs ${running}, not ${target}`;
      }
      return null;
    },
  }),
};

export const LIVENESS_INVARIANTS = [terminalWithoutFaults, haltHolds, terminalReallyRuns];
