import fc from 'fast-check';
import type { HostSpec } from '../scenario.ts';

/** A host: zero to two probes, any mode, interval 5–60 s (shrinks to no probes). */
export const hostArbitrary: fc.Arbitrary<HostSpec> = fc.record({
  probes: fc.array(
    fc.record({
      mode: fc.constantFrom('enforce' as const, 'observe' as const, 'disabled' as const),
      intervalSeconds: fc.constantFrom(5, 15, 30, 60),
    }),
    { maxLength: 2 },
  ),
});
