import type { HostEffect } from './effect.ts';
import type { HostTransitionError } from './error.ts';
import type { HostPolicy, HostRecord } from './state.ts';

/**
 * What the host machine carries through one step: the record, the signed policy the
 * step runs under (an input, spec §3.9), the effects emitted so far, and the refusal.
 */
export interface HostContext {
  readonly record: HostRecord;
  readonly policy: HostPolicy;
  readonly effects: readonly HostEffect[];
  readonly error: HostTransitionError | null;
}
