import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import { newPendingHost } from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import type { Int64 } from '../../machines/int64.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { rolloutChannel } from '../../machines/rollout/state.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { compareTimestamps, type Timestamp } from '../../machines/time.ts';
import { encodeTimestamp, parseRfc3339 } from '../codec/index.ts';
import type { LogRow } from './log-row.ts';
import { remoteEventOf, rolloutEventOf } from './payload.ts';

/*
 * Re-derivation of a control plane's records from its event log, as nixfleet's own
 * `CP/tests/rollout_rederivability.rs` does: every `rollout_event` is stepped through
 * `rolloutStep` and every `agent_event` through `hostStep` (the Remote side), and the
 * transitions the reducers produce are compared with the `effect` rows the applier
 * logged after them (`RecordRolloutTransition`, `RecordTransition`). The applier writes
 * a rollout event's row before stepping it and the effect rows right after, so each
 * step's expected transitions must be the next logged ones of that rollout or host.
 */

/** A place where the log and the reducers disagree. */
export interface Divergence {
  readonly line: number;
  readonly rolloutId: string | null;
  readonly host: string | null;
  readonly message: string;
}

/** A line or field the audit could not read (it goes on with the next line). */
export interface Unreadable {
  readonly line: number;
  readonly field: string;
  readonly message: string;
}

interface Expected {
  readonly line: number;
  readonly from: string;
  readonly to: string;
  readonly at: Timestamp;
}

/** What happened to a step, for the trace conversion. */
export type AuditStep =
  | {
      readonly kind: 'rollout_opened';
      readonly row: LogRow;
      readonly record: RolloutRecord<Timestamp, Int64>;
    }
  | {
      readonly kind: 'rollout_step';
      readonly row: LogRow;
      readonly rolloutId: string;
      readonly event: Parameters<typeof rolloutStep<Timestamp, Int64>>[1];
      readonly result: ReturnType<typeof rolloutStep<Timestamp, Int64>>;
    }
  | {
      readonly kind: 'host_step';
      readonly row: LogRow;
      readonly before: HostRecord<Timestamp, Int64>;
      readonly result: ReturnType<typeof hostStep<Timestamp, Int64>>;
      readonly event: string;
    }
  | {
      readonly kind: 'dispatch';
      readonly row: LogRow;
      readonly rolloutId: string;
      readonly host: string;
    }
  | {
      readonly kind: 'gate';
      readonly row: LogRow;
      readonly rolloutId: string;
      readonly host: string;
      readonly gate: string;
      readonly reason: string;
    };

const hostKey = (rolloutId: string, host: string) => `${rolloutId}\u0000${host}`;

export class Auditor {
  readonly rollouts = new Map<string, RolloutRecord<Timestamp, Int64>>();
  readonly hosts = new Map<string, HostRecord<Timestamp, Int64>>();
  readonly divergences: Divergence[] = [];
  readonly unreadable: Unreadable[] = [];
  readonly steps: AuditStep[] = [];
  private readonly rolloutExpected = new Map<string, Expected[]>();
  private readonly hostExpected = new Map<string, Expected[]>();

  constructor(private readonly policy: HostPolicy) {}

  private diverge(line: number, rolloutId: string | null, host: string | null, message: string) {
    this.divergences.push({ line, rolloutId, host, message });
  }

  private unread(line: number, field: string, message: string) {
    this.unreadable.push({ line, field, message });
  }

  /** Reports the transitions a step produced that the log never showed. */
  private flush(map: Map<string, Expected[]>, key: string, rolloutId: string, host: string | null) {
    for (const e of map.get(key) ?? []) {
      this.diverge(
        e.line,
        rolloutId,
        host,
        `the reducer gives ${e.from} → ${e.to} at ${encodeTimestamp(e.at)}, the log records no such transition`,
      );
    }
    map.delete(key);
  }

  observe(row: LogRow): void {
    switch (row.kind) {
      case 'rollout_event':
        this.rolloutEvent(row);
        return;
      case 'agent_event':
        this.agentEvent(row);
        return;
      case 'effect':
        this.effect(row);
        return;
      case 'plan_action':
        this.planAction(row);
        return;
      case 'gate_decision': {
        const { host, rollout, gate, reason } = row.payload;
        if (typeof host === 'string' && typeof rollout === 'string') {
          this.steps.push({
            kind: 'gate',
            row,
            rolloutId: rollout,
            host,
            gate: String(gate),
            reason: String(reason),
          });
        }
        return;
      }
      default:
        return;
    }
  }

  private rolloutEvent(row: LogRow): void {
    const decoded = rolloutEventOf(row.payload);
    if (!decoded.ok) {
      this.unread(row.line, decoded.field, decoded.message);
      return;
    }
    const event = decoded.value;
    if (event.type === 'RolloutOpened') {
      // Created outside the reducer (spec §4.2): logged, never stepped.
      this.flush(this.rolloutExpected, event.rolloutId, event.rolloutId, null);
      const record: RolloutRecord<Timestamp, Int64> = {
        rolloutId: event.rolloutId,
        channel: event.channel,
        targetRef: event.targetRef,
        state: 'Opening',
        currentWave: 0,
        openedEventLogSeq: null,
        lastTransitionEventLogSeq: null,
        openedAt: event.at,
        terminalAt: null,
        supersededAt: null,
      };
      this.rollouts.set(event.rolloutId, record);
      this.steps.push({ kind: 'rollout_opened', row, record });
      return;
    }
    const id = event.type === 'SuccessorOpened' ? event.supersededRolloutId : event.rolloutId;
    this.flush(this.rolloutExpected, id, id, null);
    const record = this.rollouts.get(id);
    if (record === undefined) {
      this.diverge(
        row.line,
        id,
        null,
        `${event.type} for a rollout the log never opened (the CP drops those unlogged)`,
      );
      return;
    }
    const result = rolloutStep(record, event);
    this.steps.push({ kind: 'rollout_step', row, rolloutId: id, event, result });
    if (!result.ok) return;
    this.rollouts.set(id, result.record);
    const expected = result.effects
      .filter(
        (e): e is Extract<RolloutEffect<Timestamp>, { type: 'RecordRolloutTransition' }> =>
          e.type === 'RecordRolloutTransition',
      )
      .map((e) => ({ line: row.line, from: e.from, to: e.to, at: e.at }));
    if (expected.length > 0) this.rolloutExpected.set(id, expected);
  }

  private agentEvent(row: LogRow): void {
    if (row.hostId === null || row.rolloutId === null) {
      this.unread(
        row.line,
        row.hostId === null ? 'host_id' : 'rollout_id',
        'an agent_event needs a host and a rollout',
      );
      return;
    }
    const decoded = remoteEventOf(row.payload);
    if (!decoded.ok) {
      this.unread(row.line, decoded.field, decoded.message);
      return;
    }
    const key = hostKey(row.rolloutId, row.hostId);
    this.flush(this.hostExpected, key, row.rolloutId, row.hostId);
    const record = this.hosts.get(key);
    if (record === undefined) {
      this.diverge(
        row.line,
        row.rolloutId,
        row.hostId,
        `${decoded.value.type} for a host with no dispatched record`,
      );
      return;
    }
    const result = hostStep(record, decoded.value, this.policy);
    this.steps.push({ kind: 'host_step', row, before: record, result, event: decoded.value.type });
    if (!result.ok) {
      // The applier logs an agent event only as the step's RemoteAppendEventLog effect.
      this.diverge(
        row.line,
        row.rolloutId,
        row.hostId,
        `logged ${decoded.value.type}, but the reducer refuses it: ${result.error.type}`,
      );
      return;
    }
    this.hosts.set(key, result.record);
    const expected = result.effects
      .filter(
        (e): e is Extract<HostEffect<Timestamp, Int64>, { type: 'RecordTransition' }> =>
          e.type === 'RecordTransition',
      )
      .map((e) => ({ line: row.line, from: e.from, to: e.to, at: e.at }));
    if (expected.length > 0) this.hostExpected.set(key, expected);
  }

  private effect(row: LogRow): void {
    const p = row.payload;
    if (p.effect !== 'RecordRolloutTransition' && p.effect !== 'RecordTransition') return;
    const rolloutId = p.effect === 'RecordRolloutTransition' ? p.rolloutId : p.rollout_id;
    const host = p.effect === 'RecordTransition' ? p.host : null;
    if (typeof rolloutId !== 'string') {
      this.unread(row.line, 'payload.rollout_id', 'expected a string');
      return;
    }
    if (host !== null && typeof host !== 'string') {
      this.unread(row.line, 'payload.host', 'expected a string');
      return;
    }
    const at = typeof p.at === 'string' ? parseRfc3339(p.at) : null;
    if (at === null) {
      this.unread(row.line, 'payload.at', 'expected an RFC 3339 timestamp');
      return;
    }
    const map = host === null ? this.rolloutExpected : this.hostExpected;
    const key = host === null ? rolloutId : hostKey(rolloutId, host);
    const queue = map.get(key) ?? [];
    const next = queue.shift();
    if (queue.length === 0) map.delete(key);
    const logged = `${String(p.from)} → ${String(p.to)} at ${encodeTimestamp(at)}`;
    if (next === undefined) {
      this.diverge(
        row.line,
        rolloutId,
        host,
        `the log records ${logged}, the reducer produced no transition there`,
      );
    } else if (next.from !== p.from || next.to !== p.to || compareTimestamps(next.at, at) !== 0) {
      this.diverge(
        row.line,
        rolloutId,
        host,
        `the log records ${logged}, the reducer gives ${next.from} → ${next.to} at ${encodeTimestamp(next.at)}`,
      );
    }
  }

  private planAction(row: LogRow): void {
    const p = row.payload;
    if (p.action !== 'QueueDispatch') return;
    const { host, rollout, target_closure: target, soak_due_at: soak } = p;
    if (typeof host !== 'string') {
      this.unread(row.line, 'payload.host', 'expected a string');
      return;
    }
    if (typeof rollout !== 'string') {
      this.unread(row.line, 'payload.rollout', 'expected a string');
      return;
    }
    if (typeof target !== 'string') {
      this.unread(row.line, 'payload.target_closure', 'expected a string');
      return;
    }
    const soakDueAt = typeof soak === 'string' ? parseRfc3339(soak) : null;
    if (soakDueAt === null) {
      this.unread(row.line, 'payload.soak_due_at', 'expected an RFC 3339 timestamp');
      return;
    }
    const key = hostKey(rollout, host);
    if (!this.hosts.has(key)) {
      const pending = newPendingHost(rollout, host, rolloutChannel(rollout), target, 0, 0);
      this.hosts.set(key, { ...pending, dispatchedAt: row.at, soakDueAt });
    }
    this.steps.push({ kind: 'dispatch', row, rolloutId: rollout, host });
  }

  /** The end of the log: transitions still expected were never logged. */
  finish(): void {
    for (const key of [...this.rolloutExpected.keys()])
      this.flush(this.rolloutExpected, key, key, null);
    for (const key of [...this.hostExpected.keys()]) {
      const [rolloutId, host] = key.split('\u0000') as [string, string];
      this.flush(this.hostExpected, key, rolloutId, host);
    }
    this.divergences.sort((a, b) => a.line - b.line);
  }
}
