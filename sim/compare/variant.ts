import type { OnHealthFailure } from '../../machines/host/state.ts';
import type { Fleet, RolloutPolicy } from '../fleet/fleet.ts';
import type { ProfileFlags, ProfileName } from '../profile.ts';
import type { Settings } from '../settings.ts';

/**
 * One arm of a comparison: what it changes about the scenario. Everything left out is the
 * scenario's own (its profile, flags, settings and policies), so the first variant can be
 * the baseline with no changes at all.
 */
export interface Variant {
  readonly name: string;
  readonly profile?: ProfileName;
  readonly flags: Partial<ProfileFlags>;
  readonly settings: Partial<Settings>;
  /** Applied to every rollout policy of the fleet. */
  readonly onHealthFailure?: OnHealthFailure;
  readonly soakMinutes?: number;
  /** Every channel's hosts re-split into waves of these sizes; the last takes the rest. */
  readonly waveSizes?: readonly number[];
  /** Every disruption budget's `max_in_flight`; a fleet without one gets one over all hosts. */
  readonly maxInFlight?: number;
}

function rewave(policy: RolloutPolicy, sizes: readonly number[]): RolloutPolicy {
  const hosts = policy.waves.flatMap((w) => w.hosts);
  const soak = policy.waves[0]?.soak_minutes ?? 0;
  const waves: { hosts: string[]; soak_minutes: number }[] = [];
  let at = 0;
  for (const [i, size] of sizes.entries()) {
    if (at >= hosts.length) break;
    const end = i === sizes.length - 1 ? hosts.length : Math.min(hosts.length, at + size);
    waves.push({
      hosts: hosts.slice(at, end).sort(),
      soak_minutes: policy.waves[i]?.soak_minutes ?? soak,
    });
    at = end;
  }
  return { ...policy, waves: waves as RolloutPolicy['waves'] };
}

/** The scenario's fleet as this variant runs it. */
export function applyVariant(fleet: Fleet, v: Variant): Fleet {
  const policies: Record<string, RolloutPolicy> = {};
  for (const [name, p] of Object.entries(fleet.rollout_policies)) {
    let policy: RolloutPolicy = p;
    if (v.onHealthFailure !== undefined)
      policy = { ...policy, on_health_failure: v.onHealthFailure };
    if (v.waveSizes !== undefined) policy = rewave(policy, v.waveSizes);
    if (v.soakMinutes !== undefined) {
      const soak = v.soakMinutes;
      policy = { ...policy, waves: policy.waves.map((w) => ({ ...w, soak_minutes: soak })) };
    }
    policies[name] = policy;
  }
  let budgets = fleet.disruption_budgets;
  if (v.maxInFlight !== undefined) {
    const max = v.maxInFlight;
    budgets =
      budgets.length > 0
        ? budgets.map((b) => ({ ...b, max_in_flight: max }))
        : [
            {
              selector: 'compare-all',
              hosts: Object.keys(fleet.hosts).sort(),
              max_in_flight: max,
              max_in_flight_pct: null,
            } as Fleet['disruption_budgets'][number],
          ];
  }
  return { ...fleet, rollout_policies: policies, disruption_budgets: budgets };
}
