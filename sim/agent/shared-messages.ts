import type { RolloutId } from '../../machines/rollout/state.ts';
import type { ToAgent } from '../messages.ts';

/*
 * The timer messages an agent sends itself differ only by rollout, probe and generation
 * or epoch, of which a run has a handful; a million hosts soaking at once would keep a
 * copy each in the scheduler. Messages are never written to after they are sent, so one
 * object per distinct content serves every host.
 */
const ticks: ToAgent[] = [];
const started = new Map<RolloutId, ToAgent[]>();
const done = new Map<RolloutId, ToAgent[]>();
const probeTicks = new Map<RolloutId, Map<string, ToAgent[]>>();

/** The list for `key` in `lists`, made on first use. */
function listOf<K>(lists: Map<K, ToAgent[]>, key: K): ToAgent[] {
  let list = lists.get(key);
  if (list === undefined) {
    list = [];
    lists.set(key, list);
  }
  return list;
}

// Keyed by number, not by a string built at every call: an agent asks for one of these
// at every heartbeat, activation and probe run.
export const heartbeatTick = (epoch: number): ToAgent =>
  byNumber(ticks, epoch, () => ({ kind: 'heartbeat_tick', epoch }));

export const activationStarted = (rolloutId: RolloutId, epoch: number): ToAgent =>
  byNumber(listOf(started, rolloutId), epoch, () => ({
    kind: 'activation_started',
    rolloutId,
    epoch,
  }));

export const activationDone = (rolloutId: RolloutId, epoch: number): ToAgent =>
  byNumber(listOf(done, rolloutId), epoch, () => ({
    kind: 'activation_done',
    rolloutId,
    epoch,
  }));

export const probeTick = (rolloutId: RolloutId, probe: string, generation: number): ToAgent => {
  let byProbe = probeTicks.get(rolloutId);
  if (byProbe === undefined) {
    byProbe = new Map();
    probeTicks.set(rolloutId, byProbe);
  }
  return byNumber(listOf(byProbe, probe), generation, () => ({
    kind: 'probe_tick',
    rolloutId,
    probe,
    generation,
  }));
};

/*
 * Request numbers count per agent, so every agent's nth request times out (and is
 * acknowledged) with the same content: one message per number, in a list.
 */
const sendTimeouts: ToAgent[] = [];
const pollTimeouts: ToAgent[] = [];
const acks: ToAgent[] = [];

function byNumber(list: ToAgent[], n: number, make: () => ToAgent): ToAgent {
  let message = list[n];
  if (message === undefined) {
    message = make();
    list[n] = message;
  }
  return message;
}

export const sendTimeout = (request: number): ToAgent =>
  byNumber(sendTimeouts, request, () => ({ kind: 'send_timeout', request }));

export const pollTimeout = (request: number): ToAgent =>
  byNumber(pollTimeouts, request, () => ({ kind: 'poll_timeout', request }));

/** The control plane's answer to an agent's POST (always accepted: spec §3.11's 204). */
export const eventAck = (request: number): ToAgent =>
  byNumber(acks, request, () => ({ kind: 'event_ack', request, accepted: true }));
