import type { Command } from 'commander';
import { print } from './io.ts';

export function registerWalkthrough(program: Command): void {
  program
    .command('walkthrough')
    .description('walk one host through both machines: converge, roll back, supersede')
    .action(async () => {
      const { printWalkthrough } = await import('../walkthrough.ts');
      printWalkthrough(print);
    });
}
