import type { HostPolicy } from '../../machines/host/state.ts';
import { counted } from '../../sim/counted.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import { escapeControls } from '../../sim/quote.ts';
import { type LogRow, readRow } from '../audit/log-row.ts';
import { Auditor, type Divergence, type Unreadable } from '../audit/rederive.ts';
import { type AuditTrace, auditTrace } from '../audit/to-trace.ts';
import { LineReader } from '../trace/line-reader.ts';
import { TraceMonitors, type TraceViolation } from './replay-check.ts';
import { InputError } from './usage-error.ts';

/*
 * `rollout-sim audit LOG`: a nixfleet control plane's event log (JSON Lines exported
 * from its `event_log` table, docs/audit.md) re-derived through the reducers.
 */

export interface AuditReport {
  readonly rows: number;
  readonly rollouts: readonly { rolloutId: string; state: string; currentWave: number }[];
  readonly hosts: readonly { rolloutId: string; host: string; state: string }[];
  readonly divergences: readonly Divergence[];
  readonly unreadable: readonly Unreadable[];
  /** Invariants the log breaks, judged on its trace form (`record` is the trace line). */
  readonly violations: readonly TraceViolation[];
  /** Invariants that need live records the log does not hold. */
  readonly unchecked: readonly string[];
}

export function auditLog(
  path: string,
  policy: HostPolicy,
): { report: AuditReport; trace: AuditTrace } {
  // Names the path and what is wrong with it, in words, when it cannot be read.
  const reader = new LineReader(path);
  const auditor = new Auditor(policy);
  let rows = 0;
  let lines = 0;
  let previous: LogRow | null = null;
  try {
    for (let text = reader.next(); text !== null; text = reader.next()) {
      if (text.trim() === '') continue;
      lines++;
      const line = reader.lineNumber;
      const r = readRow(text, line);
      if (!r.ok) {
        auditor.unreadable.push({ line, field: r.field, message: r.message });
        continue;
      }
      const order = outOfOrder(r.row, previous);
      if (order !== null) {
        auditor.unreadable.push({ line, ...order });
        continue;
      }
      rows++;
      previous = r.row;
      auditor.observe(r.row);
    }
  } finally {
    reader.close();
  }
  // Re-deriving nothing finds nothing: an export of the wrong database, or a failed query.
  if (lines === 0)
    throw new InputError(
      `${path}: no rows: expected the event_log table as JSON Lines (docs/audit.md)`,
    );
  // Not one row read: another kind of file (a trace, a fleet), not a log with bad rows.
  const first = auditor.unreadable[0];
  if (rows === 0 && first !== undefined)
    throw new InputError(
      escapeControls(
        `${path}: no readable row, so not an event_log export (docs/audit.md): line ${first.line}: ${first.field === '' ? '' : `${first.field}: `}${first.message}`,
      ),
    );
  auditor.finish();
  const trace = auditTrace(auditor, policy.onHealthFailure);
  const monitors = new TraceMonitors(trace.header);
  for (const r of trace.records) monitors.observe(r);
  const judged = monitors.result(2);
  // A log is a window on a live system: an unsettled rollout at its end is not a stall.
  const end = trace.records[trace.records.length - 1];
  const settled = end?.type === 'end' && end.summary.ended === 'terminal';
  const liveness = new Set(INVARIANTS.filter((i) => i.kind === 'liveness').map((i) => i.id));
  const violations = judged.violations.filter((v) => settled || !liveness.has(v.invariant));
  const unchecked = judged.unchecked;
  const report: AuditReport = {
    rows,
    rollouts: [...auditor.rollouts.values()].map((r) => ({
      rolloutId: r.rolloutId,
      state: r.state,
      currentWave: r.currentWave,
    })),
    hosts: [...auditor.hosts.values()].map((h) => ({
      rolloutId: h.rolloutId,
      host: h.hostname,
      state: h.state,
    })),
    divergences: auditor.divergences,
    unreadable: auditor.unreadable,
    violations,
    unchecked,
  };
  return { report, trace };
}

/*
 * The export is `ORDER BY seq`, and seq is event_log's rowid: from 1, rising by insert.
 * A row against that order was moved, repeated or edited, and re-deriving it in file
 * order would step the reducers in an order the control plane never did. A ts may go
 * back: an agent_event row carries the agent's own time (test/fixtures/audit/lifecycle.jsonl).
 */
function outOfOrder(
  row: LogRow,
  previous: LogRow | null,
): { field: string; message: string } | null {
  if (row.seq !== null && row.seq <= 0)
    return { field: 'seq', message: `expected a positive integer (a rowid), got ${row.seq}` };
  if (previous === null) return null;
  if (row.seq !== null && previous.seq !== null && row.seq <= previous.seq)
    return {
      field: 'seq',
      message: `${row.seq} after line ${previous.line}'s ${previous.seq}: the export is ordered by seq, so this row is out of place or repeated`,
    };
  return null;
}

const where = (path: string, d: { line: number }) => `${path}:${d.line}`;

export function formatAudit(path: string, report: AuditReport): string[] {
  const out = [`${path}: ${counted(report.rows, 'row')} re-derived through rolloutStep / hostStep`];
  out.push('rollouts (re-derived):');
  for (const r of report.rollouts) out.push(`  ${r.rolloutId}  ${r.state}  wave ${r.currentWave}`);
  out.push('hosts (control plane mirror, re-derived):');
  for (const h of report.hosts) out.push(`  ${h.rolloutId}  ${h.host}  ${h.state}`);
  out.push(`divergences: ${report.divergences.length}`);
  for (const d of report.divergences) {
    const subject = [d.rolloutId, d.host].filter((x) => x !== null).join(' ');
    out.push(`  ${where(path, d)}: ${subject}: ${d.message}`);
  }
  const failures = report.violations.filter((v) => v.known === null);
  out.push(`violations: ${failures.length}`);
  for (const v of report.violations) {
    const tag = v.known === null ? '' : ' (known deviation of the faithful runtime)';
    out.push(`  ${v.invariant} at trace line ${v.record}${tag}: ${v.message}`);
  }
  if (report.unreadable.length > 0) {
    out.push(`unreadable: ${report.unreadable.length}`);
    for (const u of report.unreadable.slice(0, MAX_UNREADABLE)) {
      out.push(`  ${where(path, u)}: ${u.field === '' ? '' : `${u.field}: `}${u.message}`);
    }
    const more = report.unreadable.length - MAX_UNREADABLE;
    if (more > 0) out.push(`  … and ${counted(more, 'more row')} (--json lists every one)`);
  }
  // Every value comes from the log: an escape sequence in a rollout id must be shown, not
  // obeyed by the terminal.
  return out.map(escapeControls);
}

/** Unreadable rows the text lists; `--json` lists every one. */
const MAX_UNREADABLE = 20;

export function auditJson(report: AuditReport): unknown {
  return {
    rows: report.rows,
    rollouts: report.rollouts.map((r) => ({
      rollout_id: r.rolloutId,
      state: r.state,
      current_wave: r.currentWave,
    })),
    hosts: report.hosts.map((h) => ({ rollout_id: h.rolloutId, host: h.host, state: h.state })),
    divergences: report.divergences.map((d) => ({
      line: d.line,
      rollout_id: d.rolloutId,
      host: d.host,
      message: d.message,
    })),
    unreadable: report.unreadable,
    violations: report.violations,
    unchecked: report.unchecked,
  };
}
