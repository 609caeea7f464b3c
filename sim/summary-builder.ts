import { HOST_STATES, type HostState } from '../machines/host/state.ts';
import type { ControlPlane } from './control-plane/control-plane.ts';
import type { RolloutOutcome, RunSummary } from './summary.ts';
import { secondsIntoRun, type World } from './world.ts';

/** The run summary from the control plane's tables; `wallSeconds` is left for the caller. */
export function buildSummary(
  world: World,
  cp: ControlPlane,
  ended: RunSummary['ended'],
  delivered: number,
  stall: RunSummary['stall'] = null,
  unsettled: RunSummary['unsettled'] = null,
): RunSummary {
  const { tables } = cp;
  const rollouts: RolloutOutcome[] = [];
  for (const row of tables.rollouts.values()) {
    const hosts: Partial<Record<HostState, number>> = {};
    for (const s of HOST_STATES) {
      const n = tables.count(row.rolloutId, s);
      if (n > 0) hosts[s] = n;
    }
    rollouts.push({
      rolloutId: row.rolloutId,
      channel: row.channel,
      targetRef: row.targetRef,
      state: row.state,
      currentWave: row.currentWave,
      openedAt: row.openedAt,
      terminalAt: row.terminalAt,
      supersededAt: row.supersededAt,
      hosts,
    });
  }
  for (const row of tables.deleted) {
    rollouts.push({
      rolloutId: row.rolloutId,
      channel: row.channel,
      targetRef: row.targetRef,
      state: 'deleted',
      currentWave: row.currentWave,
      openedAt: row.openedAt,
      terminalAt: row.terminalAt,
      supersededAt: row.supersededAt,
      hosts: {},
    });
  }
  const c = world.counters;
  return {
    fleet: world.fleet.name,
    profile: world.profile.name,
    seed: world.seed,
    rollouts,
    simSeconds: secondsIntoRun(world.now),
    wallSeconds: null,
    ended,
    stall,
    unsettled,
    events: {
      hostSteps: c.hostSteps,
      rolloutSteps: c.rolloutSteps,
      scheduled: delivered,
      dispatches: c.dispatches,
      deferredDispatches: c.deferredDispatches,
      faults: c.faults,
      droppedErrors: c.droppedErrors,
    },
    quarantined: [...tables.quarantine].sort().map((key) => {
      const [channel = '', closure = ''] = key.split('\u0000');
      return { channel, closure };
    }),
  };
}
