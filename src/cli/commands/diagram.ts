import { type Command, Option } from 'commander';
import { MACHINES } from '../../../machines/catalog.ts';
import { DIAGRAM_FORMATS, type DiagramFormat, diagram } from '../../diagram/index.ts';
import { toLayoutDot } from '../../diagram/layout-dot.ts';
import { diagramModel } from '../../diagram/model.ts';
import { reachedIn } from '../../diagram/reached.ts';
import { dotToSvg } from '../../diagram/svg.ts';
import { UsageError } from '../usage-error.ts';

interface DiagramOptions {
  readonly format: DiagramFormat | 'svg';
  readonly all: boolean;
  readonly highlight: boolean;
  readonly trace?: string;
}

export function registerDiagram(program: Command): void {
  program
    .command('diagram')
    .description('draw a machine from its definition')
    .addArgument(
      program.createArgument('<machine>', 'which machine').choices(Object.keys(MACHINES)),
    )
    .addOption(
      new Option('--format <format>', 'output format')
        .choices([...DIAGRAM_FORMATS, 'svg'])
        .default('mermaid'),
    )
    .option('--all', 'include no-op and error cells', false)
    .option('--highlight', 'svg: mark the states and cells the --trace reached', false)
    .option('--trace <file>', 'the trace --highlight reads')
    .action(async (machine: keyof typeof MACHINES, options: DiagramOptions) => {
      if (options.highlight !== (options.trace !== undefined)) {
        throw new UsageError('--highlight and --trace FILE go together');
      }
      if (options.highlight && options.format !== 'svg') {
        throw new UsageError('--highlight draws on the picture: add --format svg');
      }
      if (options.format !== 'svg') {
        process.stdout.write(diagram(MACHINES[machine], options.format, { all: options.all }));
        return;
      }
      const reached = options.trace === undefined ? undefined : reachedIn(options.trace, machine);
      const model = diagramModel(MACHINES[machine], { all: options.all });
      process.stdout.write(await dotToSvg(toLayoutDot(model, reached)));
    });
}
