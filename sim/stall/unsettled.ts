import type { Instant } from '../../machines/time.ts';
import type { AgentDirectory } from '../agent-directory.ts';
import type { AgentsSeen, ControlPlane } from '../control-plane/control-plane.ts';
import { counted } from '../counted.ts';
import { secondsIntoRun, type World } from '../world.ts';
import { analyseStall } from './analyse.ts';
import type { Unsettled } from './stall.ts';
import type { StallTracker } from './tracker.ts';

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
  if (world.scripted > 0)
    work.push(
      `${counted(world.scripted, 'scripted input')} still to come (releases, restarts, partitions, operator actions)`,
    );
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
  // A run settles only once no prune is still to come, and every finished rollout's is.
  if (pruneDue !== null)
    work.push(`a finished rollout's retention runs out at ${secondsIntoRun(pruneDue)} s`);
  const held = analyseStall(tracker, world.fleet, world.profile.flags, world.now, {
    settled: false,
  });
  if (work.length === 0 && held === null)
    work.push('nothing: the next planning run would have found the run settled');
  return { work, held };
}
