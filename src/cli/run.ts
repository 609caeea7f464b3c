import { simulate } from '../../sim/simulate.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { encodeSummary } from '../trace/summary-json.ts';
import { TraceWriter } from '../trace/writer.ts';
import { type RunFlags, resolveRun } from './run-options.ts';
import { span, summaryText } from './summary-text.ts';

export interface RunCommandFlags extends RunFlags {
  readonly trace?: string;
  readonly json: boolean;
}

/** `rollout-sim run` without the UI: simulate, stream the trace, print the summary. */
export function runCommand(flags: RunCommandFlags, out: (line: string) => void): void {
  const setup = resolveRun(flags);
  const writer =
    flags.trace === undefined
      ? undefined
      : new TraceWriter(flags.trace, {
          seed: setup.seed,
          profile: setup.profile,
          fleet: setup.fleet,
          settings: { ...DEFAULT_SETTINGS, ...setup.settings },
          untilSeconds: setup.untilSeconds ?? null,
        });
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
              process.stderr.write(`\r\x1b[2Ksimulated ${span(simSeconds)}, ${delivered.toLocaleString('en-US')} events, ${wall.toFixed(1)} s`);
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
