import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import { encodeSummary } from '../trace/summary-json.ts';
import { TraceWriter } from '../trace/writer.ts';
import { type RunFlags, type RunSetup, resolveRun } from './run-options.ts';
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
    : new TraceWriter(flags.trace, {
        seed: setup.seed,
        profile: setup.profile,
        fleet: setup.fleet,
        settings: { ...DEFAULT_SETTINGS, ...setup.settings },
        untilSeconds: setup.untilSeconds ?? null,
      });
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
  try {
    // Loaded only here: plain commands never pay for React and Ink.
    const { startLive } = await import('../ui/live/start-live.ts');
    const { summary, completed } = await startLive(setup, {
      ...(writer === undefined ? {} : { sink: writer.record }),
      finish: writer !== undefined,
    });
    const lines = summaryText(summary);
    // A run quit early did not reach --until; say what happened instead.
    if (!completed)
      lines[1] = (lines[1] ?? '').replace(/^stopped at the horizon/, 'quit before the end,');
    for (const line of lines) out(line);
    if (flags.trace !== undefined) out(`trace: ${flags.trace}`);
  } finally {
    writer?.close();
  }
}

/** `rollout-sim run` without the UI: simulate, stream the trace, print the summary. */
export function runCommand(flags: RunCommandFlags, out: (line: string) => void): void {
  const setup = resolveRun(flags);
  const writer = openTrace(flags, setup);
  const tty = process.stderr.isTTY === true && !flags.json;
  const started = performance.now();
  try {
    const { summary } = simulate({
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
    if (tty) process.stderr.write('\r\x1b[2K');
    if (flags.json) out(JSON.stringify(encodeSummary(summary)));
    else {
      for (const line of summaryText(summary)) out(line);
      if (flags.trace !== undefined) out(`trace: ${flags.trace}`);
    }
  } finally {
    writer?.close();
  }
}
