import { Simulation, type SimulationOptions } from '../../../sim/simulate.ts';
import type { Stall } from '../../../sim/stall/stall.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { RUN_START } from '../../../sim/world.ts';
import type { HostInspector } from '../components/HostDetail.tsx';
import { applyRecord } from '../model/apply.ts';
import { blocksNow, type StallWorld } from '../model/blocked.ts';
import { RingLog } from '../model/log.ts';
import { markOf } from '../model/marks.ts';
import { metaFromFleet } from '../model/meta.ts';
import { createModel, type ViewModel } from '../model/model.ts';
import type { Mark } from '../model/timeline.ts';
import { LiveDriver } from './driver.ts';
import { DEFAULT_SPEED_INDEX } from './speed.ts';

/*
 * One live run: the simulation, the driver that paces it, and what its records feed —
 * the trace file (when asked for), the view model, the log ring and the marks `g`
 * visits. Every record goes through `record` as the simulation emits it; the screen
 * only reads the result at its own frame rate.
 */

const MAX_MARKS = 10_000;

export interface LiveSessionOptions extends Omit<SimulationOptions, 'sink'> {
  /** Also receives every record (the trace writer). */
  readonly sink?: (record: TraceRecord) => void;
  readonly speedIndex?: number;
  readonly now?: () => number;
  /** Ring size of the event log. */
  readonly logCapacity?: number;
}

export class LiveSession {
  readonly model: ViewModel;
  readonly log: RingLog;
  readonly marks: Mark[] = [];
  /** How many marks were ever found (the list itself keeps the newest MAX_MARKS). */
  marksSeen = 0;
  readonly sim: Simulation;
  readonly driver: LiveDriver;
  /** Bumped on every record: the screen re-renders when it moved. */
  version = 0;
  /** Wall clock (ms) when the session started, and when the run ended (its `end` record). */
  readonly wallStart: number;
  wallEnd: number | null = null;
  private readonly now: () => number;
  private readonly world: StallWorld;
  private blocksCache: { version: number; stall: Stall | null } | null = null;

  constructor(options: LiveSessionOptions) {
    this.now = options.now ?? (() => performance.now());
    this.wallStart = this.now();
    this.model = createModel(metaFromFleet(options.fleet, options));
    this.world = { fleet: options.fleet, flags: options.profile.flags };
    this.log = new RingLog(options.logCapacity ?? 5000);
    const { sink, speedIndex, now, logCapacity: _, ...rest } = options;
    this.sim = new Simulation({
      ...rest,
      sink: (record) => {
        sink?.(record);
        this.record(record);
      },
    });
    this.driver = new LiveDriver(this.sim, {
      start: RUN_START,
      speedIndex: speedIndex ?? DEFAULT_SPEED_INDEX,
      ...(now === undefined ? {} : { now }),
    });
  }

  private record(record: TraceRecord): void {
    const index = this.log.end();
    applyRecord(this.model, record);
    this.log.push(record);
    const label = markOf(record);
    if (label !== null) {
      this.marksSeen++;
      this.marks.push({ index, label });
      if (this.marks.length > MAX_MARKS * 2) this.marks.splice(0, this.marks.length - MAX_MARKS);
    }
    if (record.type === 'end') this.wallEnd = this.now();
    this.version++;
  }

  /**
   * What holds each waiting host now, for the blocked-hosts screen: the simulation's own
   * stall fold read at the newest record (once the run has stalled, the summary's
   * analysis). Worked out again only when a record arrived since the last frame.
   */
  blocks(): { stall: Stall | null; stalled: boolean; still: readonly string[] } {
    if (this.blocksCache?.version !== this.version) {
      this.blocksCache = {
        version: this.version,
        stall: blocksNow(this.sim.stallTracker, this.world, this.model.t, this.model.ended),
      };
    }
    return {
      stall: this.blocksCache.stall,
      stalled: this.model.ended?.ended === 'stalled',
      still: this.model.ended?.unsettled?.work ?? [],
    };
  }

  /** Wall seconds the run took (so far, if it has not ended). */
  wallSeconds(): number {
    return ((this.wallEnd ?? this.now()) - this.wallStart) / 1000;
  }

  /** The real host records behind the selected host, for the detail pane. */
  readonly inspect: HostInspector = (host, rolloutId) => ({
    cp: this.sim.controlPlane.tables.hostRecord(rolloutId, host) ?? null,
    agent: this.sim.agents.get(host)?.snapshot().get(rolloutId) ?? null,
    running: this.sim.agents.get(host)?.runningClosure ?? null,
  });
}
