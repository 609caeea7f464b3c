import type { Instant } from '../../machines/time.ts';
import type { Choices } from '../choice.ts';

/** A fault taken on a path: the choice point's index in the run, what it was, and when. */
export interface TakenFault {
  readonly index: number;
  readonly at: Instant;
  readonly what: string;
}

/**
 * The exhaustive scheduler's answers. A run answers every decision the fault-free way,
 * except at the choice points its plan names (by their index in the run), where the fault
 * strikes: the message is lost or doubled, the switch fails or defers, the probe fails,
 * the delivery comes as late as it can. Choice points are counted only where another
 * answer was possible, so the same plan always takes the same faults: actors, clock and
 * scheduler are deterministic around it.
 *
 * Timers that only spread work (start phases) take their earliest value; picks take the
 * first item. Neither is a branch: they change when things happen, not what can happen.
 */
export class PlannedChoices implements Choices {
  private next = 0;
  private readonly plan: ReadonlySet<number>;
  readonly taken: TakenFault[] = [];
  /** When each choice point was met: the world's clock, once it exists. */
  private clock: () => Instant = () => 0;

  /** What each choice point was, when asked for (symmetry needs to know whose it is). */
  readonly described: string[] | null;

  attach(now: () => Instant): void {
    this.clock = now;
  }

  constructor(plan: readonly number[], describe = false) {
    this.plan = new Set(plan);
    this.described = describe ? [] : null;
  }

  /** How many choice points the run met: a plan may extend at any index beyond its last. */
  get points(): number {
    return this.next;
  }

  fault(what: () => string, p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.branch(what);
  }

  delay(what: () => string, min: number, max: number, reorders: boolean): number {
    if (min >= max || !reorders) return min;
    return this.branch(what) ? max : min;
  }

  spread(min: number): number {
    return min;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[0] as T;
  }

  private branch(what: () => string): boolean {
    const index = this.next++;
    this.described?.push(what());
    if (!this.plan.has(index)) return false;
    this.taken.push({ index, at: this.clock(), what: what() });
    return true;
  }
}
