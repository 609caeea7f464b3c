import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * The simulation PRNG takes a 32-bit seed: larger ones would collide with smaller ones,
 * and every value up to this survives a trace header's JSON exactly.
 */
export const MAX_SIM_SEED = 0xffff_ffff;

/**
 * The one source of randomness of a run: a seeded xoroshiro128+ from pure-rand (the
 * generator fast-check itself uses). Every random choice in the simulated world is drawn
 * from it, in delivery order, so a seed fixes the whole run.
 */
export class Random {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return uniformInt(this.rng, min, max);
  }

  /** A float in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** True with probability `p`; draws nothing when `p` is 0 or 1, so fault-free runs stay cheap. */
  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.float() < p;
  }

  /** A duration in [min, max] milliseconds, uniformly. */
  between(min: number, max: number): number {
    return min >= max ? min : this.int(min, max);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }
}
