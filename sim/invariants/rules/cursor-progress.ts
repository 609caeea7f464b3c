import type { RolloutId } from '../../../machines/rollout/state.ts';
import type { Instant } from '../../../machines/time.ts';
import type { RunSummary } from '../../summary.ts';
import { RUN_START } from '../../world.ts';
import type { Invariant } from '../invariant.ts';
import type { LifecycleView, RolloutView } from '../lifecycle-view.ts';

/*
 * Progress of the wave cursor (spec §4.4 advance_current_waves): every planning run moves
 * the cursor of a current rollout whose current wave is done, every host Converged or
 * Deferred. dispatch.cursor-when-done holds it back from moving too soon; this holds it
 * to moving at all, so a planner that waits for more than the spec says (a Deferred host
 * to converge) is seen, not only when it stalls the run.
 *
 * The view changes only at records, so a wave that is done before a record became done
 * at the record before it. Planning runs every plan tick while the control plane is up and
 * the channel's manifest cached: a wave done at t must have moved on by t plus a tick,
 * counted from the control plane's return after an outage, or from the poll after a
 * failed one that may have left the channel out (spec §4.1).
 */

/**
 * The rollout's current wave is done, and not the last: the cursor has somewhere to go.
 * Spelled out rather than the control plane's `currentWaveDone`, which would agree with a
 * mistake in it (a planner that waits for Deferred hosts to converge).
 */
function doneWave(view: LifecycleView, id: RolloutId, r: RolloutView): boolean {
  if (view.current.get(r.row.channel) !== id) return false;
  if (r.row.terminalAt !== null || (r.row.state !== 'Active' && r.row.state !== 'Converging'))
    return false;
  if (r.row.currentWave + 1 >= r.waves.length) return false;
  const wave = r.waves[r.row.currentWave];
  if (wave === undefined || wave.hosts.length === 0) return false;
  return wave.hosts.every((h) => {
    const s = r.cp.get(h);
    return s === 'Converged' || s === 'Deferred';
  });
}

const seconds = (t: Instant) => (t - RUN_START) / 1000;

export const cursorAdvancesOnTime: Invariant = {
  id: 'progress.cursor-advances',
  statement:
    "a current rollout's cursor leaves a wave whose hosts are all Converged or Deferred by the next planning run",
  source: 'spec §4.4 advance_current_waves (run at every planning run, §4.1)',
  kind: 'liveness',
  create: ({ view, settings }) => {
    const tick = settings.plan_tick_secs * 1000;
    const pollAfterFailure = settings.manifest_poll_secs * 1000;
    /** Since when each rollout's current wave (the one named) has been done. */
    const doneSince = new Map<RolloutId, { wave: number; since: Instant }>();
    let lastT: Instant = RUN_START;
    let down = false;
    let upAt: Instant = RUN_START;
    const planFrom = new Map<string, Instant>();
    const judge = (t: Instant): string | null => {
      for (const [id, r] of view.rollouts) {
        if (down || !doneWave(view, id, r)) {
          doneSince.delete(id);
          continue;
        }
        let d = doneSince.get(id);
        if (d === undefined || d.wave !== r.row.currentWave) {
          d = { wave: r.row.currentWave, since: lastT };
          doneSince.set(id, d);
        }
        const from = Math.max(d.since, upAt, planFrom.get(r.row.channel) ?? RUN_START);
        if (t > from + tick)
          return `${id} still on wave ${d.wave} at ${seconds(t)} s, done since ${seconds(d.since)} s (planning runs every ${tick / 1000} s)`;
      }
      return null;
    };
    return {
      observe(record) {
        const verdict = judge(record.t);
        lastT = record.t;
        if (record.type === 'fault') {
          if (record.kind === 'cp_down') down = true;
          else if (record.kind === 'cp_up') {
            down = false;
            upAt = record.t;
          } else if (record.kind === 'manifest_failure' && record.detail !== null)
            planFrom.set(record.detail, record.t + pollAfterFailure);
        }
        return verdict;
      },
      finish(summary: RunSummary) {
        return judge(RUN_START + summary.simSeconds * 1000);
      },
    };
  },
};
