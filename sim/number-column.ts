/*
 * A growable column of numbers or nulls, `width` to a row. Stored as 32-bit offsets from
 * `base` while every value is an integer that fits, which timestamps of a run of under
 * three weeks and event counters are: half the bytes of a Float64Array. The first value
 * that does not fit widens the whole column to doubles, so nothing is ever rounded.
 */

/** Null while narrow; a valid offset can never be it (offsets stay above it). */
const NULL32 = -(2 ** 31);

export class NumberColumn {
  private narrow: Int32Array | null = new Int32Array(0);
  /** Null until widened; NaN stands for null. */
  private wide: Float64Array | null = null;
  private capacity = 0;

  constructor(
    private readonly width: number,
    private readonly base: number,
  ) {}

  get(row: number, k: number): number | null {
    const i = row * this.width + k;
    if (this.narrow !== null) {
      const v = this.narrow[i] as number;
      return v === NULL32 ? null : this.base + v;
    }
    const v = (this.wide as Float64Array)[i] as number;
    return Number.isNaN(v) ? null : v;
  }

  /** Whether the value is null, without building the number. */
  isNull(row: number, k: number): boolean {
    const i = row * this.width + k;
    return this.narrow !== null
      ? this.narrow[i] === NULL32
      : Number.isNaN((this.wide as Float64Array)[i] as number);
  }

  set(row: number, k: number, value: number | null): void {
    const i = row * this.width + k;
    if (this.narrow !== null) {
      if (value === null) {
        this.narrow[i] = NULL32;
        return;
      }
      const offset = value - this.base;
      if (Number.isInteger(offset) && offset > NULL32 && offset < 2 ** 31) {
        this.narrow[i] = offset;
        return;
      }
      this.widen();
    }
    (this.wide as Float64Array)[i] = value === null ? Number.NaN : value;
  }

  /** Make room for `rows` rows, keeping what is there. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const size = rows * this.width;
    if (this.narrow !== null) {
      const next = new Int32Array(size);
      next.set(this.narrow);
      this.narrow = next;
    } else {
      const next = new Float64Array(size);
      next.set(this.wide as Float64Array);
      this.wide = next;
    }
    this.capacity = rows;
  }

  private widen(): void {
    const narrow = this.narrow as Int32Array;
    const wide = new Float64Array(narrow.length);
    for (let i = 0; i < narrow.length; i++) {
      const v = narrow[i] as number;
      wide[i] = v === NULL32 ? Number.NaN : this.base + v;
    }
    this.narrow = null;
    this.wide = wide;
  }
}
