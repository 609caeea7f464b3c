import type { HostState } from '../../machines/host/state.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { channelWaves, type Fleet } from '../fleet/fleet.ts';

/**
 * `apply_rollout_effect` (spec §2.1): how the control plane's rollouts table changes.
 * It throws the reducer's returned record away and writes only what the effects say:
 * a transition (guarded by `state != to`, stamping terminal_at / superseded_at) and a
 * monotonic cursor. The simulator, the exploration model and the monitors' view of a
 * trace all keep their rows this way.
 */
export function applyRolloutEffects(
  row: RolloutRecord,
  effects: readonly RolloutEffect[],
): RolloutRecord {
  let next = row;
  for (const effect of effects) {
    if (effect.type === 'RecordRolloutTransition' && next.state !== effect.to) {
      next = {
        ...next,
        state: effect.to,
        terminalAt: effect.to === 'Terminal' ? effect.at : next.terminalAt,
        supersededAt: effect.to === 'Superseded' ? effect.at : next.supersededAt,
        lastTransitionEventLogSeq: null,
      };
    } else if (effect.type === 'UpdateCurrentWave' && effect.wave > next.currentWave) {
      next = { ...next, currentWave: effect.wave };
    }
  }
  return next;
}

/**
 * Whether the rollout's current wave is done for `advance_current_waves` (spec §4.4):
 * it has hosts and every one of them is Converged or Deferred. An empty wave never is.
 */
export function currentWaveDone(
  fleet: Fleet,
  row: RolloutRecord,
  stateOf: (host: string) => HostState | undefined,
): boolean {
  const wave = channelWaves(fleet, row.channel)[row.currentWave];
  if (wave === undefined || wave.hosts.length === 0) return false;
  return wave.hosts.every((h) => {
    const s = stateOf(h);
    return s === 'Converged' || s === 'Deferred';
  });
}
