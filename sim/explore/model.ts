import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import type { HostRecord } from '../../machines/host/state.ts';
import type { RolloutId, RolloutRecord } from '../../machines/rollout/state.ts';
import type { Fleet } from '../fleet/fleet.ts';

/*
 * The untimed world `explore` walks: the same machines and gates as the simulator, but
 * every timer and delay is replaced by a choice. A state holds what the control plane's
 * tables and each agent hold; an action is one thing that can happen next (a planning
 * run, a dispatch delivered or lost, a switch finishing one way or another, a probe
 * result, an event reaching the control plane, a heartbeat, a reboot, a new ref, a
 * retention expiry). Timestamps are all the same instant: order is what matters here.
 */

export interface SwitchJob {
  readonly kind: 'activate' | 'rollback';
  readonly rolloutId: RolloutId;
  readonly closure: string;
}

export interface AgentState {
  readonly records: Readonly<Record<RolloutId, HostRecord>>;
  /** What the host runs, and what it would boot. */
  readonly running: string;
  readonly boot: string;
  /** Events emitted and not yet applied by the control plane, oldest first (the durable queue). */
  readonly outbox: readonly {
    readonly rolloutId: RolloutId;
    readonly payload: OutboundAgentEvent;
  }[];
  /** Switches waiting for the switch lock; the first is running. */
  readonly switches: readonly SwitchJob[];
  /** Probe results reported per rollout (bounded, so the state space is finite). */
  readonly probeRuns: Readonly<Record<RolloutId, number>>;
  readonly rebooted: boolean;
  readonly abandoned: readonly RolloutId[];
  /** The wire is slow for this host: its events wait in the outbox until delivered. */
  readonly held: boolean;
}

export interface WorldState {
  /** Rollout rows in opening order (faithful retention deletes some). */
  readonly rollouts: readonly RolloutRecord[];
  readonly cp: Readonly<Record<RolloutId, Readonly<Record<string, HostRecord>>>>;
  readonly agents: Readonly<Record<string, AgentState>>;
  /** The dispatch queue: host → rollout. */
  readonly queue: Readonly<Record<string, RolloutId>>;
  readonly quarantine: readonly string[];
  /** Per channel, how many of its refs have been published (1 = the initial ref). */
  readonly published: Readonly<Record<string, number>>;
  /** Faults spent so far on this path (failed or deferred switches, failing probes, lost or doubled dispatches, heartbeat races). */
  readonly faults: number;
}

export interface ExploreBounds {
  /** Probe results per host and rollout. */
  readonly probeResults: number;
  /** Whether messages can be lost or delivered twice (dispatch rows). */
  readonly messageFaults: boolean;
  /** At most this many faults on any one path: the usual bound of bounded model checking. */
  readonly maxFaults: number;
}

export interface ExploreModel {
  readonly fleet: Fleet;
  readonly bounds: ExploreBounds;
}

export function refsOf(fleet: Fleet, channel: string): string[] {
  const c = fleet.channels[channel];
  return c === undefined ? [] : [c.initial_ref, ...c.releases.map((r) => r.ref)];
}

export function initialState(fleet: Fleet): WorldState {
  const agents: Record<string, AgentState> = {};
  for (const [name, h] of Object.entries(fleet.hosts)) {
    agents[name] = {
      records: {},
      running: h.initial_closure,
      boot: h.initial_closure,
      outbox: [],
      switches: [],
      probeRuns: {},
      rebooted: false,
      abandoned: [],
      held: false,
    };
  }
  return {
    rollouts: [],
    cp: {},
    agents,
    queue: {},
    quarantine: [],
    published: Object.fromEntries(Object.keys(fleet.channels).map((c) => [c, 1])),
    faults: 0,
  };
}
