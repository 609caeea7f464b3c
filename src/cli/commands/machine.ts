import { type Command, Option } from 'commander';
import { wantsUi } from '../../ui/tty.ts';
import { print } from './io.ts';
import { MACHINE_NAMES } from './names.ts';

/*
 * `rollout-sim machine rollout|host`: the explorer on a terminal. Outside one (or with
 * --no-ui) it prints the machine's states and events and how to step it over JSON
 * Lines instead, since there is nothing to press keys in.
 */

export function registerMachine(program: Command): void {
  program
    .command('machine')
    .description('step a machine by hand: every event and what it would do, edit, apply, undo')
    .addArgument(program.createArgument('<machine>', 'which machine').choices(MACHINE_NAMES))
    .addOption(new Option('--no-ui', 'plain output even on a terminal'))
    .action(async (machine: 'rollout' | 'host', flags: { ui?: boolean }) => {
      if (wantsUi(flags)) {
        const { openExplorer } = await import('../../ui/explorer/open-explorer.ts');
        await openExplorer(machine);
        return;
      }
      const { MACHINES } = await import('../../../machines/catalog.ts');
      const entry = MACHINES[machine];
      print(`${machine} machine: ${entry.states.length} states, ${entry.events.length} events`);
      print(`states: ${entry.states.join(', ')}`);
      print(`events: ${entry.events.join(', ')}`);
      print(
        'the explorer needs a terminal; without one, step the machine with `rollout-sim step` (JSON Lines)',
      );
    });
}
