import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleet } from '../sim/fleet/generate.ts';
import { profile } from '../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../sim/settings.ts';
import { Simulation } from '../sim/simulate.ts';
import { limitHeapGrowth } from '../src/cli/v8-defaults.ts';
import { TraceWriter } from '../src/trace/writer.ts';

/*
 * Wall time and memory per host of `run --hosts N --waves 4` (faithful, seed 1), the
 * trace streamed to a file as the CLI does with --trace. One size per process (index.ts
 * starts one for each), so no run inherits another's heap. Reported:
 *  - the fleet's own heap per host (after a full GC, before the run);
 *  - the peak live memory during the run beyond the fleet, per host: the heap plus the
 *    typed arrays' buffers (host records and the scheduler live in columns off the heap),
 *    after a full GC about every 4 deliveries per host (some ten samples a run; the GC
 *    time is left out of the wall time);
 *  - the process's maximum resident set, and that per host.
 */

/** Heap and array buffers: the run keeps its columns of numbers outside the JS heap. */
function live(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

export function benchScale(print: (line: string) => void, hosts: number): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = live();
  const fleet = generateFleet({ hosts, waves: 4, channels: 1 });
  gc?.();
  const fleetBytes = live() - before;
  const seed = 1;
  const path = join(tmpdir(), `rollout-sim-bench-${process.pid}.trace.jsonl`);
  const prof = profile('faithful');
  const writer = new TraceWriter(path, {
    seed,
    profile: prof,
    fleet,
    settings: DEFAULT_SETTINGS,
    untilSeconds: null,
  });
  const every = hosts * 4;
  let paused = 0;
  let peak = 0;
  const start = performance.now();
  try {
    const sim = new Simulation({ fleet, profile: prof, seed, sink: writer.record });
    let n = 0;
    while (sim.step()) {
      if (++n % every === 0 && gc !== undefined) {
        const t = performance.now();
        gc();
        peak = Math.max(peak, live() - before - fleetBytes);
        paused += performance.now() - t;
      }
    }
    writer.close();
    const wall = (performance.now() - start - paused) / 1000;
    const summary = sim.summary();
    const rss = process.resourceUsage().maxRSS * 1024;
    const kb = (bytes: number) => `${(bytes / hosts / 1024).toFixed(2)} KB`;
    print(
      `scale: ${hosts.toLocaleString('en-US')} hosts, 4 waves: ${wall.toFixed(1)} s wall, ${summary.events.scheduled.toLocaleString('en-US')} deliveries, rollout ${summary.rollouts[0]?.state}`,
    );
    print(
      `  fleet ${kb(fleetBytes)}/host; run's live memory at its peak ${kb(peak)}/host beyond the fleet; max RSS ${(rss / 2 ** 20).toFixed(0)} MB = ${kb(rss)}/host`,
    );
  } finally {
    rmSync(path, { force: true });
  }
}

// `node --import tsx --expose-gc bench/scale.ts <hosts>`
if (import.meta.url === `file://${process.argv[1]}`) {
  // As the CLI does, so that the max RSS printed is the one `run` would have.
  limitHeapGrowth();
  benchScale((line) => process.stdout.write(`${line}\n`), Number(process.argv[2] ?? '10000'));
}
