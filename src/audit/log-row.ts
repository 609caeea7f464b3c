import type { Int64 } from '../../machines/int64.ts';
import type { Timestamp } from '../../machines/time.ts';
import { isObject } from '../codec/codec.ts';
import { mismatch } from '../codec/decode-error.ts';
import { parseRfc3339 } from '../codec/index.ts';
import { readJson } from '../codec/json-read.ts';

/*
 * One row of a nixfleet control plane's `event_log` table (CP/src/db/event_log.rs at
 * 080d6cd), exported as one JSON object a line: `seq`, `ts`, `kind`, `host_id`,
 * `rollout_id`, `payload`. The payload is the JSON text the applier wrote
 * (CP/src/runtime/applier.rs); an export may carry it as that text or as the object.
 *
 * Both are read with `readJson`, not `JSON.parse`: an agent's u64 `seq` past 2^53 stays
 * exact (a bigint) instead of being rounded to a neighbour, which could turn a gap into a
 * regression or hide one, and `1.0` for an integer is refused as serde refuses it.
 */

export const ROW_KINDS = [
  'agent_event',
  'plan_action',
  'effect',
  'gate_decision',
  'verify_outcome',
  'manifest_poll',
  'rollout_event',
] as const;
export type RowKind = (typeof ROW_KINDS)[number];

export interface LogRow {
  /** The line of the export it came from (1-based). */
  readonly line: number;
  /** `event_log.seq`, an SQLite INTEGER (i64). */
  readonly seq: Int64 | null;
  /** `ts`, read: a row whose `ts` is no RFC 3339 timestamp is unreadable, not a row. */
  readonly at: Timestamp;
  readonly kind: RowKind;
  readonly hostId: string | null;
  readonly rolloutId: string | null;
  readonly payload: Readonly<Record<string, unknown>>;
}

export type RowResult =
  | { readonly ok: true; readonly row: LogRow }
  | { readonly ok: false; readonly field: string; readonly message: string };

function optionalString(json: Record<string, unknown>, key: string): string | null | undefined {
  const v = json[key];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

/** One exported line to a row, or the field that could not be read. */
export function readRow(text: string, line: number): RowResult {
  const read = readJson(text);
  if (!read.ok) return { ok: false, field: '', message: `not valid JSON: ${read.message}` };
  const json = read.value;
  if (!isObject(json)) return { ok: false, field: '', message: 'expected a JSON object' };
  const seq = json.seq;
  // readJson gives a safe integer as a number and a larger one as a bigint.
  const i64 = (n: unknown) =>
    Number.isSafeInteger(n) || (typeof n === 'bigint' && n >= -(2n ** 63n) && n < 2n ** 63n);
  if (seq !== undefined && seq !== null && !i64(seq)) {
    return { ok: false, field: 'seq', message: 'expected an integer' };
  }
  // RFC 3339, as `event_log.ts` holds it: a row's time places it in the trace.
  const at = typeof json.ts === 'string' ? parseRfc3339(json.ts) : null;
  if (at === null)
    return { ok: false, field: 'ts', message: mismatch('an RFC 3339 timestamp', json.ts) };
  const kind = json.kind;
  if (typeof kind !== 'string' || !(ROW_KINDS as readonly string[]).includes(kind)) {
    return { ok: false, field: 'kind', message: `expected one of ${ROW_KINDS.join(', ')}` };
  }
  const hostId = optionalString(json, 'host_id');
  if (hostId === undefined)
    return { ok: false, field: 'host_id', message: 'expected a string or null' };
  const rolloutId = optionalString(json, 'rollout_id');
  if (rolloutId === undefined)
    return { ok: false, field: 'rollout_id', message: 'expected a string or null' };
  let payload = json.payload;
  if (typeof payload === 'string') {
    const inner = readJson(payload);
    if (!inner.ok)
      return { ok: false, field: 'payload', message: `not valid JSON: ${inner.message}` };
    payload = inner.value;
  }
  if (!isObject(payload)) return { ok: false, field: 'payload', message: 'expected a JSON object' };
  return {
    ok: true,
    row: {
      line,
      seq: (seq as Int64 | undefined) ?? null,
      at,
      kind: kind as RowKind,
      hostId,
      rolloutId,
      payload,
    },
  };
}
