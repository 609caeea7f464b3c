import { isRetentionEligible, type RolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import { RUN_START, secondsIntoRun } from '../../world.ts';
import type { Invariant } from '../invariant.ts';

/*
 * Retention (spec §4.12, §6 item 6): when a finished rollout leaves. Faithful has no
 * `RetentionExpired`: an hourly sweep deletes the rows whose terminal_at or superseded_at
 * is older than the cutoff, so Failed and Reverted rows without either stay for good.
 * Intent steps `RetentionExpired → Pruned` once the period has passed since the rollout
 * first finished, and keeps the row. A prune that falls due while the control plane is
 * down happens when it is back.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

/*
 * The period and the sweep are restated here, not taken from sim/settings.ts or
 * sim/retention.ts: a monitor that shared them would agree with a mistake in them.
 */

/** The first hourly sweep from the run's start that finds a row older than `due`. */
export const sweepAfter = (due: Instant) =>
  RUN_START + (Math.floor((due - RUN_START) / HOUR) + 1) * HOUR;

interface Stamped {
  readonly rolloutId: RolloutId;
  readonly terminalAt: Instant | null;
  readonly supersededAt: Instant | null;
}

const at = (t: Instant) => `${secondsIntoRun(t)} s`;

export const retentionOnTime: Invariant = {
  id: 'rollout.retention',
  statement:
    'a finished rollout is pruned once its retention has passed, neither before nor later: intent steps RetentionExpired then, counted from when it first finished, and keeps the row; faithful deletes the row at the first hourly sweep past terminal_at or superseded_at plus the retention, and no other row',
  source: 'spec §4.12 (prune_finished_rollouts, hourly), §6 item 6 (RetentionExpired)',
  kind: 'safety',
  create: ({ view, profile, settings, horizon }) => {
    const intent = profile.flags.retention_expired;
    const period = Math.round(settings.retention_days * DAY);
    /** When each rollout first finished; intent's prunes still to come are those not Pruned. */
    const finished = new Map<RolloutId, Instant>();
    const waiting = new Map<RolloutId, Instant>();
    /** The control plane's outages so far: [down, up], up null while it still is. */
    const outages: [Instant, Instant | null][] = [];
    let earliest = Number.POSITIVE_INFINITY;

    /** A prune due at `due` happens then, or when the control plane is back if it was down. */
    const deadline = (due: Instant): Instant => {
      for (const [down, up] of outages)
        if (due >= down && (up === null || due <= up)) return up ?? Number.POSITIVE_INFINITY;
      return due;
    };
    const late = (t: Instant): string | null => {
      if (t <= earliest) return null;
      for (const [id, due] of waiting) {
        const by = deadline(due);
        if (t > by)
          return `${id} not pruned by ${at(by)} (finished at ${at(finished.get(id) ?? due)}, retention ${period / 1000} s)`;
      }
      return null;
    };

    /** When faithful's sweep must have deleted the row, or null: never (no timestamp). */
    const sweptBy = (r: Stamped): Instant | null => {
      const stamps = [r.terminalAt, r.supersededAt].filter((x): x is Instant => x !== null);
      return stamps.length === 0 ? null : deadline(sweepAfter(Math.min(...stamps) + period));
    };
    /** A row seen deleted by `t`: wrong if it had no timestamp or its sweep was later. */
    const deletion = (r: Stamped, t: Instant): string | null => {
      const by = sweptBy(r);
      if (by === null) return `${r.rolloutId} was deleted without terminal_at or superseded_at`;
      return t < by
        ? `${r.rolloutId} was deleted by ${at(t)}, before the sweep at ${at(by)}`
        : null;
    };

    return {
      observe(record) {
        if (record.type === 'fault' && record.kind === 'cp_down') outages.push([record.t, null]);
        if (record.type === 'fault' && record.kind === 'cp_up') {
          const open = outages[outages.length - 1];
          if (open !== undefined && open[1] === null) open[1] = record.t;
        }
        const overdue = intent ? late(record.t) : null;
        if (overdue !== null) return overdue;
        if (record.type === 'rollout_opened' && !intent) {
          // The same id again: the sweep deleted its row (and the run is judged no further).
          const old = view.rollouts.get(record.rolloutId)?.row;
          return old === undefined ? null : deletion(old, record.t);
        }
        if (record.type !== 'rollout_event') return null;
        const id = record.rolloutId;
        const before = view.rollouts.get(id)?.row.state;
        if (record.event.type === 'RetentionExpired') {
          if (!intent)
            return `${id}: RetentionExpired stepped, but faithful's retention is a sweep that deletes rows (spec §4.12)`;
          if (before === undefined || !isRetentionEligible(before))
            return `RetentionExpired for ${id} in ${before ?? 'no state'}`;
          const due = (finished.get(id) ?? record.t) + period;
          if (record.t < due)
            return `${id} pruned at ${at(record.t)}, before its retention ran out at ${at(due)}`;
        }
        if (!record.result.ok) return null;
        const after = record.result.record.state;
        if (after === 'Pruned') {
          waiting.delete(id);
          earliest = Math.min(Number.POSITIVE_INFINITY, ...waiting.values());
        } else if (isRetentionEligible(after) && !finished.has(id)) {
          finished.set(id, record.t);
          if (intent) {
            waiting.set(id, record.t + period);
            earliest = Math.min(earliest, record.t + period);
          }
        }
        return null;
      },
      finish(summary) {
        const end = RUN_START + Math.round(summary.simSeconds * 1000);
        // A simulated run ends before its horizon only when nothing is left to happen: a
        // prune due by the horizon and not done by then is never done.
        const settled = horizon !== undefined && summary.ended !== 'horizon';
        const never = (id: RolloutId, by: Instant) =>
          settled && by <= horizon && end <= by
            ? `${id} is never pruned: the run settled at ${at(end)} with its prune, due at ${at(by)}, still to come`
            : null;
        if (intent) {
          const deleted = summary.rollouts.find((r) => r.state === 'deleted');
          if (deleted !== undefined)
            return `${deleted.rolloutId} was deleted: intent keeps a pruned rollout's row (spec §6 item 6)`;
          for (const [id, due] of waiting) {
            const lost = never(id, deadline(due));
            if (lost !== null) return lost;
          }
          return late(end);
        }
        for (const r of summary.rollouts) {
          if (r.state === 'deleted') {
            const early = deletion(r, end);
            if (early !== null) return early;
            continue;
          }
          const by = sweptBy(r);
          if (by === null) continue;
          if (end > by)
            return `${r.rolloutId} still kept at ${at(end)}: the sweep at ${at(by)} should have deleted it`;
          const lost = never(r.rolloutId, by);
          if (lost !== null) return lost;
        }
        return null;
      },
    };
  },
};
