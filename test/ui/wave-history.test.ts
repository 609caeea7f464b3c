import { describe, expect, test } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { ArrayLog } from '../../src/ui/model/log.ts';
import { waveHistory } from '../../src/ui/model/wave-history.ts';

/* The small chart of a wave's host states over time (live and replay screens). */

const move = (t: number, host: string, from: string, to: string): TraceRecord =>
  ({
    type: 'host_transition',
    t,
    side: 'cp',
    rolloutId: 'r@1',
    host,
    event: 'RemoteDispatchAck',
    from,
    to,
  }) as TraceRecord;

describe('waveHistory', () => {
  test('one row per state that occurs, each column the share of the wave in it', () => {
    const log = new ArrayLog([
      move(0, 'a', 'Pending', 'Activating'),
      move(50, 'a', 'Activating', 'Converged'),
      move(50, 'b', 'Pending', 'Activating'),
      move(99, 'b', 'Activating', 'Converged'),
    ]);
    const rows = waveHistory(log, 4, 'r@1', ['a', 'b'], 0, 100, 4);
    expect(rows).toEqual([
      { state: 'Pending', cells: '▄▄  ' },
      { state: 'Activating', cells: '▄▄▄ ' },
      { state: 'Converged', cells: '  ▄█' },
    ]);
  });
  test('hosts of other waves or rollouts are left out', () => {
    const log = new ArrayLog([move(10, 'z', 'Pending', 'Activating')]);
    expect(waveHistory(log, 1, 'r@1', ['a'], 0, 100, 2)).toEqual([
      { state: 'Pending', cells: '██' },
    ]);
  });
});
