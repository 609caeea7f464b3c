import { fstatSync } from 'node:fs';
import type { Command } from 'commander';
import { InputError } from '../usage-error.ts';
import { print } from './io.ts';

/**
 * `examples` gives the input lines for each machine shown after the help; main loads it
 * only when help is asked for, since it walks the machines.
 */
export function registerStep(program: Command, examples: (() => string) | null): void {
  program
    .command('step')
    .description('answer JSON Lines on stdin with one reducer step each (rollout or host input)')
    // Computed only when help is shown: it walks the machines.
    .addHelpText('after', () => examples?.() ?? '')
    .action(async () => {
      // Node reads a directory on stdin (`step < dir`) as an empty input: no answer, exit 0.
      if (fstatSync(0).isDirectory())
        throw new InputError('standard input: a directory, expected JSON Lines of step inputs');
      const { runStep } = await import('../step.ts');
      process.exitCode = await runStep(process.stdin, print);
    });
}
