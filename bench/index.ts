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
benchVerify(print);
