import { type Command, Option } from 'commander';
import { DIAGRAM_FORMATS, type DiagramFormat } from '../../diagram/formats.ts';
import { UsageError } from '../usage-error.ts';
import { writeOut } from './io.ts';
import { MACHINE_NAMES } from './names.ts';

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
    .addArgument(program.createArgument('<machine>', 'which machine').choices(MACHINE_NAMES))
    .addOption(
      new Option('--format <format>', 'output format')
        .choices([...DIAGRAM_FORMATS, 'svg'])
        .default('mermaid'),
    )
    .option('--all', 'include no-op and error cells', false)
    .option('--highlight', 'svg: mark the states and cells the --trace reached', false)
    .option('--trace <file>', 'the trace --highlight reads')
    .action(async (machine: (typeof MACHINE_NAMES)[number], options: DiagramOptions) => {
      if (options.highlight !== (options.trace !== undefined)) {
        throw new UsageError('--highlight and --trace FILE go together');
      }
      if (options.highlight && options.format !== 'svg') {
        throw new UsageError('--highlight draws on the picture: add --format svg');
      }
      const { MACHINES } = await import('../../../machines/catalog.ts');
      if (options.format !== 'svg') {
        const { diagram } = await import('../../diagram/index.ts');
        writeOut(diagram(MACHINES[machine], options.format, { all: options.all }));
        return;
      }
      const { reachedIn } = await import('../../diagram/reached.ts');
      const { diagramModel } = await import('../../diagram/model.ts');
      const { toLayoutDot } = await import('../../diagram/layout-dot.ts');
      const { dotToSvg } = await import('../../diagram/svg.ts');
      const reached = options.trace === undefined ? undefined : reachedIn(options.trace, machine);
      const model = diagramModel(MACHINES[machine], { all: options.all });
      writeOut(await dotToSvg(toLayoutDot(model, reached)));
    });
}
