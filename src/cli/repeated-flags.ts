import type { Command, Option } from 'commander';
import { collect } from './commands/io.ts';
import { UsageError } from './usage-error.ts';

/**
 * A flag that takes one value, given twice (`--seed 1 --seed 2`, `-o a.html -o b.html`),
 * is a usage error naming it: commander keeps the last value and drops the first without
 * a word. Flags that collect their values (`--set`, `--variant`, `--invariant`, the
 * variadic `--merge`) stay repeatable; a switch without a value (`--json`) means the
 * same however often it is given. Installed once on the whole program, so every
 * command's flags are covered, the ones added later too.
 */
export function refuseRepeatedFlags(command: Command): void {
  for (const option of command.options) {
    if (!takesOneValue(option)) continue;
    let given = false;
    command.on(`option:${option.name()}`, () => {
      if (given) throw new UsageError(`${option.long ?? option.flags} given twice`);
      given = true;
    });
  }
  for (const sub of command.commands) refuseRepeatedFlags(sub);
}

const takesOneValue = (option: Option): boolean =>
  (option.required || option.optional) && !option.variadic && option.parseArg !== collect;
