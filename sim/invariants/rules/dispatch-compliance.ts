import type { RolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import type { Invariant } from '../invariant.ts';
import {
  type ControlRows,
  controlKey,
  failingEnforce,
  noteProbeFailures,
} from './compliance-count.ts';

/*
 * The compliance gate's safety side (spec §4.11): every other gate of the stack had a
 * dispatch invariant of its own, this one only `progress.dispatch-when-allowed`, which
 * sees a gate that holds too much. A count that let a host through too early (the latest
 * result read where faithful's rows never forget a failure) passed every invariant
 * under faithful.
 */

export const dispatchCompliance: Invariant = {
  id: 'dispatch.compliance-wave',
  statement:
    'a host past wave 0 is dispatched only while the hosts of the waves before its own have no failing enforce control (faithful: one that ever failed; intent: by its latest result)',
  source: 'spec §4.11 compliance_wave (probe_failures rows are never deleted), §6 item 15',
  kind: 'safety',
  create: (ctx) => {
    const { view, inspect, profile } = ctx;
    const latestWins = profile.flags.compliance_latest_wins;
    // Rebuilt from the control plane's steps (null until one is seen: then the run's own
    // table, where there is one, as `progress.dispatch-when-allowed` does).
    let rows: ControlRows | null = null;
    const failing = (id: RolloutId, host: string): number => {
      if (latestWins) return failingEnforce(inspect.cpHost(id, host));
      if (rows !== null) return rows.get(controlKey(id, host))?.size ?? 0;
      return inspect.failingControls?.(id, host) ?? 0;
    };
    /**
     * The failing hosts of each wave of one rollout, as one planning run sees them: its
     * dispatches come back to back at one instant, with nothing changing the records in
     * between, so the fleet is counted once a run, not once a dispatch (which made a
     * 10,000-host intent check take 40 s instead of 16). Dropped at any host step and any
     * record that is not the planning run's.
     */
    let counted: { t: Instant; id: RolloutId; byWave: string[][] } | null = null;
    const failingByWave = (
      t: Instant,
      id: RolloutId,
      waves: readonly { hosts: readonly string[] }[],
    ) => {
      if (counted === null || counted.t !== t || counted.id !== id) {
        const byWave = waves.map((wave) =>
          wave.hosts.flatMap((host) => {
            const n = failing(id, host);
            return n > 0 ? [`${host} ${n}`] : [];
          }),
        );
        counted = { t, id, byWave };
      }
      return counted.byWave;
    };
    return {
      observe(record) {
        if (record.type !== 'dispatch') {
          if (record.type !== 'gate') counted = null;
          return null;
        }
        if (record.wave <= 0) return null;
        const r = view.rollouts.get(record.rolloutId);
        if (r === undefined) return null;
        const held = failingByWave(record.t, record.rolloutId, r.waves)
          .slice(0, record.wave)
          .flat();
        return held.length === 0
          ? null
          : `${record.host} (wave ${record.wave}) dispatched by ${record.rolloutId} while earlier waves have failing enforce controls (${held.join(', ')})`;
      },
      hostStep(step) {
        counted = null;
        rows ??= new Map();
        noteProbeFailures(rows, step);
        return null;
      },
    };
  },
};
