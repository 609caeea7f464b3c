import { counted } from '../../sim/counted.ts';
import {
  type CheckedRun,
  checkedRun,
  type Finding,
  InvariantChecker,
} from '../../sim/invariants/checker.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { Inspect, Invariant } from '../../sim/invariants/invariant.ts';
import { horizonOf } from '../../sim/simulate.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import type { TraceHeader } from '../trace/format.ts';
import { readTrace, readTraceHeader } from '../trace/read-trace.ts';
import { notResimulable, runOf, TraceComparison } from './replay.ts';

/*
 * `replay TRACE --check`: the invariant monitors of `check`, over a trace file instead
 * of a live run, streamed line by line (a 10k-host trace is ~26 MB).
 *
 * A monitor may look past the trace at the live host records (`Inspect`), and some judge
 * the host steps; a trace file holds neither. So a trace that is what its header's run
 * gives, record for record (what `replay --verify` checks), is judged on that run, live,
 * by every invariant, as `check` judges it; a run stopped by a signal or an error, up to
 * the line where it stopped. Any other (hand-edited, cut off with no end record, written
 * by `audit` or by another version) is judged from its records alone: each invariant gets
 * its own checker and an `Inspect` that has no records, and one that asks for one is
 * reported as not checkable from a trace, never as broken or as passing.
 */

/** One broken invariant, as `replay --check --json` prints it. */
export interface TraceViolation {
  readonly invariant: string;
  /** A known deviation of the trace's profile (the spec item), or null for a real failure. */
  readonly known: string | null;
  /** The 1-based line of the trace record that broke it (the `end` record's, judged at the end). */
  readonly record: number;
  readonly message: string;
}

export interface TraceCheck {
  readonly lines: number;
  /**
   * The line of the `end` record, or null for a trace with none (a run killed before it
   * wrote one): what is there is checked, the end of the run cannot be judged.
   */
  readonly end: number | null;
  readonly violations: readonly TraceViolation[];
  /** Invariants that need live host records, which a trace does not carry. */
  readonly unchecked: readonly string[];
  /** Invariants checked on the trace's rollout records only: host steps are not traced. */
  readonly partial: readonly string[];
  /**
   * Null when the trace is what its header's run gives, record for record: then every
   * invariant judged that run, live records and host steps included, as `check` does.
   * Else why it was judged from its records alone (a hand-edited trace, one `audit`
   * wrote, one cut short, or one an older rollout-sim wrote).
   */
  readonly divergence: string | null;
  /** How a re-simulated run's trace says it was stopped ("interrupted", "error"), or null. */
  readonly stopped: string | null;
}

/** An `Inspect` with no live records, noting whether it was asked. */
function blindInspect(): { inspect: Inspect; asked: () => boolean } {
  let asked = false;
  const none = () => {
    asked = true;
    return undefined;
  };
  return {
    inspect: {
      cpHost: none,
      agentHost: none,
      agentRecords: () => {
        asked = true;
        return new Map();
      },
      running: () => {
        asked = true;
        return '';
      },
    },
    asked: () => asked,
  };
}

/**
 * Every invariant's monitor over a stream of trace records, each with its own checker
 * and a blind `Inspect` (see above). Used by `replay --check` and by `audit`.
 */
export class TraceMonitors {
  private readonly checkers: {
    invariant: Invariant;
    checker: InvariantChecker;
    asked: () => boolean;
  }[];
  private summary: RunSummary | null = null;
  private lastT = 0;

  /**
   * `horizon`: the instant a rollout-sim run could not go past, which it ends before only
   * once nothing is left to happen; none for a log (`audit`), a window on a live system.
   */
  constructor(
    header: TraceHeader,
    invariants: readonly Invariant[] = INVARIANTS,
    horizon?: number,
  ) {
    this.checkers = invariants.map((invariant) => {
      const blind = blindInspect();
      const checker = new InvariantChecker(
        {
          fleet: header.fleet,
          profile: header.profile,
          settings: header.settings,
          inspect: blind.inspect,
          ...(horizon === undefined ? {} : { horizon }),
        },
        [invariant],
      );
      return { invariant, checker, asked: blind.asked };
    });
  }

  observe(record: TraceRecord): void {
    this.lastT = record.t;
    if (record.type === 'end') this.summary = record.summary;
    // A monitor that has asked for a live record is unchecked, whatever it says later:
    // it is fed no more (the soak monitors sample every soaking host at every record,
    // which made a 100k-host trace take minutes).
    for (const c of this.checkers) if (!c.asked()) c.checker.observe(record);
  }

  /** The violations, `record` numbered from `firstNumber` for the first record. */
  result(firstNumber: number): {
    violations: TraceViolation[];
    unchecked: string[];
    partial: string[];
  } {
    const summary = this.summary;
    if (summary !== null)
      for (const c of this.checkers) if (!c.asked()) c.checker.finish(summary, this.lastT);
    const violations: Finding[] = [];
    const unchecked: string[] = [];
    const partial = this.checkers
      .filter((c) => c.checker.watchesHostSteps && !c.asked())
      .map((c) => c.invariant.id);
    for (const c of this.checkers) {
      if (c.asked()) {
        unchecked.push(c.invariant.id);
        continue;
      }
      violations.push(...c.checker.failures, ...c.checker.deviations);
    }
    return { violations: traceViolations(violations, firstNumber), unchecked, partial };
  }
}

/**
 * The most hosts a trace's fleet may have to be judged on its re-simulated run: every
 * monitor with live records costs more than the simulation itself (a 100,000-host trace
 * took 66 s and 1 GB so, against 25 s and 0.6 GB from its records), and the traces a
 * designer checks (`check`'s and `explore`'s counterexamples, a run of a fleet file) are
 * far smaller.
 */
export const RESIMULATE_HOSTS = 10_000;

export function checkTrace(
  path: string,
  invariants: readonly Invariant[] = INVARIANTS,
  mostHosts = RESIMULATE_HOSTS,
): TraceCheck {
  const head = readTraceHeader(path);
  const hosts = Object.keys(head.header.fleet.hosts).length;
  const why =
    notResimulable(head) ??
    (hosts > mostHosts
      ? `a fleet of ${hosts.toLocaleString('en-US')} hosts, more than the ${mostHosts.toLocaleString('en-US')} a re-simulation judges live`
      : null);
  const byRecords = () => judge(path, invariants);
  if (why !== null) return { ...byRecords(), divergence: why, stopped: null };
  // Read through as every reader reads a trace first: a malformed line is its `path:N:
  // what`, before anything is simulated.
  const { lines, end } = readTrace(path);
  if (end === null)
    return { ...byRecords(), divergence: 'the trace has no end record', stopped: null };
  const comparison = new TraceComparison(path);
  let run: CheckedRun;
  try {
    run = checkedRun({
      ...runOf(head.header),
      invariants,
      sink: comparison.sink,
      // Past the first line that differs, the run judges nothing the report keeps.
      until: () => comparison.divergence !== null,
    });
  } finally {
    comparison.close();
  }
  const { stopped } = comparison;
  if (comparison.divergence !== null && stopped === null)
    return {
      ...byRecords(),
      divergence: `the re-simulation diverges at ${comparison.divergence}`,
      stopped: null,
    };
  // The header is line 1, so the n-th record (from 0) is line n + 2. A run stopped by a
  // signal or an error is the re-simulation up to its end record: what the monitors found
  // before that line is what they would have found in it, and its end is not judged.
  const found = [...run.failures, ...run.deviations].filter(
    (f) => stopped === null || f.record + 2 < stopped.line,
  );
  return {
    lines,
    end: end.line,
    violations: traceViolations(found, 2),
    unchecked: [],
    partial: [],
    divergence: null,
    stopped: stopped?.ended ?? null,
  };
}

/** Findings as the report lists them, in record order, `record` counted from `first`. */
function traceViolations(findings: readonly Finding[], first: number): TraceViolation[] {
  return findings
    .map((f) => ({
      invariant: f.invariant.id,
      known: f.deviation,
      record: f.record + first,
      message: f.message,
    }))
    .sort((a, b) => a.record - b.record || a.invariant.localeCompare(b.invariant));
}

/** The trace judged from its records alone, each invariant by its own monitor. */
function judge(
  path: string,
  invariants: readonly Invariant[],
): Omit<TraceCheck, 'divergence' | 'stopped'> {
  let monitors: TraceMonitors | undefined;
  const { lines, end } = readTrace(path, (header) => {
    const m = new TraceMonitors(header, invariants, horizonOf(header.untilSeconds));
    monitors = m;
    return (record) => m.observe(record);
  });
  return { lines, end: end?.line ?? null, ...(monitors as TraceMonitors).result(2) };
}

/** A failed check: a violation that is not a known deviation, or a trace with no end. */
export function traceCheckFailed(check: TraceCheck): boolean {
  return check.end === null || check.violations.some((v) => v.known === null);
}

/** The text report: one line per violation, then what could not be checked. */
export function formatTraceCheck(path: string, check: TraceCheck): string[] {
  const out: string[] = [];
  const failures = check.violations.filter((v) => v.known === null);
  out.push(
    `${path}: ${counted(check.lines, 'line')}, ${counted(failures.length, 'violation')}, ${counted(check.violations.length - failures.length, 'known deviation')}`,
  );
  for (const v of check.violations) {
    const tag = v.known === null ? 'VIOLATION' : 'known deviation';
    const where =
      v.record === check.end ? `line ${v.record}, the end of the run` : `line ${v.record}`;
    out.push(`  ${tag} ${v.invariant} at ${where}: ${v.message}`);
    if (v.known !== null) out.push(`    ${v.known}`);
  }
  // An incomplete trace says so below, which is why it was not re-simulated.
  if (check.end !== null)
    out.push(
      check.divergence !== null
        ? `  judged from the trace's records alone: ${check.divergence}`
        : check.stopped !== null
          ? `  every invariant judged on the run re-simulated from the header, up to line ${check.end}, where it was stopped ("ended": "${check.stopped}"): the end of the run is not judged`
          : '  every invariant judged on the run re-simulated from the header (the trace is what it gives)',
    );
  if (check.end === null)
    out.push(
      `  incomplete: the trace ends at line ${check.lines} without an "end" record (was the run cut short?): the end of the run is not judged`,
    );
  if (check.unchecked.length > 0) {
    out.push(
      `  not checkable from a trace (need live host records): ${check.unchecked.join(', ')}`,
    );
  }
  if (check.partial.length > 0) {
    out.push(
      `  checked on the rollout steps only (host steps are not traced): ${check.partial.join(', ')}`,
    );
  }
  return out;
}
