import type { HostEvent } from '../machines/host/event.ts';
import type { HostPolicy, HostRecord, ProbeTopologyEntry } from '../machines/host/state.ts';
import type { HostStepResult } from '../machines/host/step.ts';
import { type RolloutId, rolloutChannel } from '../machines/rollout/state.ts';
import type { Instant } from '../machines/time.ts';
import { type Actor, FIRST_AGENT } from './actors.ts';
import { type Choices, seededChoices } from './choice.ts';
import type { Fleet, Probe } from './fleet/fleet.ts';
import type { Message } from './messages.ts';
import { Network } from './network.ts';
import type { Profile } from './profile.ts';
import { Random } from './random.ts';
import { RecordColumns } from './record-columns.ts';
import { Scheduler } from './scheduler.ts';
import type { Settings } from './settings.ts';
import type { TraceRecord, TraceSink } from './trace-record.ts';

/** Run start on the virtual clock: the spec's fixture t0, 2026-05-16T01:00:00Z. */
export const RUN_START: Instant = Date.UTC(2026, 4, 16, 1, 0, 0);

/** How far into the run an instant is, in seconds (what traces and messages show). */
export const secondsIntoRun = (t: Instant): number => (t - RUN_START) / 1000;

/** One host-machine step either side took, refusals included. */
export interface HostStepSeen {
  readonly side: 'cp' | 'agent';
  /** The host's name (an agent's own records name it `self`). */
  readonly host: string;
  readonly before: HostRecord;
  readonly event: HostEvent;
  readonly policy: HostPolicy;
  readonly result: HostStepResult;
  /** The control plane made the event up itself: boot recovery's completion (spec §3.12). */
  readonly synthesized: boolean;
}

/** Sees every host-machine step (coverage, and monitors that judge steps the trace omits). */
export type HostStepObserver = (step: HostStepSeen) => void;

export interface Counters {
  hostSteps: number;
  rolloutSteps: number;
  dispatches: number;
  deferredDispatches: number;
  faults: number;
  droppedErrors: number;
}

/**
 * The simulated world: the clock, the one PRNG, the actors' addresses, the network
 * between agents and control plane, and the trace. Actors reach each other only through
 * `send` (out of band, e.g. a timer or the operator's console) or `network`.
 */
export class World {
  readonly scheduler = new Scheduler<Message>(RUN_START);
  /** Every nondeterministic decision of the actors (the seeded PRNG unless `explore` plans them). */
  readonly choices: Choices;
  readonly network: Network;
  readonly hosts: readonly string[];
  private readonly agentOf = new Map<string, number>();
  readonly actors: Actor[] = [];
  readonly counters: Counters = {
    hostSteps: 0,
    rolloutSteps: 0,
    dispatches: 0,
    deferredDispatches: 0,
    faults: 0,
    droppedErrors: 0,
  };
  /** Agents with work in progress or events not yet acknowledged. */
  busyAgents = 0;
  /** Scripted inputs still to come (releases, clearances, reboots, outages, partitions). */
  scripted = 0;
  /** Last time a host or rollout changed state anywhere. */
  lastChange: Instant = RUN_START;
  /** The agents' host records, in columns, per rollout (each agent knows its own index). */
  private readonly agentColumns = new Map<RolloutId, RecordColumns>();
  /** Probe topologies by content: hosts with the same probes declare one shared list. */
  private readonly topologies = new Map<string, readonly ProbeTopologyEntry[]>();

  constructor(
    readonly fleet: Fleet,
    readonly profile: Profile,
    readonly settings: Settings,
    readonly seed: number,
    private readonly sink: TraceSink,
    choices?: Choices,
    private readonly observer?: HostStepObserver,
  ) {
    this.choices = choices ?? seededChoices(new Random(seed));
    this.choices.attach?.(() => this.now);
    this.hosts = Object.keys(fleet.hosts).sort();
    this.hosts.forEach((h, i) => {
      this.agentOf.set(h, FIRST_AGENT + i);
    });
    this.network = new Network(
      fleet.faults.network,
      this.choices,
      (at, to, message) => this.scheduler.schedule(at, to, message),
      (record) => this.trace(record),
      RUN_START,
      () => this.scripted--,
      // A crash loses the agents' long polls as a planned restart does: they must time out.
      fleet.faults.cp_restarts.length > 0 || (fleet.faults.cp_crashes?.rate ?? 0) > 0,
    );
  }

  get now(): Instant {
    return this.scheduler.now;
  }

  /** The agent's address, or undefined for a name that is not a host of the fleet. */
  agentId(host: string): number | undefined {
    return this.agentOf.get(host);
  }

  agent(host: string): number {
    const id = this.agentOf.get(host);
    if (id === undefined) throw new Error(`no agent for host "${host}"`);
    return id;
  }

  /** Deliver to `to` after `delayMs`, without crossing the network. */
  send(to: number, message: Message, delayMs = 0): void {
    this.scheduler.schedule(this.now + delayMs, to, message);
  }

  trace(record: TraceRecord): void {
    if (record.type === 'fault') this.counters.faults++;
    this.sink(record);
  }

  /** Count one host step (and show it to the observer); true when it was accepted. */
  hostStepped(
    side: 'cp' | 'agent',
    host: string,
    before: HostRecord,
    event: HostEvent,
    policy: HostPolicy,
    result: HostStepResult,
    synthesized = false,
  ): boolean {
    this.counters.hostSteps++;
    this.observer?.({ side, host, before, event, policy, result, synthesized });
    if (result.ok) return true;
    this.counters.droppedErrors++;
    return false;
  }

  /** Where agents keep their records for `rolloutId`. */
  agentRecords(rolloutId: RolloutId): RecordColumns {
    let columns = this.agentColumns.get(rolloutId);
    if (columns === undefined) {
      columns = new RecordColumns(rolloutId, rolloutChannel(rolloutId), RUN_START);
      this.agentColumns.set(rolloutId, columns);
    }
    return columns;
  }

  /** The topology a host with these probes declares (read only: shared between hosts). */
  topology(probes: readonly Probe[]): readonly ProbeTopologyEntry[] {
    const key = probes.map((p) => `${p.name}\u0000${p.kind}\u0000${p.mode}`).join('\u0001');
    let topology = this.topologies.get(key);
    if (topology === undefined) {
      topology = probes.map((p) => ({ probeName: p.name, kind: p.kind, mode: p.mode }));
      this.topologies.set(key, topology);
    }
    return topology;
  }

  changed(): void {
    this.lastChange = this.now;
  }
}
