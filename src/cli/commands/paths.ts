import { type Command, Option } from 'commander';
import type { MachineName } from '../../paths/search.ts';
import type { PathsOptions } from '../paths.ts';
import { UsageError } from '../usage-error.ts';
import { print } from './io.ts';
import { MACHINE_NAMES } from './names.ts';

export function registerPaths(program: Command): void {
  program
    .command('paths')
    .description(
      'shortest event sequences (via xstate/graph) to a state or a table cell, as step input lines',
    )
    .addArgument(program.createArgument('<machine>', 'which machine').choices(MACHINE_NAMES))
    .option('--to <state>', 'the state to reach')
    .option('--cell <state:event>', 'one cell of the table: reach STATE, then offer EVENT')
    .option('--from <state>', 'start where the shortest path to this state ends')
    .option(
      '--all',
      `simple paths instead of the shortest (--to only, shortest first, bounded)`,
      false,
    )
    .addOption(
      new Option('--policy <policy>', 'host on_health_failure policy (host machine only)')
        .choices(['halt', 'rollback-and-halt'])
        .default('rollback-and-halt'),
    )
    .option('--json', 'one JSON array of {label, steps}', false)
    .addHelpText(
      'after',
      '\nExample:\n  rollout-sim paths host --to Reverted --policy rollback-and-halt | rollout-sim step',
    )
    .action(async (machine: MachineName, options: PathsOptions, command: Command) => {
      if (machine === 'rollout' && command.getOptionValueSource('policy') === 'cli')
        throw new UsageError('--policy: only for the host machine (the rollout machine has none)');
      const { pathsOutput } = await import('../paths.ts');
      const { lines, found } = pathsOutput(machine, options);
      if (!found) {
        process.stderr.write('rollout-sim: no path reaches that target\n');
        process.exitCode = 1;
        return;
      }
      // Zero step lines is the right answer for a pipe into step, but a silent one.
      if (lines.length === 0)
        process.stderr.write(
          `rollout-sim: the path starts in ${options.to ?? 'that state'} already: it has no step\n`,
        );
      for (const line of lines) print(line);
    });
}
