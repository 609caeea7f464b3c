import { type Command, Option } from 'commander';
import { MACHINES } from '../../../machines/catalog.ts';
import { DIAGRAM_FORMATS, type DiagramFormat, diagram } from '../../diagram/index.ts';

export function registerDiagram(program: Command): void {
  program
    .command('diagram')
    .description('draw a machine from its definition')
    .addArgument(
      program.createArgument('<machine>', 'which machine').choices(Object.keys(MACHINES)),
    )
    .addOption(
      new Option('--format <format>', 'output format').choices(DIAGRAM_FORMATS).default('mermaid'),
    )
    .option('--all', 'include no-op and error cells', false)
    .action((machine: keyof typeof MACHINES, options: { format: DiagramFormat; all: boolean }) => {
      process.stdout.write(diagram(MACHINES[machine], options.format, { all: options.all }));
    });
}
