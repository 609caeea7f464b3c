import type { Command } from 'commander';
import { counted } from '../../../sim/counted.ts';
import { wantsUi } from '../../ui/tty.ts';
import { UsageError } from '../usage-error.ts';
import { print } from './io.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'show a recorded trace (on a terminal), check it, or re-simulate and compare (--verify)',
    )
    .argument('<trace>', 'a rollout-sim-trace/1 file')
    .option(
      '--verify',
      're-simulate from the header and report the first divergence (not with --check)',
      false,
    )
    .option(
      '--check',
      'run the invariant monitors over the trace and report every violation (not with --verify)',
      false,
    )
    .option('--json', 'print the result as JSON', false)
    .option('--no-ui', 'plain output even on a terminal (the default when not on one)')
    .action(
      async (
        trace: string,
        flags: { verify: boolean; check: boolean; json: boolean; ui?: boolean },
      ) => {
        // Each prints its own report (and its own --json object) and exit status.
        if (flags.check && flags.verify)
          throw new UsageError(
            '--check and --verify: choose one (run replay once with each to do both)',
          );
        if (flags.check) {
          const { checkTrace, formatTraceCheck, traceCheckFailed } = await import(
            '../replay-check.ts'
          );
          const result = checkTrace(trace);
          if (flags.json) {
            print(
              JSON.stringify({
                complete: result.end !== null,
                resimulated: result.divergence === null,
                divergence: result.divergence,
                stopped: result.stopped,
                violations: result.violations,
                unchecked: result.unchecked,
                partial: result.partial,
              }),
            );
          } else {
            for (const line of formatTraceCheck(trace, result)) print(line);
          }
          process.exitCode = traceCheckFailed(result) ? 1 : 0;
          return;
        }
        const { validateTrace, verifyTrace } = await import('../replay.ts');
        if (!flags.verify && wantsUi(flags)) {
          // Loaded only here: plain commands never pay for React and Ink.
          const { openTraceReplay } = await import('../../ui/replay/open-trace.ts');
          await openTraceReplay(trace);
          return;
        }
        if (flags.verify) {
          const { divergence, lines } = verifyTrace(trace);
          if (flags.json)
            print(JSON.stringify({ verified: divergence === null, lines, divergence }));
          else
            print(
              divergence === null
                ? `verified: ${counted(lines, 'line')} identical`
                : `diverges at ${divergence}`,
            );
          process.exitCode = divergence === null ? 0 : 1;
          return;
        }
        const { lines, summary } = validateTrace(trace);
        if (flags.json) print(JSON.stringify(summary));
        else print(`${trace}: ${counted(lines, 'line')}, well-formed rollout-sim-trace/1`);
      },
    );
}
