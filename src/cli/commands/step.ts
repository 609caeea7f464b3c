import type { Command } from 'commander';
import { stepExamples } from '../step-examples.ts';
import { print } from './io.ts';

export function registerStep(program: Command): void {
  program
    .command('step')
    .description('answer JSON Lines on stdin with one reducer step each (rollout or host input)')
    // Computed only when help is shown: it walks the machines.
    .addHelpText('after', () => stepExamples())
    .action(async () => {
      const { runStep } = await import('../step.ts');
      process.exitCode = await runStep(process.stdin, print);
    });
}
