import fc from 'fast-check';
import type { HostRecord } from '../../machines/host/state.ts';
import { hostState, onHealthFailure } from './enums.ts';
import { instant } from './instant.ts';
import { u64 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { probeRecord } from './probe-record.ts';
import { probeName, rolloutIdText, text } from './text.ts';

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

/** Any well-typed host record in any of the seven states (Deferred included). */
export const hostRecord: fc.Arbitrary<HostRecord> = plainRecord({
  rolloutId: rolloutIdText,
  hostname: text,
  channel: text,
  state: hostState,
  targetClosure: text,
  currentClosureAtDispatch: maybe(text),
  currentClosure: maybe(text),
  revertedTo: maybe(text),
  dispatchedAt: instant,
  dispatchAckedAt: maybe(instant),
  activationStartedAt: maybe(instant),
  activationCompletedAt: maybe(instant),
  activationFailedAt: maybe(instant),
  probeObservedFirstAt: maybe(instant),
  probeFailureFirstAt: maybe(instant),
  soakDueAt: maybe(instant),
  convergedAt: maybe(instant),
  failedAt: maybe(instant),
  policyApplied: maybe(onHealthFailure),
  revertedAt: maybe(instant),
  probes: fc.dictionary(probeName, probeRecord, { maxKeys: 4, noNullPrototype: true }),
  lastEventSeq: u64,
});
