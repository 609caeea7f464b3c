import { toInstant } from '../../../machines/time.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { RUN_START } from '../../../sim/world.ts';
import { InputError } from '../../cli/usage-error.ts';
import { decodeTimestamp } from '../../codec/index.ts';
import { fsProblem } from '../../files/fs-problem.ts';
import { TraceDecoder } from '../../trace/decode-record.ts';
import type { TraceHeader } from '../../trace/format.ts';
import { LineReader } from '../../trace/line-reader.ts';
import { decodeHeader } from '../../trace/schema.ts';

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

function parse(path: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}:${line}: not valid JSON: ${(error as Error).message}`);
  }
}

export function loadTrace(path: string): LoadedTrace {
  let reader: LineReader;
  try {
    reader = new LineReader(path);
  } catch (error) {
    // LineReader's own errors already name the path and say what went wrong.
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read: ${fsProblem(error)}`);
  }
  try {
    const first = reader.next();
    if (first === null)
      throw new InputError(`${path}: empty file, expected a rollout-sim-trace/1 header`);
    const json = parse(path, 1, first);
    const header = decodeHeader(json);
    if (!header.ok) throw new InputError(`${path}:1: header: ${header.message}`);
    const startText = (json as { start?: unknown }).start;
    const start = startText === undefined ? RUN_START : decodeTimestamp(startText);
    if (typeof start !== 'number' && !start.ok)
      throw new InputError(`${path}:1: header: start: ${start.error.message}`);
    const startMs = typeof start === 'number' ? start : toInstant(start.value);
    const decoder = new TraceDecoder(startMs);
    const records: TraceRecord[] = [];
    for (let text = reader.next(); text !== null; text = reader.next()) {
      if (text === '') continue;
      const decoded = decoder.decode(parse(path, reader.lineNumber, text));
      if (!decoded.ok) throw new InputError(`${path}:${reader.lineNumber}: ${decoded.message}`);
      records.push(decoded.record);
    }
    return { header: header.header, start: startMs, records };
  } finally {
    reader.close();
  }
}
