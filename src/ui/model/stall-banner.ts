import type { RunSummary } from '../../../sim/summary.ts';

/**
 * The header's word on a stalled run: how many hosts wait and the gates that hold them,
 * root causes (holds that never clear on their own account) first; on a run that reached
 * its horizon, the first thing still going on. Null when the run settled (or has not
 * ended).
 */
export function stallBanner(summary: RunSummary | null): string | null {
  if (summary?.ended === 'horizon' && summary.unsettled !== null) {
    const first = summary.unsettled.work[0];
    const held = summary.unsettled.held?.blockedHosts ?? 0;
    return `◆ NOT SETTLED: ${first ?? `${held} hosts held by a gate`}`;
  }
  if (summary === null || summary.ended !== 'stalled' || summary.stall === null) return null;
  const gates = new Map<string, number>();
  for (const g of summary.stall.groups)
    gates.set(g.gate, (gates.get(g.gate) ?? 0) + g.hosts.length);
  const parts = [...gates].map(([gate, n]) => `${gate} ${n}`).join(', ');
  return `▲ STALLED: ${summary.stall.blockedHosts} hosts held (${parts})`;
}
