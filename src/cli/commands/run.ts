import { type Command, Option } from 'commander';
import { PROFILES } from '../../../sim/profile.ts';
import { wantsUi } from '../../ui/tty.ts';
import type { RunCommandFlags } from '../run.ts';
import { collect, print } from './io.ts';
import { PRESET_NAMES } from './names.ts';

/** The options that choose a fleet and how it behaves; `run` and `check` share them. */
export function fleetOptions(command: Command): Command {
  return command
    .option('--preset <name>', `a built-in fleet: ${PRESET_NAMES.join(', ')}`)
    .option('--fleet <file>', 'a fleet file (YAML or JSON), or a trace (.jsonl) to run its fleet')
    .option('--hosts <n>', 'generate a fleet of n hosts')
    .option('--waves <k>', 'generated fleet: waves per channel')
    .option('--channels <c>', 'generated fleet: channels, chained by channel edges')
    .option('--soak <minutes>', 'generated fleet: soak per wave')
    .option('--probe-failure-rate <p>', 'generated fleet: chance a probe run fails')
    .option('--activation-failure-rate <p>', 'generated fleet: chance an activation fails')
    .option('--deferral-rate <p>', 'generated fleet: chance an activation is deferred')
    .option('--drop-rate <p>', 'generated fleet: chance a message is lost')
    .option('--duplicate-rate <p>', 'generated fleet: chance a message is delivered twice')
    .addOption(
      new Option('--profile <name>', 'control-plane behaviour')
        .choices(Object.keys(PROFILES))
        .default('faithful'),
    )
    .option(
      '--set <name=value>',
      'a profile flag or setting, e.g. halt_gate=true (repeatable)',
      collect,
      [],
    );
}

export function registerRun(program: Command): void {
  fleetOptions(
    program.command('run').description('simulate a fleet rollout (default fleet: the demo preset)'),
  )
    .option('--seed <n>', 'PRNG seed', '1')
    .option('--until <duration>', 'stop after this much simulated time (90s, 15m, 2h, 7d)')
    .option('--trace <file>', 'write the rollout-sim-trace/1 trace here')
    .option('--json', 'print the summary as JSON', false)
    .option('--no-ui', 'plain output even on a terminal (the default when not on one)')
    .action(async (flags: RunCommandFlags) => {
      // Loaded when the command runs: other commands start without the simulator.
      const { runCommand, runLiveCommand } = await import('../run.ts');
      if (wantsUi(flags)) await runLiveCommand(flags, print);
      else await runCommand(flags, print);
    });
}
