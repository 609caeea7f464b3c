import type { Command } from 'commander';
import { type CheckFlags, checkCommand } from '../check.ts';
import { collect, print } from './io.ts';
import { fleetOptions } from './run.ts';

export function registerCheck(program: Command): void {
  fleetOptions(
    program
      .command('check')
      .description('property-check the lifecycle invariants over generated fleets and faults (or one fixed fleet)'),
  )
    .option('--runs <n>', 'generated cases', '100')
    .option('--seed <n>', "fast-check's seed (random when absent)")
    .option('--path <path>', 'replay one shrunk case, as printed after a failure (with its --seed)')
    .option('--invariant <id>', 'check only this invariant (repeatable)', collect, [])
    .option('--out <dir>', 'where to write the counterexample trace', '.')
    .option('--json', 'print the report as JSON', false)
    .action((flags: CheckFlags) => {
      process.exitCode = checkCommand(flags, print);
    });
}
