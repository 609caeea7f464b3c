import type { TraceRecord } from '../../../sim/trace-record.ts';
import { describe, hostOf, kindOf, rolloutOfRecord } from './describe.ts';
import type { ModelMeta } from './meta.ts';

/*
 * The event log's filter, as typed after `/`: space-separated terms that must all
 * match. `host:web-0` (a host name or its prefix), `wave:2`, `rollout:stable@v1` (part of
 * a rollout id), `kind:fault` (part of the record type, event or fault kind); any other
 * word is looked for in the line's text. An empty filter matches everything.
 */

export type Filter = (r: TraceRecord) => boolean;

export const MATCH_ALL: Filter = () => true;

function waves(r: TraceRecord, meta: ModelMeta): number[] {
  switch (r.type) {
    case 'dispatch':
      return [r.wave];
    case 'wave_cursor':
      return [r.from, r.to];
    case 'rollout_event':
      if (r.event.type === 'HostJoined') return [r.event.wave];
      if (r.event.type === 'WaveAdvanced') return [r.event.fromWave, r.event.toWave];
      break;
    default:
      break;
  }
  const host = hostOf(r);
  const i = host === null ? undefined : meta.hostIndex.get(host);
  return i === undefined ? [] : [meta.hostWave[i] ?? -1];
}

function term(text: string, meta: ModelMeta): Filter | string {
  const colon = text.indexOf(':');
  const key = colon < 0 ? '' : text.slice(0, colon).toLowerCase();
  const value = colon < 0 ? text : text.slice(colon + 1);
  const lower = value.toLowerCase();
  switch (key) {
    case 'host':
      return (r) => hostOf(r)?.startsWith(value) ?? false;
    case 'wave': {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) return `wave: expected a wave number, got "${value}"`;
      return (r) => waves(r, meta).includes(n);
    }
    case 'rollout':
      return (r) => rolloutOfRecord(r)?.includes(value) ?? false;
    case 'kind':
      return (r) => kindOf(r).toLowerCase().includes(lower) || r.type.includes(lower);
    default:
      return (r) => describe(r).toLowerCase().includes(text.toLowerCase());
  }
}

/** The filter for a typed query, or what is wrong with it. */
export function parseFilter(
  query: string,
  meta: ModelMeta,
): { ok: true; filter: Filter } | { ok: false; message: string } {
  const terms = query.trim().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return { ok: true, filter: MATCH_ALL };
  const filters: Filter[] = [];
  for (const t of terms) {
    const f = term(t, meta);
    if (typeof f === 'string') return { ok: false, message: f };
    filters.push(f);
  }
  return { ok: true, filter: (r) => filters.every((f) => f(r)) };
}
