import type { TraceRecord } from '../../sim/trace-record.ts';
import { loadTrace } from '../ui/replay/load-trace.ts';
import type { Reached } from './layout-dot.ts';

/*
 * What a trace reached of one machine: the states entered and the cells stepped
 * (`from|event|to`), from its `rollout_opened`/`rollout_event` and `host_transition`
 * records (trace format §4.5).
 */

export function reachedOf(records: readonly TraceRecord[], machine: 'rollout' | 'host'): Reached {
  const states = new Set<string>();
  const cells = new Set<string>();
  const rolloutState = new Map<string, string>();
  for (const r of records) {
    if (machine === 'host' && r.type === 'host_transition') {
      states.add(r.from);
      states.add(r.to);
      cells.add(`${r.from}|${r.event}|${r.to}`);
    }
    if (machine === 'rollout' && r.type === 'rollout_opened') {
      rolloutState.set(r.rolloutId, 'Opening');
      states.add('Opening');
    }
    if (machine === 'rollout' && r.type === 'rollout_event') {
      const from = rolloutState.get(r.rolloutId) ?? 'Opening';
      const to = r.result.ok ? r.result.record.state : from;
      cells.add(`${from}|${r.event.type}|${to}`);
      states.add(to);
      rolloutState.set(r.rolloutId, to);
    }
  }
  return { states, cells };
}

/** `diagram --highlight --trace FILE`: what the trace file reached. */
export function reachedIn(path: string, machine: 'rollout' | 'host'): Reached {
  return reachedOf(loadTrace(path).records, machine);
}
