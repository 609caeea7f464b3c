import type { Command } from 'commander';
import { UsageError } from './usage-error.ts';

const NAMES_A_PATH = /<(file|dir|log|trace|reports\.\.\.)>/;

/**
 * An empty string given for any option or argument (`--trace ""`, an unset shell
 * variable) is refused before the command runs, naming the flag: otherwise each reader
 * reported it as a file whose name is nothing, `: no such file or directory`.
 */
export function refuseEmptyValues(command: Command): void {
  for (const option of command.options) {
    const value: unknown = command.getOptionValue(option.attributeName());
    if (value === '' || (Array.isArray(value) && value.includes('')))
      throw new UsageError(
        `${option.long ?? option.flags}: expected ${NAMES_A_PATH.test(option.flags) ? 'a file name' : 'a value'}, got an empty string`,
      );
  }
  command.registeredArguments.forEach((argument, i) => {
    const value: unknown = command.processedArgs[i];
    if (value === '' || (Array.isArray(value) && value.includes('')))
      throw new UsageError(
        `<${argument.name()}>: expected ${NAMES_A_PATH.test(`<${argument.name()}>`) ? 'a file name' : 'a value'}, got an empty string`,
      );
  });
}
