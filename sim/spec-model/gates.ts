import type { HostState } from '../../machines/host/state.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import type { GatedRecord, GateView } from '../control-plane/gates.ts';
import { channelEdgesInto, channelWaveIndex, channelWaves } from '../fleet/fleet.ts';

/*
 * An independent re-statement of the planner's gate stack, spec §4.5–§4.11 and §6 item 9
 * (nixfleet-lifecycle.md), written from the spec text and NOT from
 * sim/control-plane/gates.ts: only the *type* of the world a gate reads is shared. The
 * invariant `progress.dispatch-when-allowed` asks this model which hosts a planning run
 * had to send, so a gate of the control plane that blocks more than the spec says (a
 * too-cautious mistake, which no safety invariant sees) is caught; the world it reads
 * (`GateView`) is the monitor's own, built from the trace and the live records.
 */

/** The discriminator of the first gate that blocks `host`, or null when every gate passes. */
export function specBlockingGate(
  view: GateView,
  rollout: RolloutRecord,
  host: string,
  record: GatedRecord,
): string | null {
  // §6 item 9, design intent only: a Failed or Reverted rollout dispatches nothing more,
  // nor once pruned (a current row is Pruned only after halting: §6 item 6).
  if (
    view.flags.halt_gate &&
    (rollout.state === 'Failed' || rollout.state === 'Reverted' || rollout.state === 'Pruned')
  )
    return 'halt';
  // §4.7: the dispatch's target closure is quarantined on the rollout's channel.
  if (view.quarantined(rollout.channel, record.targetClosure)) return 'quarantine';
  // §4.8: every predecessor channel with a verified manifest has that ref's rollout, and
  // it has a terminal_at.
  for (const edge of channelEdgesInto(view.fleet, rollout.channel)) {
    const ref = view.manifestRef(edge.gates);
    if (ref === undefined) continue;
    const predecessor = view.row(`${edge.gates}@${ref}`);
    if (predecessor === undefined || predecessor.terminalAt === null) return 'channel-edges';
  }
  // §4.5 wave_promotion: a channel without waves passes; a host in none is denied; else
  // its first wave may not be beyond the cursor.
  const staged = channelWaves(view.fleet, rollout.channel).length > 0;
  const wave = channelWaveIndex(view.fleet, rollout.channel, host);
  if (staged && wave < 0) return 'wave-promotion-host-unstaged';
  if (staged && wave > rollout.currentWave) return 'wave-promotion';
  // §4.9: a known gating host of the same channel is Converged or Deferred in this rollout.
  for (const edge of view.fleet.host_edges) {
    if (edge.gated !== host) continue;
    if (view.fleet.hosts[edge.gates]?.channel !== rollout.channel) continue;
    const state: HostState | undefined = view.hostRecord(rollout.rolloutId, edge.gates)?.state;
    if (state !== 'Converged' && state !== 'Deferred') return 'host-edge';
  }
  // §4.10: in flight (the view counts what the profile counts) plus this run's counter
  // stays below every limited budget that holds the host; max_in_flight_pct is ignored.
  for (const budget of view.fleet.disruption_budgets) {
    if (budget.max_in_flight === null || !budget.hosts.includes(host)) continue;
    const used = view.inFlight(budget.hosts, host) + view.budgetCounter(budget.selector);
    if (used >= budget.max_in_flight) return 'disruption-budget';
  }
  // §4.11: a host past wave 0 waits while the waves before its own have failing controls.
  if (wave > 0 && view.failingBefore(rollout.rolloutId, wave) > 0) return 'compliance-wave';
  return null;
}
