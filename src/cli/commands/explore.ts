import { type Command, Option } from 'commander';
import type { ExploreFlags } from '../explore.ts';
import { collect, print } from './io.ts';

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description(
      'run a small fleet down every path of its faults, on the simulator itself: coverage of both tables, shortest violations with timed traces',
    )
    .option('--preset <name>', 'explore a built-in fleet (at most 32 hosts)')
    .option(
      '--fleet <file>',
      'explore a fleet file (YAML or JSON; at most 32 hosts), or the fleet of a trace (.jsonl)',
    )
    .option('--hosts <n>', 'generate a fleet of n hosts (1–12; default 3)')
    .option('--waves <k>', 'waves per channel of the generated fleet (default 2)')
    .option('--channels <c>', 'channels (1–2) of the generated fleet, the first gating the second')
    .option(
      '--releases <r>',
      'new refs per channel of the generated fleet, 2 minutes apart (0–2; default 1)',
    )
    .option('--faults <f>', 'faults per path at most (0–3)', '1')
    .addOption(
      new Option(
        '--alphabet <which>',
        "what may go wrong: every fault kind, or only the fleet's own",
      )
        .choices(['all', 'fleet'])
        .default('all'),
    )
    .addOption(
      new Option('--profile <name>', 'control-plane behaviour')
        .choices(['faithful', 'intent', 'both'])
        .default('both'),
    )
    .option(
      '--set <name=value>',
      'a profile flag or setting, e.g. halt_gate=true (repeatable)',
      collect,
      [],
    )
    .option(
      '--no-symmetry',
      'fault every host, not one of each set of hosts alike in everything the fleet declares',
    )
    .option('--max-runs <n>', 'stop after this many paths', '200000')
    .option('--out <dir>', 'where to write the trace of each violation', '.')
    .option('--json', 'print the results as JSON', false)
    .option(
      '--workers <n>',
      'worker threads for the paths, at most one per core (default: the available cores)',
    )
    .action(async (flags: ExploreFlags) => {
      const { exploreCommand } = await import('../explore.ts');
      process.exitCode = await exploreCommand(flags, print);
    });
}
