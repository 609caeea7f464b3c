import type { Command } from 'commander';
import type { CompareFlags } from '../compare/compare.ts';
import { collect, print } from './io.ts';
import { fleetOptions } from './run.ts';

export function registerCompare(program: Command): void {
  fleetOptions(
    program
      .command('compare')
      .description(
        'run one scenario under two or more variants on paired seeds and compare outcomes',
      ),
  )
    .option(
      '--variant <name:key=value,…>',
      'a variant (repeatable; the first is the baseline)',
      collect,
      [],
    )
    .option('--variants <file>', 'the variants from a YAML or JSON file')
    .option('--runs <n>', 'paired seeds per variant', '20')
    .option('--seed <n>', 'first seed (then seed+1, …)', '1')
    .option('--until <duration>', 'stop each run after this much simulated time')
    .option('--workers <n>', 'worker threads, at most one per core (default: up to 2 cores)')
    .option('--json', 'print the comparison as JSON', false)
    .action(async (flags: CompareFlags) => {
      const { compareCommand } = await import('../compare/compare.ts');
      const { encodeComparison } = await import('../compare/compare-json.ts');
      const { comparisonText } = await import('../compare/compare-text.ts');
      const tty = process.stderr.isTTY === true && !flags.json;
      const comparison = await compareCommand(
        flags,
        tty ? (done, total) => process.stderr.write(`\rcompare: ${done}/${total} runs`) : null,
      );
      if (tty) process.stderr.write('\r\x1b[K');
      if (flags.json) print(JSON.stringify(encodeComparison(comparison)));
      else for (const line of comparisonText(comparison)) print(line);
    });
}
