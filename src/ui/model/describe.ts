import type { TraceRecord } from '../../../sim/trace-record.ts';
import { clock } from './format.ts';

/*
 * One line of text per record: what the event log shows and what `/` filters on.
 * Reads like the domain (hosts, states, gates), not like the JSON.
 */

/** The short kind column: the record type, or the event for rollout events. */
export function kindOf(r: TraceRecord): string {
  switch (r.type) {
    case 'rollout_event':
      return r.event.type;
    case 'host_transition':
      return r.event;
    case 'fault':
      return `fault:${r.kind}`;
    default:
      return r.type;
  }
}

/** The host a record is about, if any. */
export function hostOf(r: TraceRecord): string | null {
  switch (r.type) {
    case 'host_transition':
    case 'dispatch':
    case 'gate':
      return r.host;
    case 'fault':
      return r.host;
    case 'rollout_event':
      return r.event.type === 'HostJoined' || r.event.type === 'HostStateChanged'
        ? r.event.hostId
        : null;
    default:
      return null;
  }
}

/** The rollout a record is about, if any. */
export function rolloutOfRecord(r: TraceRecord): string | null {
  switch (r.type) {
    case 'fault':
    case 'end':
      return r.type === 'fault' ? (r.detail.split(' ')[0] ?? null) : null;
    default:
      return r.rolloutId;
  }
}

export function describe(r: TraceRecord): string {
  switch (r.type) {
    case 'rollout_opened':
      return `${r.rolloutId} opened: channel ${r.channel}, ref ${r.targetRef}`;
    case 'rollout_event': {
      const e = r.event;
      const what =
        e.type === 'HostJoined'
          ? `${e.hostId} joined (wave ${e.wave})`
          : e.type === 'HostStateChanged'
            ? `${e.hostId} ${e.from}→${e.to}`
            : e.type === 'WaveAdvanced'
              ? `wave ${e.fromWave}→${e.toWave}`
              : e.type === 'OperatorClearance'
                ? `by ${e.operator}: ${e.reason}`
                : e.type === 'SuccessorOpened'
                  ? `by ${e.successorRolloutId}`
                  : '';
      const rolloutId = e.type === 'SuccessorOpened' ? e.supersededRolloutId : e.rolloutId;
      const head = `${rolloutId} ${e.type}${what === '' ? '' : ` ${what}`}`;
      if (!r.result.ok) return `${head} ✗ refused: ${r.result.error.type}`;
      const moves = r.result.effects
        .flatMap((x) => (x.type === 'RecordRolloutTransition' ? [`${x.from}→${x.to}`] : []))
        .join(', ');
      return moves === '' ? head : `${head} ⇒ rollout ${moves}`;
    }
    case 'host_transition':
      return `${r.host} [${r.side}] ${r.event} ${r.from}→${r.to}`;
    case 'wave_cursor':
      return `${r.rolloutId} wave cursor ${r.from}→${r.to}`;
    case 'dispatch':
      return `${r.rolloutId} dispatch ${r.host} (wave ${r.wave})`;
    case 'gate':
      return `${r.rolloutId} ${r.gate} holds ${r.host}: ${r.reason}`;
    case 'fault':
      return `fault ${r.kind}${r.host === null ? '' : ` ${r.host}`}${r.detail === '' ? '' : `: ${r.detail}`}`;
    case 'end':
      return `end: ${r.summary.ended} after ${clock(r.summary.simSeconds * 1000)}`;
  }
}
