import { caseChoices } from '../../sim/check/property-check.ts';
import { PlannedChoices } from '../../sim/explore/planned-choices.ts';
import { simulate } from '../../sim/simulate.ts';
import { fsProblem } from '../files/fs-problem.ts';
import { encodeRecord } from '../trace/format.ts';
import { LineReader } from '../trace/line-reader.ts';
import { checkRecord, decodeHeader } from '../trace/schema.ts';
import { InputError } from './usage-error.ts';

function parse(path: string, line: number, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(`${path}:${line}: not valid JSON: ${(error as Error).message}`);
  }
}

function open(path: string): LineReader {
  try {
    return new LineReader(path);
  } catch (error) {
    // LineReader's own errors already name the path and say what went wrong.
    if (error instanceof InputError) throw error;
    throw new InputError(`${path}: cannot read: ${fsProblem(error)}`);
  }
}

/** Checks every line of a trace against the format; returns the `end` record's summary. */
export function validateTrace(path: string): { lines: number; summary: unknown } {
  const reader = open(path);
  try {
    const first = reader.next();
    if (first === null)
      throw new InputError(`${path}: empty file, expected a rollout-sim-trace/1 header`);
    const header = decodeHeader(parse(path, 1, first));
    if (!header.ok) throw new InputError(`${path}:1: header: ${header.message}`);
    let summary: unknown = null;
    for (let text = reader.next(); text !== null; text = reader.next()) {
      const json = parse(path, reader.lineNumber, text);
      const check = checkRecord(json);
      if (!check.ok) throw new InputError(`${path}:${reader.lineNumber}: ${check.message}`);
      if ((json as { type: string }).type === 'end')
        summary = (json as { summary: unknown }).summary;
    }
    if (summary === null) throw new InputError(`${path}: no "end" record: the trace is incomplete`);
    return { lines: reader.lineNumber, summary };
  } finally {
    reader.close();
  }
}

/**
 * `replay TRACE --verify`: run the simulation again from the trace's header and compare
 * every record it produces with the recorded line, streaming both. Returns the first
 * divergence as one line, or null when the traces are identical.
 */
export function verifyTrace(path: string): { divergence: string | null; lines: number } {
  const reader = open(path);
  try {
    const first = reader.next();
    if (first === null)
      throw new InputError(`${path}: empty file, expected a rollout-sim-trace/1 header`);
    const decoded = decodeHeader(parse(path, 1, first));
    if (!decoded.ok) throw new InputError(`${path}:1: header: ${decoded.message}`);
    const h = decoded.header;
    let divergence: string | null = null;
    simulate({
      fleet: h.fleet,
      profile: h.profile,
      seed: h.seed,
      settings: h.settings,
      ...(h.untilSeconds === null ? {} : { untilSeconds: h.untilSeconds }),
      ...(h.explorePlan !== undefined
        ? { choices: new PlannedChoices(h.explorePlan) }
        : h.forcedFaults !== undefined
          ? { choices: caseChoices({ seed: h.seed, forced: h.forcedFaults }) }
          : {}),
      sink: (record) => {
        if (divergence !== null) return;
        const produced = JSON.stringify(encodeRecord(record));
        const recorded = reader.next();
        if (recorded === produced) return;
        const n = reader.lineNumber;
        divergence =
          recorded === null
            ? `line ${n + 1}: the trace ends, the simulation goes on with ${produced.slice(0, 200)}`
            : `line ${n}: recorded ${recorded.slice(0, 200)} but the simulation gives ${produced.slice(0, 200)}`;
      },
    });
    if (divergence === null) {
      const extra = reader.next();
      if (extra !== null)
        divergence = `line ${reader.lineNumber}: the simulation ended, the trace goes on with ${extra.slice(0, 200)}`;
    }
    return { divergence, lines: reader.lineNumber };
  } finally {
    reader.close();
  }
}
