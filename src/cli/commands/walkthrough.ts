import type { Command } from 'commander';
import { printWalkthrough } from '../walkthrough.ts';
import { print } from './io.ts';

export function registerWalkthrough(program: Command): void {
  program
    .command('walkthrough')
    .description('walk one host through both machines: converge, roll back, supersede')
    .action(() => printWalkthrough(print));
}
