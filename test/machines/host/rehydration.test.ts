import { describe, expect, test } from 'vitest';
import { rehydrationEffects } from '../../../machines/host/rehydration.ts';
import type { HostState } from '../../../machines/host/state.ts';
import { SPEC_STATES } from '../../../sim/spec-model/host.ts';
import { RID, recordIn } from './fixtures.ts';

/* Spec §3.12 `rehydration_effects(state)` and the §5.6 rehydration.rs unit tests. */

describe('§3.12 rehydration_effects', () => {
  test('Pending → []', () => {
    expect(rehydrationEffects(recordIn('Pending'))).toStrictEqual([]);
  });

  const others = SPEC_STATES.filter((s): s is Exclude<HostState, 'Pending'> => s !== 'Pending');

  test('six non-Pending states', () => expect(others).toHaveLength(6));

  test.each(others)('%s → [LocalResetProbeCache{rollout_id}]', (state) => {
    expect(rehydrationEffects(recordIn(state))).toStrictEqual([
      { type: 'LocalResetProbeCache', rolloutId: RID },
    ]);
  });

  test.each(SPEC_STATES)(
    '%s: uses the record rollout_id, whatever else the record holds',
    (state) => {
      const record = recordIn(state, { rolloutId: 'edge@deadbeef', lastEventSeq: 99, probes: {} });
      expect(rehydrationEffects(record)).toStrictEqual(
        state === 'Pending' ? [] : [{ type: 'LocalResetProbeCache', rolloutId: 'edge@deadbeef' }],
      );
    },
  );
});
