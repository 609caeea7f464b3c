import type { HostEffect } from '../../../machines/host/effect.ts';
import type { HostTransitionError } from '../../../machines/host/error.ts';
import type { HostRecord } from '../../../machines/host/state.ts';
import type { RolloutEffect } from '../../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../../machines/rollout/error.ts';
import type { RolloutRecord } from '../../../machines/rollout/state.ts';
import {
  hostEffect,
  hostRecord,
  hostTransitionError,
  type JsonValue,
  rolloutEffect,
  rolloutRecord,
  rolloutTransitionError,
} from '../../codec/index.ts';
import type { AnyEffect, AnyError, AnyRecord, MachineName } from './model.ts';

/*
 * Records, effects and errors in the spec's wire form (snake_case, externally tagged),
 * through the same codecs `step` uses: the explorer shows what `rollout-sim step` would
 * print, so a designer can carry a state over to it.
 */

export function recordJson(machine: MachineName, r: AnyRecord): Record<string, JsonValue> {
  return (
    machine === 'rollout'
      ? rolloutRecord.encode(r as RolloutRecord)
      : hostRecord.encode(r as HostRecord)
  ) as Record<string, JsonValue>;
}

export function effectJson(machine: MachineName, e: AnyEffect): JsonValue {
  return machine === 'rollout'
    ? rolloutEffect.encode(e as RolloutEffect)
    : hostEffect.encode(e as HostEffect);
}

export function errorJson(machine: MachineName, e: AnyError): JsonValue {
  return machine === 'rollout'
    ? rolloutTransitionError.encode(e as RolloutTransitionError)
    : hostTransitionError.encode(e as HostTransitionError);
}

/** `{"Tag": {...}}` as `Tag {…}`: the variant first, the JSON of its fields after. */
export function tagged(json: JsonValue): string {
  if (json !== null && typeof json === 'object' && !Array.isArray(json)) {
    const [tag, body] = Object.entries(json)[0] ?? [];
    if (tag !== undefined && Object.keys(json).length === 1)
      return `${tag} ${JSON.stringify(body)}`;
  }
  return JSON.stringify(json);
}
