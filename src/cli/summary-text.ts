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

/** The plain-text report of a run: one line per rollout, then totals. */
export function summaryText(s: RunSummary): string[] {
  const lines = [
    `fleet ${s.fleet}, profile ${s.profile}, seed ${s.seed}`,
    `${s.ended === 'settled' ? 'settled' : 'stopped at --until'} after ${span(s.simSeconds)} simulated` +
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
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  lines.push(fmt(header), ...rows.map(fmt), '');
  const e = s.events;
  lines.push(
    `steps: ${e.hostSteps} host, ${e.rolloutSteps} rollout; dispatches ${e.dispatches}, held by a gate ${e.deferredDispatches} times; faults ${e.faults}; refused events ${e.droppedErrors}`,
  );
  if (s.quarantined.length > 0) {
    lines.push(
      `quarantined: ${s.quarantined.map((q) => `${q.closure} on ${q.channel}`).join(', ')}`,
    );
  }
  return lines;
}
