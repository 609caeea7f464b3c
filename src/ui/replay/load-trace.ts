import type { TraceRecord } from '../../../sim/trace-record.ts';
import type { TraceHeader } from '../../trace/format.ts';
import { readTrace } from '../../trace/read-trace.ts';

/*
 * A trace file read whole into memory for the replay screen: the header (the fleet,
 * for the grid) and every record, decoded. A bad line stops with its line number, as
 * `replay` does without the UI.
 */

export interface LoadedTrace {
  readonly header: TraceHeader;
  /** The run's start on the virtual clock. */
  readonly start: number;
  readonly records: TraceRecord[];
}

export function loadTrace(path: string): LoadedTrace {
  const records: TraceRecord[] = [];
  const { header, start } = readTrace(path, () => (r) => records.push(r));
  return { header, start, records };
}
