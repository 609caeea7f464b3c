/**
 * The JSON contract of DESIGN §3: serde-default wire JSON (externally tagged enums,
 * snake_case fields, RFC 3339 timestamps, `null` for `None`) <-> the camelCase domain
 * types of `machines/`.
 *
 * - `decodeX(json)` validates parsed JSON and never throws: `{ ok: true, value }` or
 *   `{ ok: false, error: { path, message } }` for the first problem found;
 *   `formatDecodeError` makes that one line.
 * - `encodeX(value)` returns a plain JSON-ready value; `decodeX(encodeX(x))` gives `x`
 *   back for every valid `x`. Encoders assume valid values (an `Instant` that is not an
 *   integer in years 0000–9999 throws a `RangeError`).
 * - The codecs themselves (`rolloutEvent`, `hostRecord`, …) are exported for composing
 *   larger formats (traces, fleet files).
 */
import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostTransitionError } from '../../machines/host/error.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import type { Timestamp } from '../../machines/time.ts';
import { type Codec, decoderFor, type JsonValue } from './codec.ts';
import type { DecodeResult } from './decode-error.ts';
import { hostEffect, hostEvent, hostPolicy, hostRecord, hostTransitionError } from './host.ts';
import { outboundAgentEvent } from './outbound.ts';
import { rolloutEffect, rolloutEvent, rolloutRecord, rolloutTransitionError } from './rollout.ts';
import {
  type HostStepInput,
  type HostStepOutput,
  hostStepInput,
  hostStepOutput,
  type RolloutStepInput,
  type RolloutStepOutput,
  rolloutStepInput,
  rolloutStepOutput,
} from './step-io.ts';

export type { Codec, JsonValue } from './codec.ts';
export { decoderFor } from './codec.ts';
export {
  type DecodeError,
  type DecodeResult,
  formatDecodeError,
} from './decode-error.ts';
export { hostEffect, hostEvent, hostPolicy, hostRecord, hostTransitionError } from './host.ts';
export { outboundAgentEvent } from './outbound.ts';
export { probeRecord, probeSubResult, probeTopologyEntry } from './probe.ts';
export { rolloutEffect, rolloutEvent, rolloutRecord, rolloutTransitionError } from './rollout.ts';
export {
  decodeHostStepInput,
  decodeRolloutStepInput,
  decodeStepInput,
  encodeInvalidInput,
  type HostStepInput,
  type HostStepOutput,
  hostStepInput,
  hostStepOutput,
  type RolloutStepInput,
  type RolloutStepOutput,
  rolloutStepInput,
  rolloutStepOutput,
  type StepInput,
} from './step-io.ts';
export { snakeCase } from './struct.ts';
export {
  decodeTimestamp,
  encodeTimestamp,
  MAX_INSTANT,
  MIN_INSTANT,
  parseRfc3339,
  timestamp,
} from './timestamp.ts';

type Decoder<T> = (json: unknown) => DecodeResult<T>;
type Encoder<T> = (value: T) => JsonValue;

const encoderOf = <T>(c: Codec<T>): Encoder<T> => c.encode;

export const decodeRolloutRecord: Decoder<RolloutRecord<Timestamp, Int64>> =
  decoderFor(rolloutRecord);
export const encodeRolloutRecord: Encoder<RolloutRecord<Timestamp, Int64>> =
  encoderOf(rolloutRecord);
export const decodeRolloutEvent: Decoder<RolloutEvent<Timestamp>> = decoderFor(rolloutEvent);
export const encodeRolloutEvent: Encoder<RolloutEvent<Timestamp>> = encoderOf(rolloutEvent);
export const decodeRolloutEffect: Decoder<RolloutEffect<Timestamp>> = decoderFor(rolloutEffect);
export const encodeRolloutEffect: Encoder<RolloutEffect<Timestamp>> = encoderOf(rolloutEffect);
export const decodeRolloutTransitionError: Decoder<RolloutTransitionError> =
  decoderFor(rolloutTransitionError);
export const encodeRolloutTransitionError: Encoder<RolloutTransitionError> =
  encoderOf(rolloutTransitionError);

export const decodeHostRecord: Decoder<HostRecord<Timestamp, Int64>> = decoderFor(hostRecord);
export const encodeHostRecord: Encoder<HostRecord<Timestamp, Int64>> = encoderOf(hostRecord);
export const decodeHostPolicy: Decoder<HostPolicy> = decoderFor(hostPolicy);
export const encodeHostPolicy: Encoder<HostPolicy> = encoderOf(hostPolicy);
export const decodeHostEvent: Decoder<HostEvent<Timestamp, Int64>> = decoderFor(hostEvent);
export const encodeHostEvent: Encoder<HostEvent<Timestamp, Int64>> = encoderOf(hostEvent);
export const decodeHostEffect: Decoder<HostEffect<Timestamp, Int64>> = decoderFor(hostEffect);
export const encodeHostEffect: Encoder<HostEffect<Timestamp, Int64>> = encoderOf(hostEffect);
export const decodeHostTransitionError: Decoder<HostTransitionError<Int64>> =
  decoderFor(hostTransitionError);
export const encodeHostTransitionError: Encoder<HostTransitionError<Int64>> =
  encoderOf(hostTransitionError);

export const decodeOutboundAgentEvent: Decoder<OutboundAgentEvent<Timestamp, Int64>> =
  decoderFor(outboundAgentEvent);
export const encodeOutboundAgentEvent: Encoder<OutboundAgentEvent<Timestamp, Int64>> =
  encoderOf(outboundAgentEvent);

export const encodeRolloutStepInput: Encoder<RolloutStepInput> = encoderOf(rolloutStepInput);
export const encodeHostStepInput: Encoder<HostStepInput> = encoderOf(hostStepInput);
export const decodeRolloutStepOutput: Decoder<RolloutStepOutput> = decoderFor(rolloutStepOutput);
export const encodeRolloutStepOutput: Encoder<RolloutStepOutput> = encoderOf(rolloutStepOutput);
export const decodeHostStepOutput: Decoder<HostStepOutput> = decoderFor(hostStepOutput);
export const encodeHostStepOutput: Encoder<HostStepOutput> = encoderOf(hostStepOutput);
