import type { Command } from 'commander';
import { wantsUi } from '../../ui/tty.ts';
import type { CheckFlags, Counterexample } from '../check.ts';
import { UsageError } from '../usage-error.ts';
import { collect, print } from './io.ts';
import { fleetOptions } from './run.ts';

export function registerCheck(program: Command): void {
  fleetOptions(
    program
      .command('check')
      .description(
        'property-check the lifecycle invariants over generated fleets and faults (or one fixed fleet)',
      ),
  )
    .option('--runs <n>', 'generated cases', '100')
    .option('--seed <n>', "fast-check's seed (random when absent)")
    .option('--path <path>', 'replay one shrunk case, as printed after a failure (with its --seed)')
    .option(
      '--invariant <id>',
      'check only this invariant (repeatable; rollout.opened-once comes too: no monitor can follow a run past it)',
      collect,
      [],
    )
    .option(
      '--workers <n>',
      'worker threads for the runs, at most one per core (default: the available cores)',
    )
    .option(
      '--shard <K/N>',
      'check only the K-th of N slices of the runs (needs --seed; combine with --merge)',
    )
    .option(
      '--merge <reports...>',
      "merge the --json reports of check --shard 1/N … N/N into the whole run's report",
    )
    .option('--out <dir>', 'where to write the counterexample trace', '.')
    .option('--json', 'print the report as JSON', false)
    .option(
      '--open',
      'on a failure, open the minimal counterexample in the replay view at the violating step',
      false,
    )
    .option(
      '--no-ui',
      'plain output even on a terminal (check prints plain text anyway; with --open: print, do not open the replay view)',
    )
    .action(async (flags: CheckFlags & { merge?: string[] }, command: Command) => {
      if (flags.merge !== undefined) {
        // The shards' reports hold everything; any other flag would be silently ignored.
        const stray = command.options
          .filter((o) => !['merge', 'json'].includes(o.attributeName()))
          .filter((o) => command.getOptionValueSource(o.attributeName()) === 'cli')
          .map((o) => o.long ?? o.flags);
        if (stray.length > 0)
          throw new UsageError(
            `${stray.join(', ')}: not with --merge, which takes only the shard reports (and --json)`,
          );
        const { mergeReports } = await import('../check/merge-reports.ts');
        const merged = mergeReports(flags.merge);
        print(JSON.stringify(merged));
        process.exitCode = merged.failure === null ? 0 : 1;
        return;
      }
      if (flags.path !== undefined)
        // One case is replayed on one thread, whatever these say.
        for (const name of ['runs', 'workers'])
          if (command.getOptionValueSource(name) === 'cli')
            throw new UsageError(`--${name}: not with --path, which replays one case`);
      // Loaded when the command runs: other commands start without fast-check.
      const { checkCommand } = await import('../check.ts');
      let counterexample: Counterexample | null = null;
      process.exitCode = await checkCommand(flags, print, (c) => {
        counterexample = c;
      });
      const c = counterexample as Counterexample | null;
      if (flags.open === true && c !== null && wantsUi(flags)) {
        // Loaded only here: plain commands never pay for React and Ink.
        const { openReplay } = await import('../../ui/replay/open.ts');
        await openReplay(c.records, {
          at: c.index + 1,
          header: c.header,
          title: 'counterexample',
          marks: [{ index: c.index, label: c.label }],
          violation: { invariant: c.invariant, message: c.message, index: c.index },
        });
      }
    });
}
