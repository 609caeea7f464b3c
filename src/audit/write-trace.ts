import { encodeTimestamp } from '../codec/index.ts';
import { InputError } from '../errors.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { writeWhole } from '../files/write-whole.ts';
import { encodeHeader, encodeRecord } from '../trace/format.ts';
import type { AuditTrace } from './to-trace.ts';

/*
 * Writes an audited log's trace. A simulated trace counts `t` from the simulator's
 * start; this one counts from the log's first row, which the header's `start` names, so
 * that `replay` shows the log's own times.
 */
/** The header's `source` of a trace written by audit, not by a simulation. */
export const AUDIT_SOURCE = 'audit';

export function writeAuditTrace(path: string, trace: AuditTrace): void {
  const lines = [
    JSON.stringify({
      ...(encodeHeader(trace.header) as object),
      start: encodeTimestamp(trace.start),
      // An extra field (DESIGN §4.5 allows them): replay --verify has no run to repeat.
      source: AUDIT_SOURCE,
    }),
  ];
  for (const r of trace.records) {
    lines.push(JSON.stringify({ ...(encodeRecord(r) as object), t: (r.t - trace.start) / 1000 }));
  }
  try {
    writeWhole(path, `${lines.join('\n')}\n`);
  } catch (error) {
    throw new InputError(`${path}: cannot write the trace: ${fsProblem(error)}`);
  }
}
