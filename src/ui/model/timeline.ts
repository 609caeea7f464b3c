import type { TraceRecord } from '../../../sim/trace-record.ts';
import { applyRecord } from './apply.ts';
import { isRolloutTransition, markOf } from './marks.ts';
import type { ModelMeta } from './meta.ts';
import { cloneModel, createModel, type ViewModel } from './model.ts';

/*
 * Time travel over a recorded run. A position is a number of records applied
 * (0 … records.length). The model at any position is the nearest checkpoint at or
 * before it, copied, plus at most one checkpoint interval of records: seeking back
 * through a 134k-record trace costs a copy and a few hundred applies, never a replay
 * from the start. Checkpoints are taken while the timeline is built (one pass).
 */

export interface Mark {
  readonly index: number;
  readonly label: string;
}

export class Timeline {
  private readonly checkpoints: ViewModel[] = [];
  readonly every: number;
  /** Faults, refusals, failures, and any violations handed in, by record index. */
  readonly marks: readonly Mark[];
  /** Indices of records that move a rollout from one state to another. */
  readonly transitions: readonly number[];
  private current: ViewModel;

  constructor(
    readonly meta: ModelMeta,
    readonly records: readonly TraceRecord[],
    extraMarks: readonly Mark[] = [],
    every?: number,
  ) {
    this.every = every ?? Math.max(500, Math.ceil(records.length / 100));
    const marks: Mark[] = [...extraMarks];
    const transitions: number[] = [];
    const model = createModel(meta);
    records.forEach((r, i) => {
      if (i % this.every === 0) this.checkpoints.push(cloneModel(model));
      applyRecord(model, r);
      const label = markOf(r);
      if (label !== null) marks.push({ index: i, label });
      if (isRolloutTransition(r)) transitions.push(i);
    });
    if (records.length % this.every === 0) this.checkpoints.push(cloneModel(model));
    this.marks = marks.sort((a, b) => a.index - b.index);
    this.transitions = transitions;
    this.current = cloneModel(this.checkpoints[0] ?? model);
  }

  get length(): number {
    return this.records.length;
  }

  /** The model with `position` records applied (clamped). The returned model is the timeline's own; do not mutate it. */
  seek(position: number): ViewModel {
    const target = Math.max(0, Math.min(this.records.length, Math.floor(position)));
    const slot = Math.floor(target / this.every);
    // Forward within reach: keep going from where we are; otherwise from a checkpoint.
    if (target < this.current.applied || Math.floor(this.current.applied / this.every) < slot) {
      this.current = cloneModel(this.checkpoints[slot] as ViewModel);
    }
    while (this.current.applied < target) {
      applyRecord(this.current, this.records[this.current.applied] as TraceRecord);
    }
    return this.current;
  }

  /** The last position whose record is at or before virtual time `t` (records are in time order). */
  positionAt(t: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.records[mid]?.t ?? 0) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Virtual time at a position: its last record's, or the start. */
  timeAt(position: number): number {
    return position <= 0 ? this.meta.start : (this.records[position - 1]?.t ?? this.meta.start);
  }

  /** The position `ms` of simulated time after (or, negative, before) a position. */
  byTime(position: number, ms: number): number {
    return this.positionAt(this.timeAt(position) + ms);
  }

  /** The position just after the next (dir 1) or previous (-1) index in `indices`. */
  static jump(indices: readonly number[], position: number, dir: 1 | -1): number | null {
    // The current record is position - 1; the next one after it is ≥ position.
    if (dir > 0) {
      for (const i of indices) if (i >= position) return i + 1;
      return null;
    }
    for (let k = indices.length - 1; k >= 0; k--) {
      const i = indices[k] as number;
      if (i < position - 1) return i + 1;
    }
    return null;
  }

  nextMark(position: number, dir: 1 | -1): number | null {
    return Timeline.jump(
      this.marks.map((m) => m.index),
      position,
      dir,
    );
  }

  nextTransition(position: number, dir: 1 | -1): number | null {
    return Timeline.jump(this.transitions, position, dir);
  }
}
