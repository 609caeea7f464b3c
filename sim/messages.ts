import type { OutboundAgentEvent } from '../machines/host/outbound.ts';
import type { HostRecord } from '../machines/host/state.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import type { RolloutId } from '../machines/rollout/state.ts';
import type { Instant } from '../machines/time.ts';

/*
 * Every message the actors exchange. Actors never call each other: they schedule these
 * through the world, and the network decides when (and whether) the ones that cross it
 * arrive.
 */

/** A dispatch_queue row as delivered by the long-poll (spec §4.5). */
export interface DispatchRow {
  readonly hostname: string;
  readonly rolloutId: RolloutId;
  readonly targetClosure: string;
  readonly soakDueAt: Instant;
  readonly enqueuedAt: Instant;
}

/** Agent → control plane, across the network. */
export type ToControlPlane =
  | {
      readonly kind: 'agent_event';
      readonly host: string;
      readonly rolloutId: RolloutId;
      readonly payload: OutboundAgentEvent;
      readonly request: number;
    }
  | {
      readonly kind: 'dispatch_poll';
      readonly host: string;
      readonly request: number;
      /** The newest rollout the agent holds a record of: whether a dispatch reached it. */
      readonly latest: RolloutId | null;
    }
  | {
      readonly kind: 'heartbeat';
      readonly host: string;
      readonly rolloutId: RolloutId | null;
      readonly currentClosure: string | null;
    }
  // Timers and local inputs of the control plane itself.
  /** Timers carry the control plane's run (it restarts): a timer from before a restart is void. */
  | { readonly kind: 'plan_tick'; readonly run: number }
  | { readonly kind: 'manifest_poll'; readonly run: number }
  | { readonly kind: 'long_poll_expired'; readonly host: string; readonly request: number }
  | { readonly kind: 'manifest_signed'; readonly channel: string; readonly ref: string }
  /** A moment the process may crash at (`faults.cp_crashes`). */
  | { readonly kind: 'maybe_crash' }
  | {
      readonly kind: 'operator_clearance';
      readonly channel: string;
      readonly operator: string;
      readonly reason: string;
    }
  | { readonly kind: 'retention_due'; readonly rolloutId: RolloutId }
  | { readonly kind: 'cp_down'; readonly seconds: number }
  | { readonly kind: 'cp_up' }
  /** A rollout event offered once more, late (`faults.replays.wave_advances`). */
  | {
      readonly kind: 'replay_rollout_event';
      readonly rolloutId: RolloutId;
      readonly event: RolloutEvent;
    };

/** Control plane → agent, across the network (responses to the agent's requests). */
export type ToAgent =
  | { readonly kind: 'event_ack'; readonly request: number; readonly accepted: boolean }
  | {
      readonly kind: 'dispatch_response';
      readonly request: number;
      readonly row: DispatchRow | null;
    }
  | {
      readonly kind: 'heartbeat_reply';
      readonly rolloutId: RolloutId | null;
      readonly replayFrom: number | null;
      readonly snapshots: readonly HostRecord[];
    }
  // The agent's own workers and timers.
  | { readonly kind: 'start' }
  | { readonly kind: 'activation_started'; readonly rolloutId: RolloutId; readonly epoch: number }
  | { readonly kind: 'activation_done'; readonly rolloutId: RolloutId; readonly epoch: number }
  | {
      readonly kind: 'rollback_done';
      readonly rolloutId: RolloutId;
      readonly closure: string;
      readonly epoch: number;
    }
  | { readonly kind: 'probes_reset'; readonly rolloutId: RolloutId; readonly generation: number }
  | {
      readonly kind: 'probe_tick';
      readonly rolloutId: RolloutId;
      readonly probe: string;
      readonly generation: number;
    }
  | { readonly kind: 'advance_tick'; readonly generation: number }
  | { readonly kind: 'heartbeat_tick'; readonly epoch: number }
  | { readonly kind: 'poll_timeout'; readonly request: number }
  | { readonly kind: 'send_timeout'; readonly request: number }
  | { readonly kind: 'send_retry'; readonly epoch: number }
  // From the operator, out of band.
  | { readonly kind: 'reboot' }
  | { readonly kind: 'booted'; readonly epoch: number };

export type ToPublisher =
  | { readonly kind: 'publish'; readonly channel: string; readonly ref: string }
  /** A moment where an unscheduled successor ref may be published (a hotfix). */
  | { readonly kind: 'maybe_release'; readonly index: number };

export type ToOperator =
  | { readonly kind: 'host_deferred'; readonly host: string }
  | { readonly kind: 'clearance_due'; readonly channel: string; readonly reason: string }
  | { readonly kind: 'reboot_due'; readonly host: string };

export type ToRetention =
  | { readonly kind: 'finished'; readonly rolloutId: RolloutId; readonly anchor: Instant }
  | { readonly kind: 'expire'; readonly rolloutId: RolloutId };

/** The network's own script: partition windows opening and closing. */
export type ToNetwork = {
  readonly kind: 'partition_edge';
  readonly index: number;
  readonly opens: boolean;
};

export type Message = ToControlPlane | ToAgent | ToPublisher | ToOperator | ToRetention | ToNetwork;
