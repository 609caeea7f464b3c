import { type Actor, CONTROL_PLANE, NETWORK, OPERATOR, PUBLISHER, RETENTION } from './actors.ts';
import { Agent } from './agent/agent.ts';
import { AgentDirectory } from './agent-directory.ts';
import type { Choices } from './choice.ts';
import { type AgentsSeen, ControlPlane } from './control-plane/control-plane.ts';
import type { Fleet } from './fleet/fleet.ts';
import { Operator } from './operator.ts';
import type { Profile } from './profile.ts';
import { Publisher } from './publisher.ts';
import { Retention } from './retention.ts';
import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import { analyseStall } from './stall/analyse.ts';
import { StallTracker } from './stall/tracker.ts';
import { unsettledAt } from './stall/unsettled.ts';
import type { RunSummary } from './summary.ts';
import { buildSummary } from './summary-builder.ts';
import type { TraceSink } from './trace-record.ts';
import { type HostStepObserver, RUN_START, secondsIntoRun, World } from './world.ts';

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
  /** Who answers the world's nondeterministic decisions; the seeded PRNG by default. */
  readonly choices?: Choices;
  readonly observeHostSteps?: HostStepObserver;
}

export interface SimulationResult {
  readonly summary: RunSummary;
  readonly world: World;
  readonly controlPlane: ControlPlane;
  readonly agents: ReadonlyMap<string, Agent>;
}

/** Without an explicit horizon a run that never settles stops after a simulated week. */
const DEFAULT_HORIZON_SECONDS = 7 * 86_400;

/** The instant a run with this `--until` (or none) cannot go past. */
export const horizonOf = (untilSeconds?: number | null): number =>
  RUN_START + Math.round((untilSeconds ?? DEFAULT_HORIZON_SECONDS) * 1000);
const PROGRESS_EVERY = 50_000;

/**
 * One simulation, advanced a delivery at a time: the terminal UI pauses, steps and
 * paces it; `simulate` runs it straight to the end. It ends when nothing more can happen
 * (every rollout settled, no scripted input or prune before the horizon left) or at the
 * horizon. Deterministic: the same fleet, profile, settings and seed give the same
 * sequence of trace records.
 */
export class Simulation {
  readonly world: World;
  readonly controlPlane: ControlPlane;
  readonly agents: AgentDirectory;
  private readonly horizon: number;
  private readonly retention: Retention;
  private readonly settleMs: number;
  private delivered = 0;
  private ended: RunSummary['ended'] | null = null;
  private finalSummary: RunSummary | null = null;
  /** Folds the trace as it goes so that a settled run can say who still waits on what. */
  private readonly stalls = new StallTracker();
  private readonly seen: AgentsSeen = (host) => this.agents.get(host) as Agent;

  constructor(private readonly options: SimulationOptions) {
    const settings: Settings = { ...DEFAULT_SETTINGS, ...options.settings };
    const sink = options.sink;
    const world = new World(
      options.fleet,
      options.profile,
      settings,
      options.seed,
      (record) => {
        this.stalls.observe(record);
        sink?.(record);
      },
      options.choices,
      options.observeHostSteps,
    );
    this.world = world;
    this.agents = new AgentDirectory(world);
    this.controlPlane = new ControlPlane(world);
    const publisher = new Publisher(world);
    const operator = new Operator(world);
    world.actors[CONTROL_PLANE] = this.controlPlane;
    world.actors[PUBLISHER] = publisher;
    world.actors[OPERATOR] = operator;
    this.retention = new Retention(world);
    world.actors[RETENTION] = this.retention;
    world.actors[NETWORK] = world.network;
    for (const host of world.hosts) {
      const id = world.agent(host);
      const agent = new Agent(world, id, host, options.fleet.hosts[host] as Fleet['hosts'][string]);
      this.agents.add(agent);
      world.actors[id] = agent;
    }

    publisher.start();
    operator.start();
    this.controlPlane.start();
    options.fleet.faults.network.partitions.forEach((p, index) => {
      world.scripted += 2;
      world.send(NETWORK, { kind: 'partition_edge', index, opens: true }, p.from_seconds * 1000);
      world.send(NETWORK, { kind: 'partition_edge', index, opens: false }, p.to_seconds * 1000);
    });
    const crashes = options.fleet.faults.cp_crashes;
    if (crashes !== undefined && crashes.rate > 0) {
      // Not scripted input, like the successor releases: a settled run does not wait for them.
      for (let i = 1; i * crashes.every_seconds <= crashes.until_seconds; i++)
        world.send(CONTROL_PLANE, { kind: 'maybe_crash' }, i * crashes.every_seconds * 1000);
    }
    for (const r of options.fleet.faults.cp_restarts) {
      world.scripted++;
      world.send(CONTROL_PLANE, { kind: 'cp_down', seconds: r.down_seconds }, r.at_seconds * 1000);
    }
    // One message for every agent: messages are never written to once sent.
    const start = { kind: 'start' } as const;
    for (const host of world.hosts)
      world.send(world.agent(host), start, world.choices.spread(0, 1000));
    this.horizon = horizonOf(options.untilSeconds);
    this.settleMs = settings.settle_secs * 1000;
  }

  /** The fold the stall analysis reads, for asking mid-run what holds whom (read only). */
  get stallTracker(): StallTracker {
    return this.stalls;
  }

  get done(): boolean {
    return this.ended !== null;
  }

  /** Simulated seconds since the start. */
  get simSeconds(): number {
    return secondsIntoRun(this.world.now);
  }

  get deliveries(): number {
    return this.delivered;
  }

  /** Due time of the next delivery (ms on the virtual clock), or null once the run is over. */
  peek(): number | null {
    if (this.ended !== null) return null;
    const next = this.world.scheduler.peek();
    return next === undefined || next > this.horizon ? null : next;
  }

  /** Deliver one message. Returns false once the run has ended (and emits `end` then). */
  step(): boolean {
    if (this.ended !== null) return false;
    const { world, controlPlane } = this;
    const next = world.scheduler.peek();
    if (next === undefined || next > this.horizon)
      return this.finish(
        'horizon',
        null,
        unsettledAt(
          world,
          controlPlane,
          this.agents,
          this.seen,
          this.stalls,
          this.settleMs,
          this.retention.nextDue(),
        ),
      );
    const delivery = world.scheduler.pop() as NonNullable<ReturnType<typeof world.scheduler.pop>>;
    this.delivered++;
    (world.actors[delivery.to] as Actor).receive(delivery.message);
    if (
      delivery.to === CONTROL_PLANE &&
      delivery.message.kind === 'plan_tick' &&
      world.scripted === 0 &&
      world.busyAgents === 0 &&
      world.now - world.lastChange >= this.settleMs &&
      controlPlane.pendingWork(this.seen) === null &&
      // A prune due before the horizon is still to come: the rollout has not settled.
      (this.retention.nextDue() ?? Number.POSITIVE_INFINITY) > this.horizon
    ) {
      const stall = analyseStall(this.stalls, world.fleet, world.profile.flags, world.now);
      return this.finish(stall === null ? 'terminal' : 'stalled', stall);
    }
    if (this.options.onProgress !== undefined && this.delivered % PROGRESS_EVERY === 0) {
      this.options.onProgress(this.simSeconds, this.delivered);
    }
    return true;
  }

  /** Deliver everything due up to and including `at` (ms on the virtual clock). */
  advanceTo(at: number): void {
    for (let next = this.peek(); next !== null && next <= at; next = this.peek()) this.step();
    if (this.peek() === null && !this.done) this.step();
  }

  /** The summary so far, or the final one once the run has ended. */
  summary(): RunSummary {
    return (
      this.finalSummary ??
      buildSummary(this.world, this.controlPlane, this.ended ?? 'horizon', this.delivered)
    );
  }

  private finish(
    ended: RunSummary['ended'],
    stall: RunSummary['stall'] = null,
    unsettled: RunSummary['unsettled'] = null,
  ): false {
    this.ended = ended;
    this.finalSummary = buildSummary(
      this.world,
      this.controlPlane,
      ended,
      this.delivered,
      stall,
      unsettled,
    );
    this.world.trace({ type: 'end', t: this.world.now, summary: this.finalSummary });
    return false;
  }
}

/** Run one simulation straight to its end. */
export function simulate(options: SimulationOptions): SimulationResult {
  const wallStart = performance.now();
  const sim = new Simulation(options);
  while (sim.step()) {}
  const summary = { ...sim.summary(), wallSeconds: (performance.now() - wallStart) / 1000 };
  return { summary, world: sim.world, controlPlane: sim.controlPlane, agents: sim.agents };
}
