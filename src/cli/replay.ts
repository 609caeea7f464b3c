import { caseChoices } from '../../sim/check/property-check.ts';
import { PlannedChoices } from '../../sim/explore/planned-choices.ts';
import { plainEqual } from '../../sim/plain-equal.ts';
import { type SimulationOptions, simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import { AUDIT_SOURCE } from '../audit/write-trace.ts';
import { encodeTimestamp } from '../codec/index.ts';
import type { TraceHeader } from '../trace/format.ts';
import { encodeRecord } from '../trace/format.ts';
import {
  incomplete,
  incompleteTrace,
  readTrace,
  TraceLines,
  type TraceRead,
} from '../trace/read-trace.ts';
import { InputError } from './usage-error.ts';

/**
 * `replay TRACE` without the screen: every line read as every reader reads it
 * (`readTrace`); returns the `end` record's summary as written. A trace with no `end`
 * record is incomplete: an error naming its last line.
 */
export function validateTrace(path: string): { lines: number; summary: unknown } {
  const { lines, end } = readTrace(path);
  if (end === null) throw new InputError(incompleteTrace(path, lines));
  return { lines, summary: end.summary };
}

/**
 * The recorded line holds the record the simulation gives: the same text, or the same
 * JSON value written otherwise (spaces after `:` and `,`, a re-indenting editor or
 * pretty-printer, `\u0041` for `A`, `1.0` for `1`), as every other reader parses it. Key
 * order does not matter, a key more or less does. Returns null when it does not, else
 * the recorded value in the simulation's own form, so that the two read side by side.
 */
function mismatch(recorded: string, produced: string): string | null {
  if (recorded === produced) return null;
  // readTrace has parsed every line already: this one is valid JSON.
  const value: unknown = JSON.parse(recorded);
  const made = JSON.parse(produced) as { type?: unknown; summary?: Record<string, unknown> };
  // The end of a run that reached its horizon says what was still going on (`unsettled`)
  // since stop 38; a trace recorded before that is the same run without it.
  const summary = (value as { summary?: Record<string, unknown> }).summary;
  if (made.type === 'end' && summary !== undefined && !('unsettled' in summary))
    delete made.summary?.unsettled;
  return plainEqual(value, made) ? null : JSON.stringify(value);
}

/** How a recorded end record says its run was cut short (interrupted, error), or null. */
function stoppedEnd(line: string): string | null {
  const json = JSON.parse(line) as { type?: unknown; summary?: { ended?: unknown } };
  const ended = json.type === 'end' ? json.summary?.ended : undefined;
  return ended === 'interrupted' || ended === 'error' ? ended : null;
}

/**
 * Why a trace cannot be simulated again, or null when it can: a log `audit`
 * converted has no run behind it, and a moved start would read as another run while
 * every line still matched (records' `t` count from it, their events' times are absolute).
 */
export function notResimulable(read: Pick<TraceRead, 'source' | 'start'>): string | null {
  if (read.source === AUDIT_SOURCE)
    return `written by audit from a control plane's event log (header "source": "audit"), not by a simulation: there is no run to re-simulate`;
  if (read.start !== RUN_START)
    return `the header's start is ${encodeTimestamp(read.start)}, but every run starts at ${encodeTimestamp(RUN_START)}`;
  return null;
}

/** The run a trace's header describes: its fleet, profile, seed, settings and choices. */
export function runOf(h: TraceHeader): Omit<SimulationOptions, 'sink'> {
  return {
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
  };
}

/**
 * The records a re-simulation produces, held against the trace's lines as they come
 * (both streamed): `sink` takes each produced record, `divergence` is the first line that
 * differs, as one line, or null while every line matches. Opened after the header.
 */
export class TraceComparison {
  private readonly reader: TraceLines;
  divergence: string | null = null;
  /**
   * Where the recorded run was stopped (its `end` record says "interrupted" or "error"),
   * when every line before matched: the re-simulation is that run up to this line.
   */
  stopped: { readonly line: number; readonly ended: string } | null = null;

  constructor(path: string) {
    this.reader = new TraceLines(path);
    this.reader.next();
  }

  readonly sink = (record: TraceRecord): void => {
    if (this.divergence !== null) return;
    const produced = JSON.stringify(encodeRecord(record));
    const recorded = this.reader.next();
    const n = this.reader.lineNumber;
    // Every line before matched a record that was not the end: the trace has none.
    if (recorded === null) {
      this.divergence = `line ${Math.max(1, n)}: ${incomplete(n)}; up to here it matches the re-simulation`;
      return;
    }
    const differs = mismatch(recorded, produced);
    if (differs === null) return;
    const stopped = stoppedEnd(recorded);
    if (stopped !== null) this.stopped = { line: n, ended: stopped };
    this.divergence =
      stopped === null
        ? `line ${n}: recorded ${differs.slice(0, 200)} but the simulation gives ${produced.slice(0, 200)}`
        : `line ${n}: the run was stopped here ("ended": "${stopped}"), so the rest cannot be verified; up to here it matches the re-simulation`;
  };

  /** The lines compared, the header's included. */
  get lines(): number {
    return this.reader.lineNumber;
  }

  close(): void {
    this.reader.close();
  }
}

/**
 * `replay TRACE --verify`: read the trace through as every reader does (a malformed line
 * is its `path:N: what`, before anything is simulated), then run the simulation again
 * from its header and compare every record it produces with the recorded line, streaming
 * both. A line matches when it holds the same JSON value (`mismatch`): traces are JSON
 * Lines, and one that went through a formatter is still the same trace. Returns the
 * first divergence as one line, or null when the traces are identical; a trace with no
 * `end` record diverges where it stops.
 */
export function verifyTrace(path: string): { divergence: string | null; lines: number } {
  const read = readTrace(path);
  const not = notResimulable(read);
  if (read.source === AUDIT_SOURCE)
    throw new InputError(`${path}:1: ${not} (replay and replay --check read it)`);
  if (not !== null) return { divergence: `line 1: ${not}`, lines: 1 };
  const comparison = new TraceComparison(path);
  try {
    simulate({ ...runOf(read.header), sink: comparison.sink });
    // The simulation's last record is its end, and nothing follows a trace's (readTrace).
    return { divergence: comparison.divergence, lines: comparison.lines };
  } finally {
    comparison.close();
  }
}
