import type { Int64 } from '../int64.ts';
import { type StepResult, stepper } from '../stepper.ts';
import type { Instant, Timestamp } from '../time.ts';
import { hostActions, withOwnContext } from './actions.ts';
import type { HostContext } from './context.ts';
import type { HostEffect } from './effect.ts';
import type { HostTransitionError } from './error.ts';
import type { HostEvent } from './event.ts';
import { hostGuards } from './guards.ts';
import { hostMachine } from './machine.ts';
import type { HostPolicy, HostRecord } from './state.ts';

export type HostStepResult<T extends Timestamp = Instant, I extends Int64 = number> = StepResult<
  HostRecord<T, I>,
  HostEffect<T, I>,
  HostTransitionError<I>
>;

const host = stepper<HostRecord, HostEffect, HostTransitionError, HostContext, HostEvent>(
  hostMachine,
  hostGuards,
  hostActions,
);

/**
 * `step(state, event, policy)`: the host machine's answer to one event, effects in
 * emitted order, or the refusal. Never throws for a domain reason; a refused event
 * leaves the caller's record as it was.
 */
/**
 * One host step. Generic in the time type: the simulator steps millisecond `Instant`s,
 * the wire contract steps nanosecond `Timestamp`s. The reducer never does arithmetic on a
 * time: it copies times from the event into the record and effects, and compares them
 * only through `compareTimestamps` (the soak guard). So the machine, typed over
 * `Instant`, runs unchanged on any `Timestamp`, and what it returns holds the caller's
 * times. The same holds for the integer type (`Int64`): seqs are copied and compared
 * with `<=` only, which is exact across `number` and `bigint`. The casts state that and
 * nothing more.
 */
export function hostStep<T extends Timestamp = Instant, I extends Int64 = number>(
  record: HostRecord<T, I>,
  event: HostEvent<T, I>,
  policy: HostPolicy,
): HostStepResult<T, I> {
  return withOwnContext(record as HostRecord, (own, effects) =>
    host.step({ record: own, policy, effects, error: null }, event as HostEvent),
  ) as HostStepResult<T, I>;
}

/** The same step through XState's own pure `transition()`; the reference the fast path is tested against. */
export function hostStepViaXState<T extends Timestamp = Instant, I extends Int64 = number>(
  record: HostRecord<T, I>,
  event: HostEvent<T, I>,
  policy: HostPolicy,
): HostStepResult<T, I> {
  return host.viaXState(
    { record: record as HostRecord, policy, effects: [], error: null },
    event as HostEvent,
  ) as HostStepResult<T, I>;
}
