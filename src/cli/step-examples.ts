import { MACHINES } from '../../machines/catalog.ts';
import { pathsOutput } from './paths.ts';

/*
 * One input line for each machine, for `step --help`: the first step of the shortest path
 * out of the initial state, so the example is always a valid, current wire form.
 */
export function stepExamples(): string {
  const first = (machine: 'rollout' | 'host', to: string) =>
    pathsOutput(machine, { to, all: false, json: false, policy: 'rollback-and-halt' }).lines[0] ??
    '';
  return [
    '',
    'Examples, one input line per machine:',
    `  rollout: ${first('rollout', MACHINES.rollout.states[1] ?? 'Active')}`,
    `  host:    ${first('host', MACHINES.host.states[1] ?? 'Activating')}`,
    '',
    'Each answer is {"ok": true, "record"|"host": …, "effects": […]} or {"ok": false, "error": …};',
    '`rollout-sim paths` prints whole sequences of such lines.',
  ].join('\n');
}
