import type { HostEffect } from './effect.ts';
import type { HostRecord } from './state.ts';

/**
 * `rehydration_effects(state)`, spec §3.12: what an agent runs right after loading a
 * snapshot, so its probe workers reload. Only a Pending record has nothing to restart.
 */
export function rehydrationEffects(record: HostRecord): readonly HostEffect[] {
  return record.state === 'Pending'
    ? []
    : [{ type: 'LocalResetProbeCache', rolloutId: record.rolloutId }];
}
