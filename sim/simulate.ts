import { Agent } from './agent/agent.ts';
import { type Actor, CONTROL_PLANE, NETWORK, OPERATOR, PUBLISHER, RETENTION } from './actors.ts';
import { ControlPlane } from './control-plane/control-plane.ts';
import type { Fleet } from './fleet/fleet.ts';
import { Operator } from './operator.ts';
import type { Profile } from './profile.ts';
import { Publisher } from './publisher.ts';
import { Retention } from './retention.ts';
import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import { buildSummary } from './summary-builder.ts';
import type { RunSummary } from './summary.ts';
import type { TraceSink } from './trace-record.ts';
import { RUN_START, World } from './world.ts';

export interface SimulationOptions {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly seed: number;
  readonly settings?: Partial<Settings>;
  /** Simulated seconds after which the run stops even if it has not settled. */
  readonly untilSeconds?: number;
  readonly sink?: TraceSink;
  /** Called every few thousand deliveries with the simulated seconds covered so far. */
  readonly onProgress?: (simSeconds: number, delivered: number) => void;
}

export interface Simulation {
  readonly summary: RunSummary;
  readonly world: World;
  readonly controlPlane: ControlPlane;
  readonly agents: ReadonlyMap<string, Agent>;
}

/** Without an explicit horizon a run that never settles stops after a simulated week. */
const DEFAULT_HORIZON_SECONDS = 7 * 86_400;
const PROGRESS_EVERY = 50_000;

/**
 * Run one simulation to the end: until nothing more can happen (every rollout settled,
 * no scripted input left) or the horizon. Deterministic: the same fleet, profile, settings
 * and seed give the same sequence of trace records.
 */
export function simulate(options: SimulationOptions): Simulation {
  const wallStart = performance.now();
  const settings: Settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const sink = options.sink ?? (() => {});
  const world = new World(options.fleet, options.profile, settings, options.seed, sink);
  const controlPlane = new ControlPlane(world);
  const publisher = new Publisher(world);
  const operator = new Operator(world);
  world.actors[CONTROL_PLANE] = controlPlane;
  world.actors[PUBLISHER] = publisher;
  world.actors[OPERATOR] = operator;
  world.actors[RETENTION] = new Retention(world);
  world.actors[NETWORK] = world.network;
  const agents = new Map<string, Agent>();
  for (const host of world.hosts) {
    const id = world.agent(host);
    const agent = new Agent(world, id, host, options.fleet.hosts[host] as Fleet['hosts'][string]);
    agents.set(host, agent);
    world.actors[id] = agent;
  }

  publisher.start();
  operator.start();
  controlPlane.start();
  options.fleet.faults.network.partitions.forEach((p, index) => {
    world.scripted += 2;
    world.send(NETWORK, { kind: 'partition_edge', index, opens: true }, p.from_seconds * 1000);
    world.send(NETWORK, { kind: 'partition_edge', index, opens: false }, p.to_seconds * 1000);
  });
  for (const r of options.fleet.faults.cp_restarts) {
    world.scripted++;
    world.send(CONTROL_PLANE, { kind: 'cp_down', seconds: r.down_seconds }, r.at_seconds * 1000);
  }
  for (const host of world.hosts) world.send(world.agent(host), { kind: 'start' }, world.random.int(0, 1000));

  const horizon = RUN_START + (options.untilSeconds ?? DEFAULT_HORIZON_SECONDS) * 1000;
  const settleMs = settings.settle_secs * 1000;
  const { scheduler } = world;
  let ended: RunSummary['ended'] = 'until';
  let delivered = 0;
  for (;;) {
    const next = scheduler.peek();
    if (next === undefined || next > horizon) break;
    const delivery = scheduler.pop();
    if (delivery === undefined) break;
    delivered++;
    (world.actors[delivery.to] as Actor).receive(delivery.message);
    if (
      delivery.to === CONTROL_PLANE &&
      delivery.message.kind === 'plan_tick' &&
      world.scripted === 0 &&
      world.busyAgents === 0 &&
      world.now - world.lastChange >= settleMs &&
      controlPlane.quiet()
    ) {
      ended = 'settled';
      break;
    }
    if (options.onProgress !== undefined && delivered % PROGRESS_EVERY === 0) {
      options.onProgress((world.now - RUN_START) / 1000, delivered);
    }
  }

  const summary = buildSummary(world, controlPlane, ended, delivered);
  sink({ type: 'end', t: world.now, summary });
  return { summary: { ...summary, wallSeconds: (performance.now() - wallStart) / 1000 }, world, controlPlane, agents };
}
