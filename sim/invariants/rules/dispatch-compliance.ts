import type { RolloutId } from '../../../machines/rollout/state.ts';
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
    return {
      observe(record) {
        if (record.type !== 'dispatch' || record.wave <= 0) return null;
        const r = view.rollouts.get(record.rolloutId);
        if (r === undefined) return null;
        const held: string[] = [];
        r.waves.forEach((wave, i) => {
          if (i >= record.wave) return;
          for (const host of wave.hosts) {
            const n = failing(record.rolloutId, host);
            if (n > 0) held.push(`${host} ${n}`);
          }
        });
        return held.length === 0
          ? null
          : `${record.host} (wave ${record.wave}) dispatched by ${record.rolloutId} while earlier waves have failing enforce controls (${held.join(', ')})`;
      },
      hostStep(step) {
        rows ??= new Map();
        noteProbeFailures(rows, step);
        return null;
      },
    };
  },
};
