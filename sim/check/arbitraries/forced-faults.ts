import fc from 'fast-check';

/**
 * Up to two choice points of a run where a fault is forced (see `forcingChoices`). They
 * shrink toward none and toward earlier points, so a counterexample ends with the fewest
 * faults its failure needs, struck as early as they can be.
 */
export const forcedFaultsArbitrary: fc.Arbitrary<readonly number[]> = fc
  .uniqueArray(fc.nat({ max: 299 }), { maxLength: 2 })
  .map((points) => [...points].sort((a, b) => a - b));
