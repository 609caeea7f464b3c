import type { HostEvent } from '../../machines/host/event.ts';
import { remoteOf } from '../../machines/host/outbound.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { Timestamp } from '../../machines/time.ts';
import { decodeOutboundAgentEvent, decodeRolloutEvent } from '../codec/index.ts';
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

const WORD = /^[A-Za-z_][A-Za-z0-9_-]*$/;
/** One step of a decoder's path (`formatPath`): `key`, `.key`, `[0]` or `["a key"]`. */
const STEP = /^(?:\.?([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\])/;

/** `formatPath`'s text back to its keys and indices, or null for one it did not write. */
function pathSteps(path: string): (string | number)[] | null {
  const steps: (string | number)[] = [];
  for (let rest = path; rest !== ''; ) {
    const m = STEP.exec(rest);
    if (m === null) return null;
    steps.push(
      m[1] !== undefined ? m[1] : m[2] !== undefined ? Number(m[2]) : JSON.parse(m[3] as string),
    );
    rest = rest.slice(m[0].length);
  }
  return steps;
}

const camelCase = (name: string) => name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Where in the payload, as the applier wrote it, a decoder's error is: its path runs
 * through the serde form (`HostJoined.host_id`: the tag, then snake_case keys), the
 * field named is the payload's (`payload.hostId`). An error at the root is the tag's
 * (an unknown variant).
 */
function payloadField(payload: Readonly<Record<string, unknown>>, tagKey: string, path: string) {
  const steps = pathSteps(path);
  if (steps === null) return `payload.${path}`;
  if (steps.length === 0) return `payload.${tagKey}`;
  let out = 'payload';
  let value: unknown = payload;
  for (const step of steps.slice(1)) {
    if (typeof step === 'number') {
      out += `[${step}]`;
      value = Array.isArray(value) ? value[step] : undefined;
      continue;
    }
    const here =
      typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    // The key as written, or for a missing field the payload's own spelling of it.
    const key = Object.keys(here).find((k) => snakeCase(k) === step) ?? camelCase(step);
    out += WORD.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
    value = here[key];
  }
  return out;
}

function via<T>(
  payload: Readonly<Record<string, unknown>>,
  tagKey: string,
  r: { ok: true; value: T } | { ok: false; error: { path: string; message: string } },
): Decoded<T> {
  return r.ok
    ? r
    : { ok: false, field: payloadField(payload, tagKey, r.error.path), message: r.error.message };
}

/** A `rollout_event` payload: `{"kind": "HostJoined", "rolloutId": …, …}`. */
export function rolloutEventOf(
  payload: Readonly<Record<string, unknown>>,
): Decoded<RolloutEvent<Timestamp>> {
  const t = tagged(payload, 'kind');
  return t.ok ? via(payload, 'kind', decodeRolloutEvent(t.value)) : t;
}

/** An `agent_event` payload (the outbound event) as the Remote event the CP steps. */
export function remoteEventOf(
  payload: Readonly<Record<string, unknown>>,
): Decoded<HostEvent<Timestamp, Int64>> {
  const t = tagged(payload, 'kind');
  if (!t.ok) return t;
  const d = via(payload, 'kind', decodeOutboundAgentEvent(t.value));
  return d.ok
    ? { ok: true, value: remoteOf(d.value as never) as unknown as HostEvent<Timestamp, Int64> }
    : d;
}
