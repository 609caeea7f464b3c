// First, before React and Ink load (and no JSX in this file, whose runtime import would
// come first): their production builds.
import '../production.ts';
import { createElement } from 'react';
import type { Simulation } from '../../../sim/simulate.ts';
import type { RunSummary } from '../../../sim/summary.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import type { RunSetup } from '../../cli/run-options.ts';
import { stepUntilDone, watchStopSignals } from '../../cli/signals.ts';
import { runFullScreen } from '../terminal.ts';
import { LiveApp } from './LiveApp.tsx';
import { LiveSession } from './session.ts';

/*
 * `run` on a terminal. The run is shown live until `q`; then the screen is given back
 * and the caller prints the summary. A trace being written must end with its `end`
 * record to be replayable, so a run quit early is finished off-screen when one is.
 */

export interface LiveOutcome {
  readonly summary: RunSummary;
  /** False when the user quit before the run ended (and no trace needed finishing). */
  readonly completed: boolean;
  /** The signal that closed the screen (the run is then not finished), else null. */
  readonly signal: NodeJS.Signals | null;
}

export async function startLive(
  setup: RunSetup,
  options: {
    readonly sink?: (record: TraceRecord) => void;
    readonly finish: boolean;
    /** Called once the simulation exists, with a way to read its summary so far. */
    readonly onSimulation?: (summary: () => RunSummary) => void;
  },
): Promise<LiveOutcome> {
  const session = new LiveSession({
    fleet: setup.fleet,
    profile: setup.profile,
    seed: setup.seed,
    settings: setup.settings,
    ...(setup.untilSeconds === undefined ? {} : { untilSeconds: setup.untilSeconds }),
    ...(options.sink === undefined ? {} : { sink: options.sink }),
  });
  const sim: Simulation = session.sim;
  options.onSimulation?.(() => sim.summary());
  let signal = await runFullScreen(createElement(LiveApp, { session }));
  // A signal means "stop now": the trace is ended as interrupted, not finished off-screen.
  if (!sim.done && options.finish && signal === null) {
    process.stderr.write('finishing the run for the trace… (Ctrl-C ends it here)\n');
    const signals = watchStopSignals();
    try {
      signal = await stepUntilDone(sim, signals);
    } finally {
      signals.stop();
    }
  }
  return {
    // The run's own wall time, not the time its last screen stayed up.
    summary: { ...sim.summary(), wallSeconds: session.wallSeconds() },
    completed: sim.done,
    signal,
  };
}
