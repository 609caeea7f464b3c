import { expect, test } from 'vitest';
import { outputLines, runCli } from './run-cli.ts';

// `step --help` shows one input line per machine, and each is input `step` accepts.
test('step --help shows a rollout and a host input line that step answers ok', () => {
  const help = runCli(['step', '--help']);
  expect(help.status).toBe(0);
  const examples = help.stdout
    .split('\n')
    .map((l) => /^\s+(rollout|host):\s+(\{.*\})$/.exec(l))
    .filter((m) => m !== null)
    .map((m) => ({ machine: m[1], line: m[2] as string }));
  expect(examples.map((e) => e.machine)).toEqual(['rollout', 'host']);
  const step = runCli(['step'], examples.map((e) => `${e.line}\n`).join(''));
  expect(step.status).toBe(0);
  expect(outputLines(step.stdout).map((l) => JSON.parse(l).ok)).toEqual([true, true]);
});
