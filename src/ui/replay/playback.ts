import { SPEEDS } from '../live/speed.ts';
import type { Timeline } from '../model/timeline.ts';

/*
 * Where a replay is, and how it moves: seeks (by event, by minute, to the next rollout
 * transition or fault) and playing at a speed against the wall clock, as the live run
 * does — except that the records already exist, so any position is reachable in both
 * directions. Knows nothing of React.
 */

/** Records per tick at `max`: a 134k-record trace plays through in about a second. */
const MAX_STEP = 5000;

export class Playback {
  position: number;
  playing = false;
  speedIndex: number;
  /** The cursor's virtual time: the current record's after a seek by record, anything after a seek by time or while playing. */
  virtualNow: number;
  private lastWall: number;
  private readonly now: () => number;

  constructor(
    readonly timeline: Timeline,
    options: { position?: number; speedIndex: number; now?: () => number },
  ) {
    this.now = options.now ?? (() => performance.now());
    this.position = 0;
    this.speedIndex = options.speedIndex;
    this.virtualNow = timeline.meta.start;
    this.lastWall = this.now();
    this.seek(options.position ?? 0);
  }

  get atEnd(): boolean {
    return this.position >= this.timeline.length;
  }

  /** Time of the record at the cursor (the last one applied). */
  get time(): number {
    return this.timeline.timeAt(this.position);
  }

  seek(position: number): void {
    this.position = Math.max(0, Math.min(this.timeline.length, position));
    this.virtualNow = this.time;
    this.lastWall = this.now();
    if (this.atEnd) this.playing = false;
  }

  /** Move the cursor to virtual time `t` (clamped to the trace): the records up to it apply. */
  seekTime(t: number): void {
    const last = this.timeline.timeAt(this.timeline.length);
    const clamped = Math.max(this.timeline.meta.start, Math.min(last, t));
    this.position = this.timeline.positionAt(clamped);
    this.virtualNow = clamped;
    this.lastWall = this.now();
    if (this.atEnd) this.playing = false;
  }

  togglePlay(): void {
    if (this.atEnd && !this.playing) this.seek(0);
    this.playing = !this.playing;
    this.lastWall = this.now();
  }

  /** Move forward by wall time × speed while playing. Returns whether the position moved. */
  tick(): boolean {
    const wall = this.now();
    const elapsed = wall - this.lastWall;
    this.lastWall = wall;
    if (!this.playing) return false;
    const before = this.position;
    const speed = SPEEDS[this.speedIndex] ?? 1;
    if (speed === Infinity) {
      this.position = Math.min(this.timeline.length, this.position + MAX_STEP);
      this.virtualNow = this.time;
    } else {
      this.virtualNow += elapsed * speed;
      this.position = Math.max(this.position, this.timeline.positionAt(this.virtualNow));
    }
    if (this.atEnd) this.playing = false;
    return this.position !== before;
  }
}
