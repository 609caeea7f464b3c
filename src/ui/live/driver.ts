import { SPEEDS } from './speed.ts';

/*
 * Paces a simulation against the wall clock, in short time slices, so that the UI
 * never waits on the simulation and the simulation never waits on the UI. Each slice
 * advances the virtual clock by the wall time since the last one times the speed and
 * delivers what fell due, stopping early when its budget (10 ms) is spent. When the
 * machine cannot keep up the debt is dropped rather than carried, so the run goes as
 * fast as it can and keys stay answered. Knows nothing of React or of the records.
 */

/** What the driver needs of a simulation (`Simulation` has it). */
export interface Steppable {
  step(): boolean;
  peek(): number | null;
  readonly done: boolean;
}

export type SliceResult = 'behind' | 'idle' | 'done';

export interface DriverOptions {
  readonly start: number;
  readonly speedIndex: number;
  readonly sliceMs?: number;
  readonly now?: () => number;
}

export class LiveDriver {
  speedIndex: number;
  paused = false;
  /** The virtual clock shown in the header. */
  virtualNow: number;
  private hunting: (() => boolean) | null = null;
  private lastWall: number;
  private readonly sliceMs: number;
  private readonly now: () => number;

  constructor(
    private readonly sim: Steppable,
    options: DriverOptions,
  ) {
    this.speedIndex = options.speedIndex;
    this.virtualNow = options.start;
    this.sliceMs = options.sliceMs ?? 10;
    this.now = options.now ?? (() => performance.now());
    this.lastWall = this.now();
  }

  get done(): boolean {
    return this.sim.done;
  }

  get speed(): number {
    return SPEEDS[this.speedIndex] ?? 1;
  }

  get isHunting(): boolean {
    return this.hunting !== null;
  }

  togglePause(): void {
    this.paused = !this.paused;
    this.hunting = null;
    this.lastWall = this.now();
  }

  /** Deliver exactly one message (paused or not). */
  stepOne(): void {
    const next = this.sim.peek();
    this.sim.step();
    if (next !== null) this.virtualNow = Math.max(this.virtualNow, next);
  }

  /** Run at full speed until `found()` says so, then pause. */
  hunt(found: () => boolean): void {
    this.hunting = found;
    this.paused = false;
  }

  /** What the last slice found: 'behind' means the simulation cannot keep up with the speed. */
  lastResult: SliceResult = 'idle';

  slice(): SliceResult {
    this.lastResult = this.run();
    return this.lastResult;
  }

  private run(): SliceResult {
    const start = this.now();
    const elapsed = start - this.lastWall;
    this.lastWall = start;
    if (this.sim.done) return 'done';
    if (this.paused) return 'idle';
    const target =
      this.hunting !== null || this.speed === Infinity
        ? Infinity
        : this.virtualNow + elapsed * this.speed;
    let n = 0;
    for (;;) {
      // Reading the clock costs more than a delivery: look every 32.
      if ((++n & 31) === 0 && this.now() - start >= this.sliceMs) return 'behind';
      const next = this.sim.peek();
      if (next === null) {
        this.sim.step(); // ends the run and emits its `end` record
        this.hunting = null;
        return 'done';
      }
      if (next > target) {
        this.virtualNow = target;
        return 'idle';
      }
      if (!this.sim.step()) {
        this.hunting = null;
        return 'done';
      }
      this.virtualNow = Math.max(this.virtualNow, next);
      if (this.hunting?.()) {
        this.hunting = null;
        this.paused = true;
        return 'idle';
      }
    }
  }
}
