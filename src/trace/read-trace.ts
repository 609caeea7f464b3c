import { toInstant } from '../../machines/time.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { InputError } from '../cli/usage-error.ts';
import { decodeTimestamp } from '../codec/index.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { TraceDecoder } from './decode-record.ts';
import type { TraceHeader } from './format.ts';
import { LineReader } from './line-reader.ts';
import { decodeHeader } from './schema.ts';

/*
 * A trace file streamed line by line: the header first, handed to `open`, which returns
 * what takes each decoded record after it. Whatever is wrong stops with the path and the
 * line (`replay --check` and the replay screen read traces this way).
 */

function parse(path: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}:${line}: not valid JSON: ${(error as Error).message}`);
  }
}

/** Reads `path` through; returns the header, the run's start and the number of lines. */
export function readTrace(
  path: string,
  open: (header: TraceHeader, start: number) => (record: TraceRecord) => void,
): { header: TraceHeader; start: number; lines: number } {
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
    let start = RUN_START;
    if (startText !== undefined) {
      const d = decodeTimestamp(startText);
      if (!d.ok) throw new InputError(`${path}:1: header: start: ${d.error.message}`);
      start = toInstant(d.value);
    }
    const record = open(header.header, start);
    const decoder = new TraceDecoder(start);
    for (let text = reader.next(); text !== null; text = reader.next()) {
      if (text === '') continue;
      const decoded = decoder.decode(parse(path, reader.lineNumber, text));
      if (!decoded.ok) throw new InputError(`${path}:${reader.lineNumber}: ${decoded.message}`);
      record(decoded.record);
    }
    return { header: header.header, start, lines: reader.lineNumber };
  } finally {
    reader.close();
  }
}
