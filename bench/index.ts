import { benchSteps } from './steps.ts';

const print = (line: string) => process.stdout.write(`${line}\n`);
print(`rollout-sim bench — node ${process.version}, ${new Date().toISOString()}`);
benchSteps(print);
