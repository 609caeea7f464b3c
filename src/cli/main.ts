import { Command, CommanderError, Option } from 'commander';
import { MACHINES } from '../../machines/catalog.ts';
import { DIAGRAM_FORMATS, type DiagramFormat, diagram } from '../diagram/index.ts';
import { presetNames } from '../../sim/fleet/presets/index.ts';
import { PROFILES } from '../../sim/profile.ts';
import { validateTrace, verifyTrace } from './replay.ts';
import { type RunCommandFlags, runCommand } from './run.ts';
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

const print = (line: string) => process.stdout.write(`${line}\n`);
const collect = (value: string, previous: string[]) => [...previous, value];

program
  .command('run')
  .description('simulate a fleet rollout and print its summary')
  .option('--preset <name>', `a built-in fleet: ${presetNames().join(', ')} (default: demo)`)
  .option('--fleet <file>', 'a fleet file (YAML or JSON)')
  .option('--hosts <n>', 'generate a fleet of n hosts')
  .option('--waves <k>', 'generated fleet: waves per channel')
  .option('--channels <c>', 'generated fleet: channels, chained by channel edges')
  .option('--soak <minutes>', 'generated fleet: soak per wave')
  .option('--probe-failure-rate <p>', 'generated fleet: chance a probe run fails')
  .option('--activation-failure-rate <p>', 'generated fleet: chance an activation fails')
  .option('--deferral-rate <p>', 'generated fleet: chance an activation is deferred')
  .option('--drop-rate <p>', 'generated fleet: chance a message is lost')
  .option('--duplicate-rate <p>', 'generated fleet: chance a message is delivered twice')
  .option('--seed <n>', 'PRNG seed', '1')
  .addOption(new Option('--profile <name>', 'control-plane behaviour').choices(Object.keys(PROFILES)).default('faithful'))
  .option('--set <name=value>', 'a profile flag or setting, e.g. halt_gate=true (repeatable)', collect, [])
  .option('--until <duration>', 'stop after this much simulated time (90s, 15m, 2h, 7d)')
  .option('--trace <file>', 'write the rollout-sim-trace/1 trace here')
  .option('--json', 'print the summary as JSON', false)
  .action((flags: RunCommandFlags) => runCommand(flags, print));

program
  .command('replay')
  .description('check a recorded trace, or re-simulate it and compare (--verify)')
  .argument('<trace>', 'a rollout-sim-trace/1 file')
  .option('--verify', 're-simulate from the header and report the first divergence', false)
  .option('--json', 'print the result as JSON', false)
  .action((trace: string, flags: { verify: boolean; json: boolean }) => {
    if (flags.verify) {
      const { divergence, lines } = verifyTrace(trace);
      if (flags.json) print(JSON.stringify({ verified: divergence === null, lines, divergence }));
      else print(divergence === null ? `verified: ${lines} lines identical` : `diverges at ${divergence}`);
      process.exitCode = divergence === null ? 0 : 1;
      return;
    }
    const { lines, summary } = validateTrace(trace);
    if (flags.json) print(JSON.stringify(summary));
    else print(`${trace}: ${lines} lines, well-formed rollout-sim-trace/1`);
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
