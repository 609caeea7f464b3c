import { caseChoices } from '../../sim/check/property-check.ts';
import { PlannedChoices } from '../../sim/explore/planned-choices.ts';
import { simulate } from '../../sim/simulate.ts';
import { encodeRecord } from '../trace/format.ts';
import { incomplete, incompleteTrace, readTrace, TraceLines } from '../trace/read-trace.ts';
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
 * `replay TRACE --verify`: read the trace through as every reader does (a malformed line
 * is its `path:N: what`, before anything is simulated), then run the simulation again
 * from its header and compare every record it produces with the recorded line, streaming
 * both. Returns the first divergence as one line, or null when the traces are identical;
 * a trace with no `end` record diverges where it stops.
 */
export function verifyTrace(path: string): { divergence: string | null; lines: number } {
  const { header: h } = readTrace(path);
  const reader = new TraceLines(path);
  try {
    reader.next();
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
        // Every line before matched a record that was not the end: the trace has none.
        divergence =
          recorded === null
            ? `line ${Math.max(1, n)}: ${incomplete(n)}; up to here it matches the re-simulation`
            : `line ${n}: recorded ${recorded.slice(0, 200)} but the simulation gives ${produced.slice(0, 200)}`;
      },
    });
    // The simulation's last record is its end, and nothing follows a trace's (readTrace).
    return { divergence, lines: reader.lineNumber };
  } finally {
    reader.close();
  }
}
