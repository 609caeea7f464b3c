import type { Instant } from '../machines/time.ts';
import type { Random } from './random.ts';

/*
 * Every nondeterministic decision of the simulated world goes through one of these: a
 * latency, a drop, an activation outcome, a probe result, a reboot delay. The actors never
 * hold a PRNG. The timed scheduler answers from the run's seeded PRNG (`seededChoices`);
 * `explore` answers from a plan and records every point where another answer was possible,
 * so it can branch there and re-run the very same actors down the other path.
 *
 * `what` names the decision for a person reading a path ("drop agent_event h1").
 */
export interface Choices {
  /** Whether a fault with rate `p` strikes here. */
  fault(what: () => string, p: number): boolean;
  /** A delay in [min, max] ms; the longest one counts as a fault where it can reorder messages. */
  delay(what: () => string, min: number, max: number, reorders: boolean): number;
  /** A value in [min, max] that only spreads timers (start phases); never a fault. */
  spread(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Given the world's clock once the world exists, for answers that note when they came. */
  attach?(now: () => Instant): void;
}

/** The timed scheduler's answers: exactly the draws the PRNG always made, in the same order. */
export function seededChoices(random: Random): Choices {
  return {
    fault: (_what, p) => random.chance(p),
    delay: (_what, min, max) => random.between(min, max),
    spread: (min, max) => random.int(min, max),
    pick: (items) => random.pick(items),
  };
}

/**
 * The seeded answers, with a fault forced at the given choice points (counted as
 * `explore` counts them: only where the fleet makes another answer possible). `check`
 * lets fast-check draw those points, so a counterexample shrinks in when its faults
 * strike, not only in how big the fleet is. The PRNG is drawn at every point all the same,
 * so forcing one fault leaves every other decision of the run as it was.
 */
export function forcingChoices(
  base: Choices,
  forced: readonly number[],
  taken?: string[],
): Choices {
  const at = new Set(forced);
  let next = 0;
  const force = (what: () => string) => {
    if (!at.has(next++)) return false;
    taken?.push(what());
    return true;
  };
  return {
    fault: (what, p) => {
      const drawn = base.fault(what, p);
      return p > 0 && p < 1 && force(what) ? true : drawn;
    },
    delay: (what, min, max, reorders) => {
      const drawn = base.delay(what, min, max, reorders);
      return min < max && reorders && force(what) ? max : drawn;
    },
    spread: base.spread,
    pick: base.pick,
  };
}
