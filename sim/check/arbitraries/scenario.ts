import fc from 'fast-check';
import type { Scenario, ScenarioSpec } from '../scenario.ts';
import { channelArbitrary } from './channel.ts';
import { faultsArbitrary } from './faults.ts';

export interface ScenarioBounds {
  /** Hosts per channel, at most. */
  readonly maxHosts: number;
  readonly maxChannels: number;
}

export const DEFAULT_BOUNDS: ScenarioBounds = { maxHosts: 5, maxChannels: 2 };

/** A whole generated scenario: fleet, ordering, budgets, faults, releases, and the run's seed. */
export function scenarioArbitrary(bounds: ScenarioBounds = DEFAULT_BOUNDS): fc.Arbitrary<Scenario> {
  const spec: fc.Arbitrary<ScenarioSpec> = fc.record({
    channels: fc.array(channelArbitrary(bounds.maxHosts), {
      minLength: 1,
      maxLength: bounds.maxChannels,
    }),
    channelEdge: fc.boolean(),
    hostEdges: fc.array(fc.tuple(fc.nat(15), fc.nat(15)), { maxLength: 2 }),
    budget: fc.option(
      fc.record({
        hosts: fc.array(fc.nat(15), { minLength: 1, maxLength: 4 }),
        max: fc.integer({ min: 1, max: 2 }),
        wave: fc.option(fc.nat(2), { nil: null }),
      }),
      {
        nil: null,
      },
    ),
    faults: faultsArbitrary,
  });
  return fc.record({ spec, seed: fc.nat() });
}
