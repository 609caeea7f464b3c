import { type Command, Option } from 'commander';
import type { ExploreFlags } from '../explore.ts';
import { collect, print } from './io.ts';

export function registerExplore(program: Command): void {
  program
    .command('explore')
    .description(
      'explore every interleaving of a small fleet: reachable states, coverage of both tables, shortest violations',
    )
    .option('--hosts <n>', 'hosts (1–6)', '3')
    .option('--waves <k>', 'waves per channel', '2')
    .option('--channels <c>', 'channels (1–2), the first gating the second', '1')
    .option('--releases <r>', 'new refs published per channel (0–2)', '1')
    .option('--probe-results <p>', 'probe results per host and rollout (0–3)', '1')
    .option(
      '--faults <f>',
      'faults per path at most: failed/deferred switches, failing probes, lost/doubled dispatches, heartbeat races',
      '1',
    )
    .option('--no-message-faults', 'never lose or double a dispatch')
    .addOption(
      new Option('--profile <name>', 'control-plane behaviour')
        .choices(['faithful', 'intent', 'both'])
        .default('both'),
    )
    .option('--set <name=value>', 'a profile flag, e.g. halt_gate=true (repeatable)', collect, [])
    .option('--max-states <n>', 'stop after this many distinct states', '2000000')
    .option('--json', 'print the results as JSON', false)
    .action(async (flags: ExploreFlags) => {
      const { exploreCommand } = await import('../explore.ts');
      process.exitCode = exploreCommand(flags, print);
    });
}
