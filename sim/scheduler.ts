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

export class Scheduler<M> {
  private readonly heap: Delivery<M>[] = [];
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
    return this.heap.length;
  }

  /** Due time of the next delivery, if any. */
  peek(): Instant | undefined {
    return this.heap[0]?.at;
  }

  /** Deliver `message` to actor `to` at `at`; a time in the past is delivered now. */
  schedule(at: Instant, to: number, message: M): void {
    const entry: Delivery<M> = {
      at: at < this.current ? this.current : at,
      order: this.scheduled++,
      to,
      message,
    };
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Delivery<M>;
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Take the next delivery and move the clock to it. */
  pop(): Delivery<M> | undefined {
    const heap = this.heap;
    const top = heap[0];
    if (top === undefined) return undefined;
    const last = heap.pop() as Delivery<M>;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && before(heap[r] as Delivery<M>, heap[l] as Delivery<M>) ? r : l;
        const c = heap[child] as Delivery<M>;
        if (!before(c, last)) break;
        heap[i] = c;
        i = child;
      }
      heap[i] = last;
    }
    this.current = top.at;
    return top;
  }
}

function before<M>(a: Delivery<M>, b: Delivery<M>): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
