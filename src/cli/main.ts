import { Command, CommanderError, Option } from 'commander';
import { MACHINES } from '../../machines/catalog.ts';
import { DIAGRAM_FORMATS, type DiagramFormat, diagram } from '../diagram/index.ts';
import { runStep } from './step.ts';
import { InputError, UsageError } from './usage-error.ts';
import { printWalkthrough } from './walkthrough.ts';

const program = new Command()
  .name('rollout-sim')
  .description('Simulate and verify nixfleet-style fleet rollouts.')
  .exitOverride()
  .showSuggestionAfterError()
  // Usage errors stay on one line, suggestion included.
  .configureOutput({ outputError: (text, write) => write(`rollout-sim: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`) });

program
  .command('step')
  .description('answer JSON Lines on stdin with one reducer step each (rollout or host input)')
  .action(async () => {
    process.exitCode = await runStep(process.stdin, (line: string) => process.stdout.write(`${line}\n`));
  });

program
  .command('diagram')
  .description('draw a machine from its definition')
  .addArgument(
    new Command().createArgument('<machine>', 'which machine').choices(Object.keys(MACHINES)),
  )
  .addOption(new Option('--format <format>', 'output format').choices(DIAGRAM_FORMATS).default('mermaid'))
  .option('--all', 'include no-op and error cells', false)
  .action((machine: keyof typeof MACHINES, options: { format: DiagramFormat; all: boolean }) => {
    process.stdout.write(diagram(MACHINES[machine], options.format, { all: options.all }));
  });

program
  .command('walkthrough')
  .description('walk one host through both machines: converge, roll back, supersede')
  .action(() => printWalkthrough((line) => process.stdout.write(`${line}\n`)));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not failures; everything else commander rejects is usage.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof UsageError) {
    process.stderr.write(`rollout-sim: ${error.message}\n`);
    process.exitCode = 2;
  } else if (error instanceof InputError) {
    process.stderr.write(`rollout-sim: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
