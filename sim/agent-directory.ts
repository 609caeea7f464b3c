import { FIRST_AGENT } from './actors.ts';
import type { Agent } from './agent/agent.ts';
import type { World } from './world.ts';

/**
 * The agents by host name: a list in address order, found through the world's address
 * book, rather than a Map of its own (a Map entry a host is some 50 bytes, a million
 * hosts' worth for a lookup the world can already answer). Not the world's actor table:
 * a monitor may stand in front of an agent there.
 */
export class AgentDirectory implements ReadonlyMap<string, Agent> {
  private readonly agents: Agent[] = [];

  constructor(private readonly world: World) {}

  /** The agents in address order (the world's sorted host order). */
  add(agent: Agent): void {
    this.agents.push(agent);
  }

  get size(): number {
    return this.world.hosts.length;
  }

  get(host: string): Agent | undefined {
    const id = this.world.agentId(host);
    return id === undefined ? undefined : this.agents[id - FIRST_AGENT];
  }

  has(host: string): boolean {
    return this.world.agentId(host) !== undefined;
  }

  *entries(): MapIterator<[string, Agent]> {
    for (const host of this.world.hosts) yield [host, this.get(host) as Agent];
  }

  *keys(): MapIterator<string> {
    yield* this.world.hosts;
  }

  *values(): MapIterator<Agent> {
    for (const host of this.world.hosts) yield this.get(host) as Agent;
  }

  [Symbol.iterator](): MapIterator<[string, Agent]> {
    return this.entries();
  }

  forEach(fn: (agent: Agent, host: string, map: ReadonlyMap<string, Agent>) => void): void {
    for (const [host, agent] of this.entries()) fn(agent, host, this);
  }
}
