import { channelWaves, type Fleet } from '../../sim/fleet/fleet.ts';
import type { Profile } from '../../sim/profile.ts';
import type { Settings } from '../../sim/settings.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { RUN_START } from '../../sim/world.ts';
import {
  encodeTimestamp,
  type JsonValue,
  rolloutEffect,
  rolloutEvent,
  rolloutTransitionError,
} from '../codec/index.ts';
import { encodeSummary } from './summary-json.ts';

/*
 * `rollout-sim-trace/1` (DESIGN §4.5): JSON Lines, a header first, then one line per
 * record. `t` is simulated seconds since the run's start (the header's `start`), with
 * millisecond precision. Extra fields beyond the contract: the header's `start`,
 * `settings`, `until` and `fleet.waves`; `current_wave` on rollout events with errors.
 */

export const TRACE_FORMAT = 'rollout-sim-trace/1';

export interface TraceHeader {
  readonly seed: number;
  readonly profile: Profile;
  readonly fleet: Fleet;
  readonly settings: Settings;
  readonly untilSeconds: number | null;
  /**
   * A path found by `explore`: the choice points where its faults strike. The run's
   * decisions were answered by that plan, not by the seed's PRNG.
   */
  readonly explorePlan?: readonly number[];
  /** A `check` case's choice points where a fault was forced on top of the seed's draws. */
  readonly forcedFaults?: readonly number[];
}

/** The header's `fleet.waves`: each channel's waves, the hosts of each. */
export function headerWaves(fleet: Fleet): Record<string, string[][]> {
  return Object.fromEntries(
    Object.keys(fleet.channels).map((c) => [c, channelWaves(fleet, c).map((w) => [...w.hosts])]),
  );
}

export function encodeHeader(h: TraceHeader): JsonValue {
  const waves = headerWaves(h.fleet);
  return {
    type: 'header',
    format: TRACE_FORMAT,
    seed: h.seed,
    profile:
      h.profile.name === 'custom' ? { base: h.profile.base, ...h.profile.flags } : h.profile.name,
    start: encodeTimestamp(RUN_START),
    settings: { ...h.settings },
    until: h.untilSeconds,
    ...(h.explorePlan === undefined ? {} : { explore_plan: [...h.explorePlan] }),
    ...(h.forcedFaults === undefined || h.forcedFaults.length === 0
      ? {}
      : { forced_faults: [...h.forcedFaults] }),
    fleet: { ...(h.fleet as unknown as Record<string, JsonValue>), waves },
  };
}

const t = (at: number) => (at - RUN_START) / 1000;

export function encodeRecord(r: TraceRecord): JsonValue {
  switch (r.type) {
    case 'rollout_opened':
      return {
        type: r.type,
        t: t(r.t),
        rollout_id: r.rolloutId,
        channel: r.channel,
        target_ref: r.targetRef,
      };
    case 'rollout_event':
      return {
        type: r.type,
        t: t(r.t),
        rollout_id: r.rolloutId,
        event: rolloutEvent.encode(r.event),
        result: r.result.ok
          ? {
              ok: true,
              state: r.result.record.state,
              current_wave: r.currentWave,
              effects: r.result.effects.map(rolloutEffect.encode),
            }
          : {
              ok: false,
              error: rolloutTransitionError.encode(r.result.error),
              current_wave: r.currentWave,
            },
      };
    case 'host_transition':
      return {
        type: r.type,
        t: t(r.t),
        side: r.side,
        rollout_id: r.rolloutId,
        host: r.host,
        event: r.event,
        from: r.from,
        to: r.to,
      };
    case 'wave_cursor':
      return { type: r.type, t: t(r.t), rollout_id: r.rolloutId, from: r.from, to: r.to };
    case 'dispatch':
      return { type: r.type, t: t(r.t), rollout_id: r.rolloutId, host: r.host, wave: r.wave };
    case 'gate':
      return {
        type: r.type,
        t: t(r.t),
        rollout_id: r.rolloutId,
        host: r.host,
        gate: r.gate,
        reason: r.reason,
      };
    case 'fault':
      return { type: r.type, t: t(r.t), kind: r.kind, host: r.host, detail: r.detail };
    case 'end':
      return { type: r.type, t: t(r.t), summary: encodeSummary(r.summary) };
  }
}
