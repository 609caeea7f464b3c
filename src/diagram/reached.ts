import { readFileSync } from 'node:fs';
import { InputError } from '../cli/usage-error.ts';
import type { Reached } from './layout-dot.ts';

/*
 * What a trace reached of one machine: the states entered and the cells stepped
 * (`from|event|to`), read from its `rollout_opened`/`rollout_event` and
 * `host_transition` lines (trace format §4.5).
 */

type Line = Record<string, unknown>;

const tag = (event: unknown) =>
  typeof event === 'string' ? event : (Object.keys((event ?? {}) as object)[0] ?? '');

export function reachedIn(path: string, machine: 'rollout' | 'host'): Reached {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InputError(
      `--trace ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
  const states = new Set<string>();
  const cells = new Set<string>();
  const rolloutState = new Map<string, string>();
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    let line: Line;
    try {
      line = JSON.parse(raw) as Line;
    } catch {
      throw new InputError(`--trace ${path}: line ${i + 1} is not JSON`);
    }
    if (machine === 'host' && line.type === 'host_transition') {
      states.add(String(line.from));
      states.add(String(line.to));
      cells.add(`${line.from}|${line.event}|${line.to}`);
    }
    if (machine === 'rollout' && line.type === 'rollout_opened') {
      rolloutState.set(String(line.rollout_id), 'Opening');
      states.add('Opening');
    }
    if (machine === 'rollout' && line.type === 'rollout_event') {
      const id = String(line.rollout_id);
      const from = rolloutState.get(id) ?? 'Opening';
      const result = line.result as Line;
      const to = result.ok === true ? String(result.state) : from;
      cells.add(`${from}|${tag(line.event)}|${to}`);
      states.add(to);
      rolloutState.set(id, to);
    }
  });
  return { states, cells };
}
