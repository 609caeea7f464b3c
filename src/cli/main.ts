import { Command, CommanderError } from 'commander';
import { registerAudit } from './commands/audit.ts';
import { registerCheck } from './commands/check.ts';
import { registerDiagram } from './commands/diagram.ts';
import { registerExplore } from './commands/explore.ts';
import { registerMachine } from './commands/machine.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerStep } from './commands/step.ts';
import { registerWalkthrough } from './commands/walkthrough.ts';
import { InputError, UsageError } from './usage-error.ts';

// A reader that goes away (`| head`) ends the command quietly, as for any Unix tool.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const program = new Command()
  .name('rollout-sim')
  .description('Simulate and verify nixfleet-style fleet rollouts.')
  .exitOverride()
  .showSuggestionAfterError()
  // Usage errors stay on one line, suggestion included.
  .configureOutput({
    outputError: (text, write) => write(`rollout-sim: ${text.trim().replace(/\s*\n\s*/g, ' ')}\n`),
  });

// One file per command in ./commands.
registerRun(program);
registerReplay(program);
registerCheck(program);
registerExplore(program);
registerStep(program);
registerDiagram(program);
registerWalkthrough(program);
registerMachine(program);
registerAudit(program);

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
