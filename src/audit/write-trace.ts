import { encodeTimestamp } from '../codec/index.ts';
import { InputError } from '../errors.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { writeWhole } from '../files/write-whole.ts';
import { encodeHeader, encodeRecord } from '../trace/format.ts';
import { decodeHeader } from '../trace/schema.ts';
import type { AuditTrace } from './to-trace.ts';

/*
 * Writes an audited log's trace. A simulated trace counts `t` from the simulator's
 * start; this one counts from the log's first row, which the header's `start` names, so
 * that `replay` shows the log's own times.
 */
/** The header's `source` of a trace written by audit, not by a simulation. */
export const AUDIT_SOURCE = 'audit';

export function writeAuditTrace(path: string, trace: AuditTrace): void {
  const header = {
    ...(encodeHeader(trace.header) as object),
    start: encodeTimestamp(trace.start),
    // An extra field (DESIGN §4.5 allows them): replay --verify has no run to repeat.
    source: AUDIT_SOURCE,
  };
  // The header's fleet is made of the log's names and refs, which a trace holds to the
  // limits of a fleet file (a ref of 5 million characters made a trace replay refused).
  const readable = decodeHeader(header);
  if (!readable.ok)
    throw new InputError(
      `${path}: cannot write the trace: the log's names and refs make a header replay would refuse: ${readable.message}`,
    );
  const lines = [JSON.stringify(header)];
  for (const r of trace.records) {
    lines.push(JSON.stringify({ ...(encodeRecord(r) as object), t: (r.t - trace.start) / 1000 }));
  }
  try {
    writeWhole(path, `${lines.join('\n')}\n`);
  } catch (error) {
    throw new InputError(`${path}: cannot write the trace: ${fsProblem(error)}`);
  }
}
