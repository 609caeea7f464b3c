import type { Instant } from '../../machines/time.ts';
import type { AgentDirectory } from '../agent-directory.ts';
import type { AgentsSeen, ControlPlane } from '../control-plane/control-plane.ts';
import { counted } from '../counted.ts';
import type { Message } from '../messages.ts';
import { secondsIntoRun, type World } from '../world.ts';
import { analyseStall } from './analyse.ts';
import type { Unsettled } from './stall.ts';
import type { StallTracker } from './tracker.ts';

/** What each kind of scripted input is called, by the message that brings it. */
const SCRIPTED: Readonly<Partial<Record<Message['kind'], readonly [string, string]>>> = {
  publish: ['release', 'releases'],
  manifest_signed: ['release', 'releases'],
  reboot_due: ['operator reboot', 'operator reboots'],
  clearance_due: ['operator clearance', 'operator clearances'],
  operator_clearance: ['operator clearance', 'operator clearances'],
  partition_edge: ['partition start or end', 'partition starts and ends'],
  cp_down: ['control-plane restart', 'control-plane restarts'],
  cp_up: ['control-plane return from an outage', 'control-plane returns from outages'],
  retention_due: ['prune', 'prunes'],
};

/**
 * `still to come: 7 operator reboots (the first at 712 s), 1 release (at 480 s)`: the
 * scripted input the run was still owed, read off the scheduler's queue.
 */
function scriptedToCome(world: World): string {
  const kinds = new Map<string, { n: number; first: Instant; name: readonly [string, string] }>();
  for (const [at, message] of world.scheduler.queued()) {
    const name = SCRIPTED[message.kind];
    if (name === undefined) continue;
    const k = kinds.get(name[0]);
    if (k === undefined) kinds.set(name[0], { n: 1, first: at, name });
    else {
      k.n++;
      k.first = Math.min(k.first, at);
    }
  }
  const parts = [...kinds.values()]
    .sort((a, b) => a.first - b.first)
    .map(
      (k) =>
        `${counted(k.n, k.name[0], k.name[1])} (${k.n === 1 ? 'at' : 'the first at'} ${secondsIntoRun(k.first)} s)`,
    );
  const named = [...kinds.values()].reduce((sum, k) => sum + k.n, 0);
  // Counted but not queued: an input on its way through another actor.
  if (world.scripted > named)
    parts.push(`${counted(world.scripted - named, 'other scripted input')}`);
  return `still to come: ${parts.join(', ')}`;
}

/** Hosts named in one sentence; the rest are counted. */
const NAMED = 5;

/**
 * Why a run at its horizon had not settled: the simulator's own settle conditions
 * (simulate.ts), each one that failed in words, and who a gate held back then. Read once,
 * at the end, so it may walk every agent.
 */
export function unsettledAt(
  world: World,
  controlPlane: ControlPlane,
  agents: AgentDirectory,
  seen: AgentsSeen,
  tracker: StallTracker,
  settleMs: number,
  pruneDue: Instant | null,
): Unsettled {
  const work: string[] = [];
  if (world.scripted > 0) work.push(scriptedToCome(world));
  const busy = new Map<string, string[]>();
  for (const [host, agent] of agents) {
    const what = agent.busyWith;
    if (what === null) continue;
    const hosts = busy.get(what);
    if (hosts === undefined) busy.set(what, [host]);
    else hosts.push(host);
  }
  for (const [what, hosts] of busy) {
    const named = hosts.slice(0, NAMED).join(', ');
    const more = hosts.length > NAMED ? ` and ${hosts.length - NAMED} more` : '';
    work.push(`${counted(hosts.length, 'agent')} ${what}: ${named}${more}`);
  }
  if (world.now - world.lastChange < settleMs)
    work.push(
      `a host or rollout changed at ${secondsIntoRun(world.lastChange)} s, within the ${settleMs / 1000} s settle window before the horizon`,
    );
  const pending = controlPlane.pendingWork(seen);
  if (pending !== null) work.push(pending);
  // A prune due before the horizon keeps a run from settling; one due after it is said too.
  if (pruneDue !== null)
    work.push(`a finished rollout's retention runs out at ${secondsIntoRun(pruneDue)} s`);
  const held = analyseStall(tracker, world.fleet, world.profile.flags, world.now, {
    settled: false,
  });
  if (work.length === 0 && held === null)
    work.push('nothing: the next planning run would have found the run settled');
  return { work, held };
}
