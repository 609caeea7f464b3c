import type { HostEvent } from '../../machines/host/event.ts';
import { remoteOf } from '../../machines/host/outbound.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { Timestamp } from '../../machines/time.ts';
import { decodeOutboundAgentEvent, decodeRolloutEvent, formatDecodeError } from '../codec/index.ts';
import { JsonFloat } from '../codec/json-read.ts';
import { snakeCase } from '../codec/struct.ts';

/*
 * The applier's event-log payloads (CP/src/runtime/applier.rs at 080d6cd) to domain
 * values. They are hand-written JSON, not serde: a `kind` (or `effect`) tag beside
 * camelCase fields, times from `to_rfc3339()` (`+00:00`). Turning the keys to
 * snake_case and the tag into serde's external tag makes them the wire shapes the
 * codecs already read. The agent-event form drops `effectiveMode` and `overrideReason`
 * from probe sub-results; the codecs fill in serde's defaults (enforce, None).
 */

export type Decoded<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function snakeKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(snakeKeys);
  // A `JsonFloat` (`1.0`) is a value, not an object: the codec refuses it where an
  // integer is due, as serde does.
  if (typeof value !== 'object' || value === null || value instanceof JsonFloat) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[snakeCase(k)] = snakeKeys(v);
  return out;
}

function tagged(payload: Readonly<Record<string, unknown>>, tagKey: string): Decoded<unknown> {
  const { [tagKey]: tag, ...fields } = payload;
  if (typeof tag !== 'string') {
    return { ok: false, field: `payload.${tagKey}`, message: 'expected a string' };
  }
  return { ok: true, value: { [tag]: snakeKeys(fields) } };
}

function via<T>(
  r: { ok: true; value: T } | { ok: false; error: { path: string; message: string } },
): Decoded<T> {
  return r.ok
    ? r
    : {
        ok: false,
        field: `payload${r.error.path === '' ? '' : '.'}`,
        message: formatDecodeError(r.error),
      };
}

/** A `rollout_event` payload: `{"kind": "HostJoined", "rolloutId": …, …}`. */
export function rolloutEventOf(
  payload: Readonly<Record<string, unknown>>,
): Decoded<RolloutEvent<Timestamp>> {
  const t = tagged(payload, 'kind');
  return t.ok ? via(decodeRolloutEvent(t.value)) : t;
}

/** An `agent_event` payload (the outbound event) as the Remote event the CP steps. */
export function remoteEventOf(
  payload: Readonly<Record<string, unknown>>,
): Decoded<HostEvent<Timestamp, Int64>> {
  const t = tagged(payload, 'kind');
  if (!t.ok) return t;
  const d = via(decodeOutboundAgentEvent(t.value));
  return d.ok
    ? { ok: true, value: remoteOf(d.value as never) as unknown as HostEvent<Timestamp, Int64> }
    : d;
}
