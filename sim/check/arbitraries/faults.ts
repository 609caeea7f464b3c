import fc from 'fast-check';
import type { FaultSpec, ProbeFaultSpec } from '../scenario.ts';

/** Rates shrink to 0: a counterexample keeps only the faults it needs. */
const rate = (max: number) => fc.constantFrom(0, max / 4, max);

export const probeFaultArbitrary: fc.Arbitrary<ProbeFaultSpec> = fc.record({
  pattern: fc.constantFrom(
    'fail' as const,
    'flaky' as const,
    'late-fail' as const,
    'recover' as const,
  ),
  hosts: fc.array(fc.nat(15), { maxLength: 3 }),
  ref: fc.option(fc.nat(2), { nil: null }),
  rate: fc.constantFrom(0.2, 0.5, 0.9),
  afterSeconds: fc.constantFrom(30, 120, 300),
});

const NO_FAULTS: FaultSpec = {
  probes: [],
  activationFailureRate: 0,
  deferralRate: 0,
  bootFailureRate: 0,
  dropRate: 0,
  duplicateRate: 0,
  partition: null,
  cpRestart: null,
  clockSkewSeconds: 0,
  replayRate: 0,
  manifestFailureRate: 0,
};

/**
 * What goes wrong: probe patterns, activation outcomes (a deferral's reboot failing too),
 * the wire, the control plane, host clocks, events offered twice, manifest polls that fail.
 * A quarter of the cases have no fault at all, so the liveness invariants (judged only
 * under that fairness assumption) are exercised too.
 */
export const faultsArbitrary: fc.Arbitrary<FaultSpec> = fc.oneof(
  { weight: 1, arbitrary: fc.constant(NO_FAULTS) },
  { weight: 3, arbitrary: someFaults() },
);

function someFaults(): fc.Arbitrary<FaultSpec> {
  return fc.record({
    probes: fc.array(probeFaultArbitrary, { maxLength: 2 }),
    activationFailureRate: rate(0.3),
    deferralRate: rate(0.3),
    bootFailureRate: rate(0.4),
    dropRate: rate(0.2),
    duplicateRate: rate(0.2),
    partition: fc.option(
      fc.record({
        host: fc.nat(15),
        fromMinutes: fc.nat(20),
        minutes: fc.integer({ min: 1, max: 10 }),
      }),
      {
        nil: null,
      },
    ),
    cpRestart: fc.option(
      fc.record({
        atMinutes: fc.integer({ min: 1, max: 30 }),
        downSeconds: fc.constantFrom(20, 60, 180),
      }),
      {
        nil: null,
      },
    ),
    clockSkewSeconds: fc.constantFrom(0, 30, 120),
    replayRate: rate(0.4),
    manifestFailureRate: rate(0.2),
  });
}
