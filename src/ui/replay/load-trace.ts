import type { TraceRecord } from '../../../sim/trace-record.ts';
import type { TraceHeader } from '../../trace/format.ts';
import { readTrace } from '../../trace/read-trace.ts';

/*
 * A trace file read whole into memory for the replay screen: the header (the fleet,
 * for the grid) and every record, decoded, by `readTrace` as every command reads a
 * trace: a bad line stops with its line number, as `replay` does without the UI.
 */

export interface LoadedTrace {
  readonly header: TraceHeader;
  /** The run's start on the virtual clock. */
  readonly start: number;
  readonly records: TraceRecord[];
  /**
   * Whether the trace has its `end` record. One without (a run killed before it wrote
   * one) is shown as far as it goes, and said to be incomplete.
   */
  readonly complete: boolean;
}

export function loadTrace(path: string): LoadedTrace {
  const records: TraceRecord[] = [];
  const { header, start, end } = readTrace(path, () => (r) => records.push(r));
  return { header, start, records, complete: end !== null };
}

/** What the replay screen says under its header for a trace with no `end` record. */
export function incompleteBanner(trace: LoadedTrace): string {
  return `⚠ incomplete trace: no "end" record, it stops at record ${trace.records.length} (was the run cut short?)`;
}
