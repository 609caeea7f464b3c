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
import { channelWaveIndex, type Fleet } from '../../sim/fleet/fleet.ts';
import { TEN_YEARS_SECS } from '../../sim/settings.ts';
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

/*
 * Each reader names the field it reads; `at` is the path to the object it is in
 * (`summary.rollouts.0.`), empty for the record's own fields.
 */

function field(json: Json, name: string, at = ''): unknown {
  if (!(name in json)) throw new Bad(`${at}${name}: missing field`);
  return json[name];
}

function str(json: Json, name: string, at = ''): string {
  const v = field(json, name, at);
  if (typeof v !== 'string') throw new Bad(`${at}${name}: expected a string`);
  return v;
}

function num(json: Json, name: string, at = ''): number {
  const v = field(json, name, at);
  if (typeof v !== 'number') throw new Bad(`${at}${name}: expected a number`);
  // JSON.parse reads 1e309 as Infinity.
  if (!Number.isFinite(v)) throw new Bad(`${at}${name}: expected a finite number`);
  return v;
}

function count(json: Json, name: string, at = ''): number {
  const v = num(json, name, at);
  // A safe integer: 1e300 is an integer to JavaScript, but no count or wave is that large.
  if (!Number.isSafeInteger(v) || v < 0)
    throw new Bad(`${at}${name}: expected a non-negative integer, got ${v}`);
  return v;
}

/** A name (a rollout id, a host, a channel): a string that is not empty. */
function name(json: Json, field: string, at = ''): string {
  const v = str(json, field, at);
  if (v === '') throw new Bad(`${at}${field}: expected a non-empty string`);
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

const END_REASONS = ['terminal', 'horizon', 'stalled', 'interrupted', 'error'] as const;

/** Traces written before the end reasons were split said `settled` / `until`. */
function endReason(v: unknown): RunSummary['ended'] {
  if (v === 'terminal' || v === 'stalled' || v === 'interrupted' || v === 'error') return v;
  if (v === 'horizon' || v === 'until') return 'horizon';
  if (v === 'settled') return 'terminal';
  throw new Bad(
    `summary.ended: expected one of ${END_REASONS.join(', ')}, got ${v === undefined ? 'nothing' : JSON.stringify(v)}`,
  );
}

/** A host-count map of a summary rollout: `{"Converged": 23, …}`. */
function hostCounts(v: unknown, at: string): Partial<Record<HostState, number>> {
  if (!isObject(v)) throw new Bad(`${at}: expected an object`);
  for (const [state, n] of Object.entries(v)) {
    if (!(HOST_STATES as readonly string[]).includes(state))
      throw new Bad(`${at}: unknown host state "${state}"`);
    if (!Number.isSafeInteger(n) || (n as number) < 0)
      throw new Bad(`${at}.${state}: expected a non-negative integer`);
  }
  return v as Partial<Record<HostState, number>>;
}

function decodeStall(v: unknown, at: string): RunSummary['stall'] {
  if (!isObject(v)) return null;
  const groups = Array.isArray(v.groups) ? v.groups.filter(isObject) : [];
  return {
    blockedHosts: typeof v.blocked_hosts === 'number' ? v.blocked_hosts : 0,
    groups: groups.map((g, i) => ({
      rolloutId: str(g, 'rollout_id', `${at}.groups.${i}.`),
      gate: str(g, 'gate', `${at}.groups.${i}.`),
      reason: str(g, 'reason', `${at}.groups.${i}.`),
      hosts: Array.isArray(g.hosts)
        ? g.hosts.filter((h): h is string => typeof h === 'string')
        : [],
      since: time(g.since, `${at}.groups.${i}.since`) ?? RUN_START,
      permanent: g.permanent === true,
      why: typeof g.why === 'string' ? g.why : '',
      spec: typeof g.spec === 'string' ? g.spec : '',
    })),
  };
}

/** Read when it is there: traces written before it have none. */
function decodeUnsettled(v: unknown): RunSummary['unsettled'] {
  if (!isObject(v)) return null;
  return {
    work: Array.isArray(v.work) ? v.work.filter((w): w is string => typeof w === 'string') : [],
    held: decodeStall(v.held, 'summary.unsettled.held'),
  };
}

/**
 * The `end` record's summary in its wire form (summary-json.ts) back to a `RunSummary`.
 * What DESIGN §4.5 requires of it is checked (`ended`, the rollouts with their state,
 * cursor, times and hosts, `sim_seconds`, `wall_seconds`, the three event counts); the
 * rest is read when it is there.
 */
export function decodeSummary(json: unknown): RunSummary {
  if (!isObject(json)) throw new Bad('summary: expected an object');
  const events = field(json, 'events', 'summary.');
  if (!isObject(events)) throw new Bad('summary.events: expected an object');
  for (const required of ['host_steps', 'rollout_steps', 'scheduled'])
    count(events, required, 'summary.events.');
  const n = (name: string) => (Number.isSafeInteger(events[name]) ? (events[name] as number) : 0);
  const rollouts = field(json, 'rollouts', 'summary.');
  if (!Array.isArray(rollouts)) throw new Bad('summary.rollouts: expected an array');
  const wall = field(json, 'wall_seconds', 'summary.');
  if (wall !== null && (typeof wall !== 'number' || !Number.isFinite(wall)))
    throw new Bad('summary.wall_seconds: expected a number or null');
  const simSeconds = num(json, 'sim_seconds', 'summary.');
  if (simSeconds < 0) throw new Bad('summary.sim_seconds: expected a non-negative number');
  const ended = endReason(json.ended);
  return {
    fleet: typeof json.fleet === 'string' ? json.fleet : '',
    profile: typeof json.profile === 'string' ? json.profile : '',
    seed: typeof json.seed === 'number' ? json.seed : 0,
    ended,
    stall: decodeStall(json.stall, 'summary.stall'),
    unsettled: decodeUnsettled(json.unsettled),
    simSeconds,
    wallSeconds: wall,
    rollouts: rollouts.map((r, i) => {
      const at = `summary.rollouts.${i}`;
      if (!isObject(r)) throw new Bad(`${at}: expected an object`);
      const state = str(r, 'state', `${at}.`);
      if (!(ROLLOUT_STATES as readonly string[]).includes(state) && state !== 'deleted')
        throw new Bad(`${at}.state: unknown value "${state}"`);
      const opened = time(field(r, 'opened_at', `${at}.`), `${at}.opened_at`);
      if (opened === null) throw new Bad(`${at}.opened_at: expected a timestamp`);
      return {
        rolloutId: name(r, 'rollout_id', `${at}.`),
        channel: typeof r.channel === 'string' ? r.channel : '',
        targetRef: typeof r.target_ref === 'string' ? r.target_ref : '',
        state: state as RolloutState | 'deleted',
        currentWave: count(r, 'current_wave', `${at}.`),
        openedAt: opened,
        terminalAt: time(field(r, 'terminal_at', `${at}.`), `${at}.terminal_at`),
        supersededAt: time(r.superseded_at ?? null, `${at}.superseded_at`),
        hosts: hostCounts(field(r, 'hosts', `${at}.`), `${at}.hosts`),
      };
    }),
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

  /**
   * @param start the run's start on the virtual clock (the header's `start`).
   * @param fleet the header's fleet, when the records are a whole trace read from its
   *   start: then a record naming another host, or a rollout no `rollout_opened` record
   *   opened, or a dispatch in another wave than the host's, is refused (the monitors
   *   would judge what the fleet does not have, and `replay --check` said nothing of it).
   */
  constructor(
    private readonly start: number = RUN_START,
    private readonly fleet: Fleet | null = null,
  ) {}

  private host(json: Json): string {
    const host = name(json, 'host');
    if (this.fleet !== null && !Object.hasOwn(this.fleet.hosts, host))
      throw new Bad(`host: ${JSON.stringify(host)} is not a host of the header's fleet`);
    return host;
  }

  private openedRollout(json: Json): string {
    const id = name(json, 'rollout_id');
    if (this.fleet !== null && !this.rows.has(id))
      throw new Bad(
        `rollout_id: ${JSON.stringify(id)} was not opened by a rollout_opened record before this line`,
      );
    return id;
  }

  /**
   * The control plane records the wave its policy puts the host in (0 when in none);
   * the wave-order monitors judge by it, so an edited one could hide a dispatch too early.
   */
  private dispatchWave(json: Json, rolloutId: string, host: string): number {
    const wave = count(json, 'wave');
    const channel = this.rows.get(rolloutId)?.channel;
    if (this.fleet === null || channel === undefined) return wave;
    const expected = Math.max(channelWaveIndex(this.fleet, channel, host), 0);
    if (wave !== expected)
      throw new Bad(
        `wave: expected ${expected}, the wave of ${JSON.stringify(host)} in ${JSON.stringify(channel)}'s policy (the header's fleet), got ${wave}`,
      );
    return wave;
  }

  decode(json: unknown): DecodedRecord {
    try {
      return { ok: true, record: this.record(json) };
    } catch (error) {
      if (error instanceof Bad) return { ok: false, message: error.message };
      throw error;
    }
  }

  private last = 0;

  private at(json: Json): number {
    const seconds = num(json, 't');
    // A run lasts at most ten years (`--until`); t = 1e308 hung `report`.
    if (seconds < 0 || seconds > TEN_YEARS_SECS)
      throw new Bad(`t: expected a number of seconds from 0 to ${TEN_YEARS_SECS}, got ${seconds}`);
    // Records are written as the clock moves: one earlier than the last is an edit.
    if (this.fleet !== null && seconds < this.last)
      throw new Bad(
        `t: ${seconds} is before the previous record's ${this.last}: records go in time order`,
      );
    this.last = seconds;
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
          rolloutId: name(json, 'rollout_id'),
          channel: name(json, 'channel'),
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
          rolloutId: this.openedRollout(json),
          host: this.host(json),
          event: oneOf<HostEventType>(json, 'event', HOST_EVENT_TYPES),
          from: oneOf<HostState>(json, 'from', HOST_STATES),
          to: oneOf<HostState>(json, 'to', HOST_STATES),
        };
      case 'wave_cursor':
        return {
          type,
          t: this.at(json),
          rolloutId: this.openedRollout(json),
          from: count(json, 'from'),
          to: count(json, 'to'),
        };
      case 'dispatch': {
        const t = this.at(json);
        const rolloutId = this.openedRollout(json);
        const host = this.host(json);
        return { type, t, rolloutId, host, wave: this.dispatchWave(json, rolloutId, host) };
      }
      case 'gate':
        return {
          type,
          t: this.at(json),
          rolloutId: this.openedRollout(json),
          host: this.host(json),
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
    const rolloutId = this.openedRollout(json);
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
