import { HOST_EVENT_TYPES, type HostEventType } from '../../machines/host/event.ts';
import { HOST_STATES, type HostState } from '../../machines/host/state.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  ROLLOUT_STATES,
  type RolloutRecord,
  type RolloutState,
} from '../../machines/rollout/state.ts';
import { toInstant } from '../../machines/time.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { FaultKind, TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import {
  decodeTimestamp,
  rolloutEffect,
  rolloutEvent,
  rolloutTransitionError,
} from '../codec/index.ts';
import { withInstants } from './instants.ts';

/*
 * A `rollout-sim-trace/1` line (already JSON-parsed) back to the in-memory `TraceRecord`
 * the simulator emitted, so that the UI can show a recorded run exactly as it shows a
 * live one. The inverse of `encodeRecord` (format.ts), with one gap: a rollout event's
 * line carries the state and cursor after the step, not the whole record, so the
 * decoder keeps each rollout's row itself — created at `rollout_opened` as the control
 * plane creates it, then moved by each accepted step (state, cursor, and the
 * terminal/superseded stamps of its `RecordRolloutTransition` effects). The event-log
 * sequence numbers never appear in traces and stay null.
 *
 * Nested domain values (rollout events, effects, errors) go through the wire codecs;
 * the flat record shapes are checked by hand, which keeps a 130k-line trace quick.
 */

export type DecodedRecord =
  | { readonly ok: true; readonly record: TraceRecord }
  | { readonly ok: false; readonly message: string };

class Bad extends Error {}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function field(json: Json, name: string): unknown {
  if (!(name in json)) throw new Bad(`${name}: missing field`);
  return json[name];
}

function str(json: Json, name: string): string {
  const v = field(json, name);
  if (typeof v !== 'string') throw new Bad(`${name}: expected a string`);
  return v;
}

function num(json: Json, name: string): number {
  const v = field(json, name);
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Bad(`${name}: expected a number`);
  return v;
}

function count(json: Json, name: string): number {
  const v = num(json, name);
  if (!Number.isInteger(v) || v < 0) throw new Bad(`${name}: expected a non-negative integer`);
  return v;
}

function oneOf<T extends string>(json: Json, name: string, values: readonly T[]): T {
  const v = str(json, name);
  if (!(values as readonly string[]).includes(v)) throw new Bad(`${name}: unknown value "${v}"`);
  return v as T;
}

function viaCodec<T>(
  schema: {
    safeParse(v: unknown): { success: true; data: unknown } | { success: false; error: unknown };
  },
  value: unknown,
  path: string,
): T {
  const r = schema.safeParse(value);
  // The wire codec's times are `Timestamp`s; a trace's are the sim's millisecond `Instant`s.
  if (r.success) return withInstants(r.data) as T;
  const issue = (r.error as { issues?: { path: PropertyKey[]; message: string }[] }).issues?.[0];
  const where = issue === undefined ? path : [path, ...issue.path.map(String)].join('.');
  throw new Bad(`${where}: ${issue?.message ?? 'invalid'}`);
}

function time(text: unknown, name: string): number | null {
  if (text === null) return null;
  const d = decodeTimestamp(text);
  if (!d.ok) throw new Bad(`${name}: ${d.error.message}`);
  return toInstant(d.value);
}

/** Traces written before the end reasons were split said `settled` / `until`. */
function endReason(v: unknown): RunSummary['ended'] {
  if (v === 'stalled' || v === 'interrupted' || v === 'error') return v;
  if (v === 'horizon' || v === 'until') return 'horizon';
  return 'terminal';
}

function decodeStall(v: unknown): RunSummary['stall'] {
  if (!isObject(v)) return null;
  const groups = Array.isArray(v.groups) ? v.groups.filter(isObject) : [];
  return {
    blockedHosts: typeof v.blocked_hosts === 'number' ? v.blocked_hosts : 0,
    groups: groups.map((g, i) => ({
      rolloutId: str(g, 'rollout_id'),
      gate: str(g, 'gate'),
      reason: str(g, 'reason'),
      hosts: Array.isArray(g.hosts)
        ? g.hosts.filter((h): h is string => typeof h === 'string')
        : [],
      since: time(g.since, `stall.groups[${i}].since`) ?? RUN_START,
      permanent: g.permanent === true,
      why: typeof g.why === 'string' ? g.why : '',
      spec: typeof g.spec === 'string' ? g.spec : '',
    })),
  };
}

/** The `end` record's summary in its wire form (summary-json.ts) back to a `RunSummary`. */
export function decodeSummary(json: unknown): RunSummary {
  if (!isObject(json)) throw new Bad('summary: expected an object');
  const events = isObject(json.events) ? json.events : {};
  const n = (name: string) => (typeof events[name] === 'number' ? (events[name] as number) : 0);
  const rollouts = Array.isArray(json.rollouts) ? json.rollouts : [];
  return {
    fleet: typeof json.fleet === 'string' ? json.fleet : '',
    profile: typeof json.profile === 'string' ? json.profile : '',
    seed: typeof json.seed === 'number' ? json.seed : 0,
    ended: endReason(json.ended),
    stall: decodeStall(json.stall),
    simSeconds: num(json, 'sim_seconds'),
    wallSeconds: typeof json.wall_seconds === 'number' ? json.wall_seconds : null,
    rollouts: rollouts.filter(isObject).map((r, i) => ({
      rolloutId: str(r, 'rollout_id'),
      channel: typeof r.channel === 'string' ? r.channel : '',
      targetRef: typeof r.target_ref === 'string' ? r.target_ref : '',
      state: str(r, 'state') as RolloutState | 'deleted',
      currentWave: count(r, 'current_wave'),
      openedAt: time(r.opened_at, `summary.rollouts.${i}.opened_at`) ?? RUN_START,
      terminalAt: time(r.terminal_at ?? null, `summary.rollouts.${i}.terminal_at`),
      supersededAt: time(r.superseded_at ?? null, `summary.rollouts.${i}.superseded_at`),
      hosts: isObject(r.hosts) ? (r.hosts as Partial<Record<HostState, number>>) : {},
    })),
    events: {
      hostSteps: n('host_steps'),
      rolloutSteps: n('rollout_steps'),
      scheduled: n('scheduled'),
      dispatches: n('dispatches'),
      deferredDispatches: n('deferred_dispatches'),
      faults: n('faults'),
      droppedErrors: n('dropped_errors'),
    },
    quarantined: Array.isArray(json.quarantined)
      ? json.quarantined.filter(isObject).map((q) => ({
          channel: String(q.channel),
          closure: String(q.closure),
        }))
      : [],
  };
}

/**
 * Decodes the records of one trace, in order. Stateful: it keeps each rollout's row so
 * that a rollout event decodes to the full `RolloutStepResult` the simulator produced.
 */
export class TraceDecoder {
  private readonly rows = new Map<string, RolloutRecord>();

  /** @param start the run's start on the virtual clock (the header's `start`). */
  constructor(private readonly start: number = RUN_START) {}

  decode(json: unknown): DecodedRecord {
    try {
      return { ok: true, record: this.record(json) };
    } catch (error) {
      if (error instanceof Bad) return { ok: false, message: error.message };
      throw error;
    }
  }

  private at(json: Json): number {
    const seconds = num(json, 't');
    if (seconds < 0) throw new Bad('t: expected a non-negative number');
    return this.start + Math.round(seconds * 1000);
  }

  private record(json: unknown): TraceRecord {
    if (!isObject(json)) throw new Bad('expected a JSON object');
    const type = str(json, 'type');
    switch (type) {
      case 'rollout_opened': {
        const r: TraceRecord = {
          type,
          t: this.at(json),
          rolloutId: str(json, 'rollout_id'),
          channel: str(json, 'channel'),
          targetRef: str(json, 'target_ref'),
        };
        this.rows.set(r.rolloutId, {
          ...openRolloutRecord(r.channel, r.targetRef, r.t),
          rolloutId: r.rolloutId,
        });
        return r;
      }
      case 'rollout_event':
        return this.rolloutEvent(json);
      case 'host_transition':
        return {
          type,
          t: this.at(json),
          side: oneOf(json, 'side', ['cp', 'agent'] as const),
          rolloutId: str(json, 'rollout_id'),
          host: str(json, 'host'),
          event: oneOf<HostEventType>(json, 'event', HOST_EVENT_TYPES),
          from: oneOf<HostState>(json, 'from', HOST_STATES),
          to: oneOf<HostState>(json, 'to', HOST_STATES),
        };
      case 'wave_cursor':
        return {
          type,
          t: this.at(json),
          rolloutId: str(json, 'rollout_id'),
          from: count(json, 'from'),
          to: count(json, 'to'),
        };
      case 'dispatch':
        return {
          type,
          t: this.at(json),
          rolloutId: str(json, 'rollout_id'),
          host: str(json, 'host'),
          wave: count(json, 'wave'),
        };
      case 'gate':
        return {
          type,
          t: this.at(json),
          rolloutId: str(json, 'rollout_id'),
          host: str(json, 'host'),
          gate: str(json, 'gate'),
          reason: str(json, 'reason'),
        };
      case 'fault': {
        const host = json.host ?? null;
        if (host !== null && typeof host !== 'string')
          throw new Bad('host: expected a string or null');
        return {
          type,
          t: this.at(json),
          kind: str(json, 'kind') as FaultKind,
          host,
          detail: typeof json.detail === 'string' ? json.detail : '',
        };
      }
      case 'end':
        return { type, t: this.at(json), summary: decodeSummary(field(json, 'summary')) };
      default:
        throw new Bad(`type: unknown record type "${type}"`);
    }
  }

  private rolloutEvent(json: Json): TraceRecord {
    const t = this.at(json);
    const rolloutId = str(json, 'rollout_id');
    const event = viaCodec<RolloutEvent>(rolloutEvent.schema, field(json, 'event'), 'event');
    const result = field(json, 'result');
    if (!isObject(result)) throw new Bad('result: expected an object');
    const prior = this.rows.get(rolloutId);
    if (result.ok === true) {
      const state = oneOf<RolloutState>(result, 'state', ROLLOUT_STATES);
      const currentWave = count(result, 'current_wave');
      const raw = field(result, 'effects');
      if (!Array.isArray(raw)) throw new Bad('result.effects: expected an array');
      const effects = raw.map((e, i) =>
        viaCodec<RolloutEffect>(rolloutEffect.schema, e, `result.effects.${i}`),
      );
      let record: RolloutRecord = {
        ...(prior ?? openRolloutRecord('', '', t)),
        rolloutId,
        state,
        currentWave,
      };
      for (const e of effects) {
        if (e.type !== 'RecordRolloutTransition') continue;
        if (e.to === 'Terminal') record = { ...record, terminalAt: e.at };
        if (e.to === 'Superseded') record = { ...record, supersededAt: e.at };
      }
      this.rows.set(rolloutId, record);
      return {
        type: 'rollout_event',
        t,
        rolloutId,
        event,
        result: { ok: true, record, effects },
        currentWave,
      };
    }
    if (result.ok !== false) throw new Bad('result.ok: expected true or false');
    const error = viaCodec<RolloutTransitionError>(
      rolloutTransitionError.schema,
      field(result, 'error'),
      'result.error',
    );
    const currentWave =
      typeof result.current_wave === 'number' ? result.current_wave : (prior?.currentWave ?? 0);
    return {
      type: 'rollout_event',
      t,
      rolloutId,
      event,
      result: { ok: false, error },
      currentWave,
    };
  }
}
