import { toInstant } from '../../machines/time.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { decodeTimestamp } from '../codec/index.ts';
import { InputError } from '../errors.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { withoutCr } from '../files/line-splitter.ts';
import { duplicateKeyProblem, findDuplicateKey } from '../fleet-file/json-duplicate-keys.ts';
import { MAX_NESTING, tooDeepAt } from '../fleet-file/nesting.ts';
import { TraceDecoder } from './decode-record.ts';
import type { TraceHeader } from './format.ts';
import { LineReader } from './line-reader.ts';
import { decodeHeader } from './schema.ts';

/*
 * The one way a `rollout-sim-trace/1` file is read (DESIGN §4.5), by every command that
 * takes one: `replay` (plain, `--json`, `--check`, `--verify`), the replay screen and
 * `report`. Whatever is wrong stops with the path and the line, in the same words
 * whichever command read it:
 *
 * - the file ends with a line break or without one, alike; a line may end with CRLF (a
 *   copy that went through a Windows checkout or editor): the `\r` is not the line's, so
 *   `replay --verify` compares the rest as every other reader parses it;
 * - a blank line, wherever it is (a trailing one too), is an error naming it: a JSON
 *   Lines file holds one value on every line, and `replay --verify` compares line by line;
 * - the `end` record is the last line: anything after it is an error naming it;
 * - a trace with no `end` record (a run killed before it could write one; a header alone)
 *   reads up to where it stops, and `end` is null: each command says so in its own way
 *   (`incompleteTrace` is the words).
 */

/**
 * The lines of a trace file, numbered from 1, without the `\r` of a CRLF line break; a
 * blank line is refused with its number.
 */
export class TraceLines {
  private readonly reader: LineReader;

  constructor(readonly path: string) {
    try {
      this.reader = new LineReader(path);
    } catch (error) {
      // LineReader's own errors already name the path and say what went wrong.
      if (error instanceof InputError) throw error;
      throw new InputError(`${path}: cannot read: ${fsProblem(error)}`);
    }
  }

  /** 1-based number of the last line returned. */
  get lineNumber(): number {
    return this.reader.lineNumber;
  }

  /** The next line, or null at the end of the file. */
  next(): string | null {
    const read = this.reader.next();
    if (read === null) return null;
    const line = withoutCr(read);
    if (line.trim() === '')
      throw new InputError(
        `${this.path}:${this.lineNumber}: a blank line: a trace holds one JSON record on every line`,
      );
    return line;
  }

  close(): void {
    this.reader.close();
  }
}

export interface TraceRead {
  readonly header: TraceHeader;
  /** The run's start on the virtual clock (the header's `start`). */
  readonly start: number;
  /** The lines read, the header's included. */
  readonly lines: number;
  /** The `end` record, by its line, and its summary as written; null when there is none. */
  readonly end: { readonly line: number; readonly summary: unknown } | null;
  /** The header's `source`, an extra field: `audit` for a trace no simulation wrote. */
  readonly source: string | null;
}

/**
 * What is wrong with a trace of `lines` lines that has no `end` record, after the line
 * number it names (`path:N: …`, `line N: …`).
 */
export function incomplete(lines: number): string {
  return lines <= 1
    ? 'the trace ends after its header, with no records and no "end" record: incomplete (was the run cut short?)'
    : 'the trace ends here without an "end" record: incomplete (was the run cut short?)';
}

/** `path:N: the trace ends here without an "end" record: …`, N its last line. */
export function incompleteTrace(path: string, lines: number): string {
  return `${path}:${Math.max(1, lines)}: ${incomplete(lines)}`;
}

/**
 * A key `text` repeats, which JSON.parse kept only the last of (an edited `seed` could
 * hide another), as a problem line. The trace writer's own lines print back to
 * themselves exactly, so only a line that does not (edited, or another writer's) pays
 * for the scan: it is 4× JSON.parse.
 */
function repeatedKey(text: string, json: unknown): string | null {
  if (JSON.stringify(json) === text) return null;
  const duplicate = findDuplicateKey(text);
  return duplicate === null ? null : duplicateKeyProblem(duplicate);
}

function parse(path: string, line: number, text: string): unknown {
  // JSON.parse takes any depth, but what walks the value after it recurses (a line of
  // 5,000 `[` overflowed the stack in the key check): refused as fleet files are.
  const deep = tooDeepAt(text, false);
  if (deep !== null)
    throw new InputError(`${path}:${line}:${deep + 1}: nested deeper than ${MAX_NESTING} levels`);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}:${line}: not valid JSON: ${(error as Error).message}`);
  }
}

/** Line 1 of a trace: its header, decoded and checked, and where its clock starts. */
function readHeader(lines: TraceLines): { header: TraceHeader; json: unknown; start: number } {
  const { path } = lines;
  const first = lines.next();
  if (first === null)
    throw new InputError(`${path}: empty file, expected a rollout-sim-trace/1 header`);
  const json = parse(path, 1, first);
  const repeated = repeatedKey(first, json);
  if (repeated !== null) throw new InputError(`${path}:1: header: ${repeated}`);
  const header = decodeHeader(json);
  if (!header.ok) throw new InputError(`${path}:1: header: ${header.message}`);
  const startText = (json as { start?: unknown }).start;
  let start = RUN_START;
  if (startText !== undefined) {
    const d = decodeTimestamp(startText);
    if (!d.ok) throw new InputError(`${path}:1: header: start: ${d.error.message}`);
    start = toInstant(d.value);
  }
  return { header: header.header, json, start };
}

/**
 * The header of the trace at `path`, read without the records after it: the fleet a
 * trace ran (`--fleet TRACE`), however long the trace, where its clock starts and who
 * wrote it.
 */
export function readTraceHeader(path: string): Pick<TraceRead, 'header' | 'start' | 'source'> {
  const lines = new TraceLines(path);
  try {
    const { header, json, start } = readHeader(lines);
    return { header, start, source: sourceOf(json) };
  } finally {
    lines.close();
  }
}

/** The header's `source`, an extra field some writers add (`audit`). */
function sourceOf(json: unknown): string | null {
  const source = (json as { source?: unknown }).source;
  return typeof source === 'string' ? source : null;
}

/**
 * Reads `path` through: the header first, handed to `open`, which returns what takes each
 * decoded record after it. A trace with no `end` record is read to where it stops.
 */
export function readTrace(
  path: string,
  open: (header: TraceHeader, start: number) => (record: TraceRecord) => void = () => () => {},
): TraceRead {
  const lines = new TraceLines(path);
  try {
    const { header, json, start } = readHeader(lines);
    const record = open(header, start);
    const decoder = new TraceDecoder(start, header.fleet);
    let end: TraceRead['end'] = null;
    for (let text = lines.next(); text !== null; text = lines.next()) {
      const n = lines.lineNumber;
      if (end !== null)
        throw new InputError(
          `${path}:${n}: a line after the "end" record of line ${end.line}: the end record is the last`,
        );
      const line = parse(path, n, text);
      const repeated = repeatedKey(text, line);
      if (repeated !== null) throw new InputError(`${path}:${n}: ${repeated}`);
      const decoded = decoder.decode(line);
      if (!decoded.ok) throw new InputError(`${path}:${n}: ${decoded.message}`);
      if (decoded.record.type === 'end')
        end = { line: n, summary: (line as { summary: unknown }).summary };
      record(decoded.record);
    }
    return { header, start, lines: lines.lineNumber, end, source: sourceOf(json) };
  } finally {
    lines.close();
  }
}
