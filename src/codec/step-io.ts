import * as z from 'zod';
import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostTransitionError } from '../../machines/host/error.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import type { Timestamp } from '../../machines/time.ts';
import {
  array,
  type Codec,
  codec,
  decoderFor,
  isObject,
  type JsonValue,
  parseInto,
  report,
} from './codec.ts';
import { type DecodeResult, describeValue } from './decode-error.ts';
import { hostEffect, hostEvent, hostPolicy, hostRecord, hostTransitionError } from './host.ts';
import { rolloutEffect, rolloutEvent, rolloutRecord, rolloutTransitionError } from './rollout.ts';
import { struct } from './struct.ts';

/*
 * The `rollout-sim step` contract (DESIGN §3): one JSON object in, one out.
 */

/** `{"record": RolloutRecord<Timestamp, Int64>, "event": RolloutEvent}`. */
export interface RolloutStepInput {
  readonly record: RolloutRecord<Timestamp, Int64>;
  readonly event: RolloutEvent<Timestamp>;
}

/** `{"host": HostRolloutState, "event": Event, "policy": {"on_health_failure": …}}`. */
export interface HostStepInput {
  readonly host: HostRecord<Timestamp, Int64>;
  readonly event: HostEvent<Timestamp, Int64>;
  readonly policy: HostPolicy;
}

/** What `rolloutStep(record, event)` returns. */
export type RolloutStepOutput =
  | {
      readonly ok: true;
      readonly record: RolloutRecord<Timestamp, Int64>;
      readonly effects: readonly RolloutEffect<Timestamp>[];
    }
  | { readonly ok: false; readonly error: RolloutTransitionError };

/** What `hostStep(record, event, policy)` returns; on the wire `record` is called `host`. */
export type HostStepOutput =
  | {
      readonly ok: true;
      readonly record: HostRecord<Timestamp, Int64>;
      readonly effects: readonly HostEffect<Timestamp, Int64>[];
    }
  | { readonly ok: false; readonly error: HostTransitionError<Int64> };

/** Either input, told apart by its keys; `kind` says which. */
export type StepInput =
  | ({ readonly kind: 'rollout' } & RolloutStepInput)
  | ({ readonly kind: 'host' } & HostStepInput);

export const rolloutStepInput: Codec<RolloutStepInput> = struct({
  record: rolloutRecord,
  event: rolloutEvent,
});

export const hostStepInput: Codec<HostStepInput> = struct({
  host: hostRecord,
  event: hostEvent,
  policy: hostPolicy,
});

type StepOutput<R, E, X> =
  | { readonly ok: true; readonly record: R; readonly effects: readonly E[] }
  | { readonly ok: false; readonly error: X };

/**
 * `{"ok": true, "<recordKey>": …, "effects": […]}` or `{"ok": false, "error": …}`; `ok`
 * decides which fields are read.
 */
function stepOutput<R, E, X>(
  recordKey: string,
  record: Codec<R>,
  effect: Codec<E>,
  error: Codec<X>,
): Codec<StepOutput<R, E, X>> {
  const effects = array(effect);
  const success = z.object({ [recordKey]: record.schema, effects: effects.schema });
  const failure = z.object({ error: error.schema });

  const build = (suffix: string): z.ZodType<StepOutput<R, E, X>> =>
    z.unknown().transform((input, ctx): StepOutput<R, E, X> => {
      if (!isObject(input)) {
        report(ctx, `expected a step output object${suffix}, got ${describeValue(input)}`);
        return z.NEVER;
      }
      const ok = input.ok;
      if (typeof ok !== 'boolean') {
        const message =
          ok === undefined ? 'missing field' : `expected a boolean, got ${describeValue(ok)}`;
        report(ctx, message, ['ok']);
        return z.NEVER;
      }
      if (ok) {
        const parsed = parseInto(ctx, success, input, []);
        if (parsed === undefined) return z.NEVER;
        const wire = parsed.value as Record<string, unknown>;
        return { ok, record: wire[recordKey] as R, effects: wire.effects as readonly E[] };
      }
      const parsed = parseInto(ctx, failure, input, []);
      return parsed === undefined ? z.NEVER : { ok, error: parsed.value.error as X };
    });

  const encode = (output: StepOutput<R, E, X>): JsonValue =>
    output.ok
      ? {
          ok: true,
          [recordKey]: record.encode(output.record),
          effects: effects.encode(output.effects),
        }
      : { ok: false, error: error.encode(output.error) };

  return codec(build, encode);
}

export const rolloutStepOutput: Codec<RolloutStepOutput> = stepOutput(
  'record',
  rolloutRecord,
  rolloutEffect,
  rolloutTransitionError,
);

export const hostStepOutput: Codec<HostStepOutput> = stepOutput(
  'host',
  hostRecord,
  hostEffect,
  hostTransitionError,
);

export const decodeRolloutStepInput: (json: unknown) => DecodeResult<RolloutStepInput> =
  decoderFor(rolloutStepInput);
export const decodeHostStepInput: (json: unknown) => DecodeResult<HostStepInput> =
  decoderFor(hostStepInput);

const EITHER_INPUT =
  'a rollout step input {"record", "event"} or a host step input {"host", "event", "policy"}';

/**
 * Either step input. An object with a `host` or `policy` key is read as a host input,
 * else one with a `record` key as a rollout input; anything else is neither.
 */
export function decodeStepInput(json: unknown): DecodeResult<StepInput> {
  if (isObject(json)) {
    if (Object.hasOwn(json, 'host') || Object.hasOwn(json, 'policy')) {
      const r = decodeHostStepInput(json);
      return r.ok ? { ok: true, value: { kind: 'host', ...r.value } } : r;
    }
    if (Object.hasOwn(json, 'record')) {
      const r = decodeRolloutStepInput(json);
      return r.ok ? { ok: true, value: { kind: 'rollout', ...r.value } } : r;
    }
  }
  const got = isObject(json) ? 'an object with neither "record" nor "host"' : describeValue(json);
  return { ok: false, error: { path: '', message: `expected ${EITHER_INPUT}, got ${got}` } };
}

/** The answer to a line that is not valid input: `{"ok": false, "error": {"InvalidInput": …}}`. */
export function encodeInvalidInput(line: number, message: string): JsonValue {
  return { ok: false, error: { InvalidInput: { line, message } } };
}
