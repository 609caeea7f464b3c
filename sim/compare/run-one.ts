import type { Fleet } from '../fleet/fleet.ts';
import { profile as makeProfile, type Profile } from '../profile.ts';
import type { Settings } from '../settings.ts';
import { simulate } from '../simulate.ts';
import { MetricsTracker, type RunMetrics } from './metrics.ts';
import { applyVariant, type Variant } from './variant.ts';

/** A scenario as the comparison runs it: the fleet and how it behaves before any variant. */
export interface Scenario {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly settings: Partial<Settings>;
  readonly untilSeconds: number | undefined;
}

/**
 * One paired run: the scenario under one variant on one seed. The seed alone fixes the
 * faults, so every variant of a seed meets the same ones (as far as the runs stay alike).
 */
export function runOne(scenario: Scenario, variant: Variant, seed: number): RunMetrics {
  const fleet = applyVariant(scenario.fleet, variant);
  const base = variant.profile ?? scenario.profile.base;
  const flags = {
    ...(variant.profile === undefined ? scenario.profile.flags : {}),
    ...variant.flags,
  };
  const tracker = new MetricsTracker();
  const result = simulate({
    fleet,
    profile: makeProfile(base, flags),
    seed,
    settings: { ...scenario.settings, ...variant.settings },
    ...(scenario.untilSeconds === undefined ? {} : { untilSeconds: scenario.untilSeconds }),
    sink: (r) => tracker.observe(r),
  });
  return tracker.finish(result.summary, result.world.now, Object.keys(fleet.hosts).length);
}
