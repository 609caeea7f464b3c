import type { Command } from 'commander';
import { validateTrace, verifyTrace } from '../replay.ts';
import { print } from './io.ts';

export function registerReplay(program: Command): void {
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
}
