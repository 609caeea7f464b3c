import { HOST_STATES, type HostState } from '../../../machines/host/state.ts';
import type { RecordSource } from './log.ts';

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * Host states of one wave over time as rows of block characters, one row per state
 * that occurs: each column a slice of the run from `from` to `to` (virtual ms), each
 * cell as tall as the share of the wave's hosts in that state at the slice's end. Hosts
 * with no control-plane record yet count as Pending.
 */
export function waveHistory(
  source: RecordSource,
  end: number,
  rolloutId: string,
  hosts: readonly string[],
  from: number,
  to: number,
  columns: number,
): { state: HostState; cells: string }[] {
  if (hosts.length === 0 || columns <= 0) return [];
  const inWave = new Set(hosts);
  const state = new Map<string, HostState>();
  const grid = HOST_STATES.map(() => new Array<number>(columns).fill(0));
  const span = Math.max(1, to - from);
  let column = 0;
  const snap = (upTo: number) => {
    for (; column < upTo && column < columns; column++) {
      const counts = new Map<HostState, number>();
      for (const s of state.values()) counts.set(s, (counts.get(s) ?? 0) + 1);
      counts.set('Pending', (counts.get('Pending') ?? 0) + hosts.length - state.size);
      HOST_STATES.forEach((s, i) => {
        (grid[i] as number[])[column] = counts.get(s) ?? 0;
      });
    }
  };
  for (let i = source.first(); i < end; i++) {
    const r = source.get(i);
    if (r === undefined) continue;
    snap(Math.floor(((r.t - from) / span) * columns));
    if (
      r.type === 'host_transition' &&
      r.side === 'cp' &&
      r.rolloutId === rolloutId &&
      inWave.has(r.host)
    )
      state.set(r.host, r.to);
  }
  snap(columns);
  return HOST_STATES.flatMap((s, i) => {
    const row = grid[i] as number[];
    if (row.every((n) => n === 0)) return [];
    const cells = row
      .map((n) => BLOCKS[n === 0 ? 0 : Math.max(1, Math.round((n / hosts.length) * 8))])
      .join('');
    return [{ state: s, cells }];
  });
}
