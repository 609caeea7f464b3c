import { hostsOf, makeFleet, numbered } from '../build.ts';
import { probe } from '../defaults.ts';
import type { Fleet } from '../fleet.ts';

export const BUDGET_SELECTOR = 'batch';
export const BUDGET_MAX_IN_FLIGHT = 2;

/**
 * A disruption budget: 12 hosts rolled out all at once (one wave, soak 5 min), but a
 * budget over all of them lets at most 2 be Activating or Soaking at a time, so the
 * planner's disruption-budget gate defers the rest.
 */
export function budgetFleet(): Fleet {
  const hosts = numbered('batch-', 1, 12, 2);
  return makeFleet({
    name: 'budget',
    channels: { stable: { rollout_policy: 'all-at-once', initial_ref: 'v1', releases: [] } },
    rollout_policies: {
      'all-at-once': {
        strategy: 'all-at-once',
        on_health_failure: 'rollback-and-halt',
        waves: [{ hosts, soak_minutes: 5 }],
      },
    },
    hosts: hostsOf(hosts, { channel: 'stable', tags: ['batch'], probes: [probe('http')] }),
    disruption_budgets: [
      {
        selector: BUDGET_SELECTOR,
        hosts,
        max_in_flight: BUDGET_MAX_IN_FLIGHT,
        max_in_flight_pct: null,
      },
    ],
  });
}
