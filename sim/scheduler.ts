import type { Instant } from '../machines/time.ts';

/**
 * The discrete-event queue on the virtual clock: a binary min-heap of deliveries ordered
 * by due time, ties broken by the order they were scheduled in. Simulated time moves only
 * when the next delivery is taken, so an hour of soak costs no wall time, and the same
 * schedule always pops in the same order.
 */
export interface Delivery<M> {
  readonly at: Instant;
  readonly order: number;
  readonly to: number;
  readonly message: M;
}

/**
 * The heap is kept as parallel arrays (due time, order, recipient, message) rather than
 * an object per delivery: a million agents keep several deliveries each pending, and an
 * object per entry (with its boxed due time) cost more than the message itself.
 */
export class Scheduler<M> {
  private at = new Float64Array(1024);
  private order = new Float64Array(1024);
  private to = new Int32Array(1024);
  private messages: (M | undefined)[] = [];
  private size = 0;
  private scheduled = 0;
  private current: Instant;

  constructor(start: Instant) {
    this.current = start;
  }

  get now(): Instant {
    return this.current;
  }

  /** How many deliveries were ever scheduled. */
  get count(): number {
    return this.scheduled;
  }

  get pending(): number {
    return this.size;
  }

  /** Every delivery still to come, with its due time, in no particular order. */
  *queued(): IterableIterator<readonly [Instant, M]> {
    for (let i = 0; i < this.size; i++) yield [this.at[i] as number, this.messages[i] as M];
  }

  /** Due time of the next delivery, if any. */
  peek(): Instant | undefined {
    return this.size === 0 ? undefined : (this.at[0] as number);
  }

  /**
   * Deliver `message` to actor `to` at `at`; a time in the past is delivered now. A time
   * between two milliseconds (a setting or a fleet file's seconds of 0.0011) is rounded to
   * the nearest: the clock counts whole milliseconds, and a trace's instants must too.
   */
  schedule(at: Instant, to: number, message: M): void {
    if (this.size === this.at.length) this.grow();
    const whole = Math.round(at);
    const due = Math.max(whole, this.current);
    const order = this.scheduled++;
    const A = this.at;
    const O = this.order;
    const T = this.to;
    const msgs = this.messages;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = A[parent] as number;
      if (!(due < pa || (due === pa && order < (O[parent] as number)))) break;
      A[i] = pa;
      O[i] = O[parent] as number;
      T[i] = T[parent] as number;
      msgs[i] = msgs[parent];
      i = parent;
    }
    A[i] = due;
    O[i] = order;
    T[i] = to;
    msgs[i] = message;
  }

  /** Take the next delivery and move the clock to it. */
  pop(): Delivery<M> | undefined {
    if (this.size === 0) return undefined;
    const A = this.at;
    const O = this.order;
    const T = this.to;
    const msgs = this.messages;
    const top: Delivery<M> = {
      at: A[0] as number,
      order: O[0] as number,
      to: T[0] as number,
      message: msgs[0] as M,
    };
    const n = --this.size;
    if (n > 0) {
      // Sift the last entry down from the root.
      const la = A[n] as number;
      const lo = O[n] as number;
      const lt = T[n] as number;
      const lm = msgs[n];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let child = l;
        if (r < n) {
          const ra = A[r] as number;
          const la2 = A[l] as number;
          if (ra < la2 || (ra === la2 && (O[r] as number) < (O[l] as number))) child = r;
        }
        const ca = A[child] as number;
        if (!(ca < la || (ca === la && (O[child] as number) < lo))) break;
        A[i] = ca;
        O[i] = O[child] as number;
        T[i] = T[child] as number;
        msgs[i] = msgs[child];
        i = child;
      }
      A[i] = la;
      O[i] = lo;
      T[i] = lt;
      msgs[i] = lm;
    }
    // Let the delivered message go.
    msgs[n] = undefined;
    this.current = top.at;
    return top;
  }

  private grow(): void {
    const size = this.at.length * 2;
    const at = new Float64Array(size);
    at.set(this.at);
    const order = new Float64Array(size);
    order.set(this.order);
    const to = new Int32Array(size);
    to.set(this.to);
    this.at = at;
    this.order = order;
    this.to = to;
  }
}
