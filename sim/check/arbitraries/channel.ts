import fc from 'fast-check';
import type { ChannelSpec } from '../scenario.ts';
import { hostArbitrary } from './host.ts';

/** A channel: 1–`maxHosts` hosts in 1–3 waves, soaks of 0–10 min, a policy, 0–2 releases. */
export function channelArbitrary(maxHosts: number): fc.Arbitrary<ChannelSpec> {
  return fc.record({
    hosts: fc.array(hostArbitrary, { minLength: 1, maxLength: maxHosts }),
    waves: fc.integer({ min: 1, max: 3 }),
    soakMinutes: fc.array(fc.constantFrom(0, 1, 5, 10), { minLength: 3, maxLength: 3 }),
    onHealthFailure: fc.constantFrom('rollback-and-halt' as const, 'halt' as const),
    releases: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 2 }),
  });
}
