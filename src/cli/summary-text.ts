import { counted } from '../../sim/counted.ts';
import type { Stall } from '../../sim/stall/stall.ts';
import type { RunSummary } from '../../sim/summary.ts';
import { RUN_START } from '../../sim/world.ts';

/** `1h02m03s` for a span of simulated seconds. */
export function span(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${String(r).padStart(2, '0')}s`;
  if (m > 0) return `${m}m${String(r).padStart(2, '0')}s`;
  return `${r}s`;
}

const at = (t: number | null) => (t === null ? '-' : `+${span((t - RUN_START) / 1000)}`);

const ENDED_TEXT: Record<RunSummary['ended'], string> = {
  terminal: 'terminal: every rollout settled',
  horizon: 'stopped at the horizon',
  stalled: 'stalled: nothing more can happen',
  interrupted: 'interrupted before it ended',
  error: 'cut short by an error',
};

/** `host-01, host-02, … (17 more)`: long host lists stay on one line. */
export function hostList(hosts: readonly string[], max = 6): string {
  if (hosts.length <= max) return hosts.join(', ');
  return `${hosts.slice(0, max).join(', ')}, … (${hosts.length - max} more)`;
}

/** Held groups the text shows; `--json` and the trace's end record list every one. */
const MAX_GROUPS = 20;

/** One block a held group: who waits, on what, since when, and whether it can clear. */
function groupLines(stall: Stall, indent: string): string[] {
  const more = stall.groups.length - MAX_GROUPS;
  const lines = stall.groups.slice(0, MAX_GROUPS).flatMap((g) => {
    const n = g.hosts.length;
    return [
      `${indent}${g.rolloutId} · ${g.gate}: ${g.reason} — ${counted(n, 'host')} since ${at(g.since)}` +
        (n === 0 ? '' : `: ${hostList(g.hosts)}`),
      `${indent}    ${g.permanent ? 'never clears' : 'may clear'}: ${g.why} (spec ${g.spec})`,
    ];
  });
  if (more > 0)
    lines.push(`${indent}… and ${counted(more, 'more group')} (--json lists every one)`);
  return lines;
}

/** The stall section: one block per group, who waits, on what, since when, and for how long. */
export function stallText(s: RunSummary): string[] {
  if (s.stall === null) return [];
  return [
    `stalled: ${s.stall.blockedHosts} hosts wait on something that will not happen`,
    ...groupLines(s.stall, '  '),
  ];
}

/** Why a run that reached its horizon had not ended: what was still going on, who was held. */
export function unsettledText(s: RunSummary): string[] {
  const u = s.unsettled;
  if (u === null) return [];
  const lines = ['not settled at the horizon:', ...u.work.map((w) => `  ${w}`)];
  if (u.held === null) return lines;
  return [
    ...lines,
    `  ${counted(u.held.blockedHosts, 'host')} held by a gate:`,
    ...groupLines(u.held, '    '),
  ];
}

/** The plain-text report of a run: one line per rollout, then totals. */
export function summaryText(s: RunSummary): string[] {
  const lines = [
    `fleet ${s.fleet}, profile ${s.profile}, seed ${s.seed}`,
    `${ENDED_TEXT[s.ended]} after ${span(s.simSeconds)} simulated` +
      (s.wallSeconds === null ? '' : ` in ${s.wallSeconds.toFixed(2)} s wall`) +
      ` (${s.events.scheduled.toLocaleString('en-US')} events delivered)`,
    '',
  ];
  const rows = s.rollouts.map((r) => [
    r.rolloutId,
    r.state,
    String(r.currentWave),
    at(r.openedAt),
    at(r.terminalAt ?? r.supersededAt),
    Object.entries(r.hosts)
      .map(([state, n]) => `${state} ${n}`)
      .join(', '),
  ]);
  const header = ['rollout', 'state', 'wave', 'opened', 'ended', 'hosts'];
  // Folded, not spread: a fleet of 200,000 channels has as many rollouts, past the
  // number of arguments a call can take.
  const widths = header.map((h, i) =>
    rows.reduce((w, r) => Math.max(w, (r[i] as string).length), h.length),
  );
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header));
  for (const r of rows) lines.push(fmt(r));
  lines.push('');
  const e = s.events;
  lines.push(
    `steps: ${e.hostSteps} host, ${e.rolloutSteps} rollout; dispatches ${e.dispatches}, held by a gate ${e.deferredDispatches} times; faults ${e.faults}; refused events ${e.droppedErrors}`,
  );
  const why = [...stallText(s), ...unsettledText(s)];
  if (why.length > 0) lines.push('');
  for (const line of why) lines.push(line);
  if (s.quarantined.length > 0) {
    lines.push(
      `quarantined: ${s.quarantined.map((q) => `${q.closure} on ${q.channel}`).join(', ')}`,
    );
  }
  return lines;
}
