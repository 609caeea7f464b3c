import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchSteps } from './steps.ts';
import { benchVerify } from './verify.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
print(`rollout-sim bench — node ${process.version}, ${new Date().toISOString()}`);
benchSteps(print);
// Each engine bench in a fresh process: heaps left by one run skew the next.
const engine = fileURLToPath(new URL('./engine.ts', import.meta.url));
for (const preset of ['staged-1k', 'staged-10k']) {
  process.stdout.write(
    execFileSync(process.execPath, ['--import', 'tsx', engine, preset], { encoding: 'utf8' }),
  );
}
// Memory and wall time per host at 10k and 100k hosts (about a minute); a million (some
// six minutes, in node's default heap) only with ROLLOUT_SIM_BENCH_1M=1.
const scale = fileURLToPath(new URL('./scale.ts', import.meta.url));
const sizes = [10_000, 100_000, ...(process.env.ROLLOUT_SIM_BENCH_1M === '1' ? [1_000_000] : [])];
for (const hosts of sizes) {
  process.stdout.write(
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', scale, String(hosts)], {
      encoding: 'utf8',
    }),
  );
}
await benchVerify(print);
