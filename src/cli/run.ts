import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { Simulation } from '../../sim/simulate.ts';
import type { RunSummary } from '../../sim/summary.ts';
import { encodeSummary } from '../trace/summary-json.ts';
import { TraceWriter } from '../trace/writer.ts';
import { type RunFlags, type RunSetup, resolveRun } from './run-options.ts';
import { signalExitStatus, stepUntilDone, watchStopSignals } from './signals.ts';
import { span, summaryText } from './summary-text.ts';

export interface RunCommandFlags extends RunFlags {
  readonly trace?: string;
  readonly json: boolean;
  /** False with `--no-ui`. */
  readonly ui?: boolean;
}

function openTrace(flags: RunCommandFlags, setup: RunSetup): TraceWriter | undefined {
  return flags.trace === undefined
    ? undefined
    : new TraceWriter(
        flags.trace,
        {
          seed: setup.seed,
          profile: setup.profile,
          fleet: setup.fleet,
          settings: { ...DEFAULT_SETTINGS, ...setup.settings },
          untilSeconds: setup.untilSeconds ?? null,
        },
        { inputs: flags.fleet === undefined ? [] : [{ flag: '--fleet', path: flags.fleet }] },
      );
}

/**
 * A run that throws part-way still leaves a readable trace: its summary so far, marked
 * `error`; if even that cannot be built, the partial file is removed.
 */
function endOnError(writer: TraceWriter | undefined, summary: () => RunSummary): void {
  if (writer === undefined || writer.complete) return;
  try {
    writer.finishEarly('error', summary());
  } catch {
    writer.discard();
  }
}

/**
 * `rollout-sim run` on a terminal: the live UI until `q`, then the summary on the
 * normal screen. Flags are checked before the screen opens, so a usage error reads as
 * one line, as without the UI.
 */
export async function runLiveCommand(
  flags: RunCommandFlags,
  out: (line: string) => void,
): Promise<void> {
  const setup = resolveRun(flags);
  const writer = openTrace(flags, setup);
  let partial: (() => RunSummary) | null = null;
  try {
    // Loaded only here: plain commands never pay for React and Ink.
    const { startLive } = await import('../ui/live/start-live.ts');
    const outcome = await startLive(setup, {
      ...(writer === undefined ? {} : { sink: writer.record }),
      finish: writer !== undefined,
      onSimulation: (summary) => {
        partial = summary;
      },
    });
    const { summary, completed, signal } = outcome;
    if (signal !== null) {
      // The summary so far is still printed below, as for `q`.
      writer?.finishEarly('interrupted', summary);
      process.stderr.write(
        `rollout-sim: interrupted by ${signal} at simulated ${span(summary.simSeconds)}${flags.trace === undefined ? '' : `; ${flags.trace} ends with "ended": "interrupted"`}\n`,
      );
      process.exitCode = signalExitStatus(signal);
    }
    const lines = summaryText(summary);
    // A run quit early did not reach --until; say what happened instead.
    if (!completed)
      lines[1] = (lines[1] ?? '').replace(/^stopped at the horizon/, 'quit before the end,');
    writer?.close();
    for (const line of lines) out(line);
    if (flags.trace !== undefined) out(`trace: ${flags.trace}`);
  } catch (error) {
    const summary = partial as (() => RunSummary) | null;
    if (summary === null) writer?.discard();
    else endOnError(writer, summary);
    throw error;
  } finally {
    writer?.close();
  }
}

/**
 * `rollout-sim run` without the UI: simulate, stream the trace, print the summary. The
 * run yields to the event loop every 50 ms so Ctrl-C or `kill` is seen; the trace then
 * ends with `"ended": "interrupted"` and the exit status is 128 + the signal.
 */
export async function runCommand(
  flags: RunCommandFlags,
  out: (line: string) => void,
): Promise<void> {
  const setup = resolveRun(flags);
  const writer = openTrace(flags, setup);
  const tty = process.stderr.isTTY === true && !flags.json;
  const started = performance.now();
  const signals = watchStopSignals();
  let sim: Simulation | null = null;
  try {
    const running = new Simulation({
      ...setup,
      ...(setup.untilSeconds === undefined ? {} : { untilSeconds: setup.untilSeconds }),
      ...(writer === undefined ? {} : { sink: writer.record }),
      ...(tty
        ? {
            onProgress: (simSeconds: number, delivered: number) => {
              const wall = (performance.now() - started) / 1000;
              process.stderr.write(
                `\r\x1b[2Ksimulated ${span(simSeconds)}, ${delivered.toLocaleString('en-US')} events, ${wall.toFixed(1)} s`,
              );
            },
          }
        : {}),
    });
    sim = running;
    const signal = await stepUntilDone(running, signals);
    if (signal !== null) {
      if (tty) process.stderr.write('\r\x1b[2K');
      const summary = running.summary();
      writer?.finishEarly('interrupted', summary);
      process.stderr.write(
        `rollout-sim: interrupted by ${signal} at simulated ${span(summary.simSeconds)}${flags.trace === undefined ? '' : `; ${flags.trace} ends with "ended": "interrupted"`}\n`,
      );
      process.exitCode = signalExitStatus(signal);
      return;
    }
    const summary = { ...running.summary(), wallSeconds: (performance.now() - started) / 1000 };
    // The trace is complete before anything is printed: a write that fails (a full
    // device) is then the one line the user sees, not a summary followed by an error.
    writer?.close();
    if (tty) process.stderr.write('\r\x1b[2K');
    if (flags.json) out(JSON.stringify(encodeSummary(summary)));
    else {
      for (const line of summaryText(summary)) out(line);
      if (flags.trace !== undefined) out(`trace: ${flags.trace}`);
    }
  } catch (error) {
    const failed = sim;
    if (failed === null) writer?.discard();
    else endOnError(writer, () => failed.summary());
    throw error;
  } finally {
    signals.stop();
    writer?.close();
  }
}
