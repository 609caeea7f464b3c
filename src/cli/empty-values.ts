import type { Command } from 'commander';
import { UsageError } from './usage-error.ts';

const NAMES_A_PATH = /<(file|dir|log|trace|reports\.\.\.)>/;

/**
 * An empty string given for any option or argument (`--trace ""`, an unset shell
 * variable) is refused before the command runs, naming the flag: otherwise each reader
 * reported it as a file whose name is nothing, `: no such file or directory`.
 */
export function refuseEmptyValues(command: Command): void {
  for (const option of command.options)
    refuseEmpty(
      command.getOptionValue(option.attributeName()),
      option.long ?? option.flags,
      option.flags,
    );
  command.registeredArguments.forEach((argument, i) => {
    const name = `<${argument.name()}>`;
    refuseEmpty(command.processedArgs[i], name, name);
  });
}

function refuseEmpty(value: unknown, name: string, flags: string): void {
  if (value === '' || (Array.isArray(value) && value.includes('')))
    throw new UsageError(
      `${name}: expected ${NAMES_A_PATH.test(flags) ? 'a file name' : 'a value'}, got an empty string`,
    );
}
