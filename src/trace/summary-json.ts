import type { Stall } from '../../sim/stall/stall.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { JsonValue } from '../codec/index.ts';
import { encodeTimestamp } from '../codec/index.ts';

const ts = (t: number | null) => (t === null ? null : encodeTimestamp(t));

/** The run summary in its wire form (DESIGN §4.5): what `run --json` prints and `end` carries. */
export function encodeSummary(s: RunSummary): JsonValue {
  return {
    fleet: s.fleet,
    profile: s.profile,
    seed: s.seed,
    ended: s.ended,
    stall: s.stall === null ? null : encodeStall(s.stall),
    // Only at the horizon: the end records of every other run stay as they were written
    // before it existed, byte for byte.
    ...(s.unsettled === null
      ? {}
      : {
          unsettled: {
            work: [...s.unsettled.work],
            held: s.unsettled.held === null ? null : encodeStall(s.unsettled.held),
          },
        }),
    sim_seconds: s.simSeconds,
    wall_seconds: s.wallSeconds,
    rollouts: s.rollouts.map((r) => ({
      rollout_id: r.rolloutId,
      channel: r.channel,
      target_ref: r.targetRef,
      state: r.state,
      current_wave: r.currentWave,
      opened_at: ts(r.openedAt),
      terminal_at: ts(r.terminalAt),
      superseded_at: ts(r.supersededAt),
      hosts: { ...r.hosts },
    })),
    events: {
      host_steps: s.events.hostSteps,
      rollout_steps: s.events.rolloutSteps,
      scheduled: s.events.scheduled,
      dispatches: s.events.dispatches,
      deferred_dispatches: s.events.deferredDispatches,
      faults: s.events.faults,
      dropped_errors: s.events.droppedErrors,
    },
    quarantined: s.quarantined.map((q) => ({ channel: q.channel, closure: q.closure })),
  };
}

function encodeStall(stall: Stall): JsonValue {
  return {
    blocked_hosts: stall.blockedHosts,
    groups: stall.groups.map((g) => ({
      rollout_id: g.rolloutId,
      gate: g.gate,
      reason: g.reason,
      hosts: [...g.hosts],
      since: encodeTimestamp(g.since),
      permanent: g.permanent,
      why: g.why,
      spec: g.spec,
    })),
  };
}
