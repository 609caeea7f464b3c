import type { Actor } from '../actors.ts';
import type { Fleet } from '../fleet/fleet.ts';
import type { Profile } from '../profile.ts';
import type { Settings } from '../settings.ts';
import { DEFAULT_SETTINGS } from '../settings.ts';
import { horizonOf, Simulation, type SimulationOptions } from '../simulate.ts';
import type { RunSummary } from '../summary.ts';
import type { TraceRecord, TraceSink } from '../trace-record.ts';
import type { HostStepObserver, HostStepSeen } from '../world.ts';
import { INVARIANTS, judgeable } from './index.ts';
import type { AgentRefusal, Inspect, Invariant, Monitor, Verdict } from './invariant.ts';
import { LifecycleView } from './lifecycle-view.ts';

/** An invariant's monitor in a run, and what it has reported so far. */
interface Watching {
  readonly invariant: Invariant;
  readonly monitor: Monitor;
  /** Reported a violation: it judges no more. */
  broken: boolean;
  /** Reported its known deviation (a `perViolation` one still judges on). */
  deviated: boolean;
}

/** A violation as judged under the run's profile. */
export interface Finding {
  readonly invariant: Invariant;
  readonly t: number;
  readonly message: string;
  /** Index of the trace record that broke it (the `end` record for end-of-run checks). */
  readonly record: number;
  /** Set when the profile lacks the flag the invariant depends on: a known deviation. */
  readonly deviation: string | null;
}

/**
 * Runs the chosen invariants' monitors over a trace stream. Each invariant reports its
 * first violation only: later ones are usually consequences.
 */
export class InvariantChecker {
  readonly view: LifecycleView;
  private readonly monitors: Watching[];
  private readonly found: Finding[] = [];
  private index = 0;

  constructor(
    context: {
      fleet: Fleet;
      profile: Profile;
      settings: Settings;
      inspect: Inspect;
      horizon?: number;
      /** The run's clock, for findings from host steps (they carry no time of their own). */
      now?: () => number;
    },
    invariants: readonly Invariant[] = INVARIANTS,
  ) {
    this.view = new LifecycleView(context.fleet);
    const full = { ...context, view: this.view };
    this.monitors = judgeable(invariants).map((invariant) => ({
      invariant,
      monitor: invariant.create(full),
      broken: false,
      deviated: false,
    }));
    this.profile = context.profile;
    this.stepMonitors = this.monitors.filter((m) => m.monitor.hostStep !== undefined);
    this.now = context.now ?? (() => 0);
  }

  private readonly stepMonitors: Watching[];
  private readonly now: () => number;

  private readonly profile: Profile;

  /** Cleared once an invariant that `endsJudgement` broke: nothing later is judged. */
  private judgingNow = true;

  get judging(): boolean {
    return this.judgingNow;
  }

  readonly observe = (record: TraceRecord): void => {
    if (!this.judgingNow) return;
    for (const m of this.monitors) {
      if (m.broken || m.monitor.observe === undefined) continue;
      const verdict = m.monitor.observe(record);
      if (verdict !== null) this.report(m, record.t, verdict);
    }
    this.view.update(record);
    this.index++;
  };

  /** Shows a host step to the monitors that judge steps (see `Monitor.hostStep`). */
  readonly observeHostStep = (step: HostStepSeen): void => {
    if (!this.judgingNow) return;
    for (const m of this.stepMonitors) {
      if (m.broken) continue;
      const verdict = m.monitor.hostStep?.(step) ?? null;
      if (verdict !== null) this.report(m, this.now(), verdict);
    }
  };

  /** Whether any monitor wants host steps (the run then pays for showing them). */
  get watchesHostSteps(): boolean {
    return this.stepMonitors.length > 0;
  }

  finish(summary: RunSummary, t: number): void {
    // A run cut short (a trace of a run stopped by a signal or an error) has no end to
    // judge: where it stopped says nothing about where it would have gone.
    if (summary.ended === 'interrupted' || summary.ended === 'error' || !this.judgingNow) return;
    // The `end` record, the last one observed: not the index one past it, which no trace
    // has (`replay --check` said "line 13" of a 12-line trace).
    const end = Math.max(0, this.index - 1);
    for (const m of this.monitors) {
      if (m.broken || m.monitor.finish === undefined) continue;
      const verdict = m.monitor.finish(summary);
      if (verdict !== null) this.report(m, t, verdict, end);
    }
  }

  private report(m: Watching, t: number, verdict: NonNullable<Verdict>, record = this.index): void {
    const requires = m.invariant.requires;
    // biome-ignore lint/complexity/useOptionalChain: spelled out, it narrows `requires` below
    const flagOff = requires !== undefined && requires.flags.some((f) => !this.profile.flags[f]);
    const explained = typeof verdict !== 'string';
    // A perViolation invariant's monitor says which violations the missing flags cause;
    // for any other, every violation under a profile without them is the deviation.
    const deviation =
      flagOff && (explained || requires.perViolation !== true) ? requires.deviation : null;
    if (deviation !== null && explained) {
      // Shown once, and the judging goes on: a violation of another cause still fails.
      if (m.deviated) return;
      m.deviated = true;
    } else m.broken = true;
    if (m.invariant.endsJudgement) this.judgingNow = false;
    const message = explained ? verdict.deviation : verdict;
    this.found.push({ invariant: m.invariant, t, message, record, deviation });
  }

  get failures(): readonly Finding[] {
    return this.found.filter((f) => f.deviation === null);
  }

  get deviations(): readonly Finding[] {
    return this.found.filter((f) => f.deviation !== null);
  }
}

export interface CheckedRun {
  readonly summary: RunSummary;
  readonly failures: readonly Finding[];
  readonly deviations: readonly Finding[];
}

/** One simulation with every chosen invariant watching it (and `sink`, if given, too). */
export function checkedRun(
  options: Omit<SimulationOptions, 'sink'> & {
    sink?: TraceSink;
    invariants?: readonly Invariant[];
    /**
     * Stop the simulation where the judging ends (see `Invariant.endsJudgement`): what
     * follows could change no finding. Not for a run whose whole trace is wanted.
     */
    stopWhenUnjudged?: boolean;
    /** Stop the simulation once this holds (what follows is of no use to the caller). */
    until?: () => boolean;
  },
): CheckedRun {
  let sim: Simulation | null = null;
  const refusals: AgentRefusal[] = [];
  const deliveryListeners: ((host: string, done: boolean) => void)[] = [];
  const inspect: Inspect = {
    cpHost: (id, host) => sim?.controlPlane.tables.hostRecord(id, host),
    // Records come from the columns' cache of the ones last stored or read.
    agentHost: (host, id) => sim?.agents.get(host)?.record(id),
    agentRecords: (host) => sim?.agents.get(host)?.snapshot() ?? new Map(),
    agentRollouts: (host) => sim?.agents.get(host)?.rollouts() ?? [],
    agentLeft: (host, id) => sim?.agents.get(host)?.left(id) ?? false,
    agentRecovering: (host) => sim?.agents.get(host)?.askingForSnapshots ?? false,
    running: (host) => sim?.agents.get(host)?.runningClosure ?? '',
    clockSkew: (host) => sim?.agents.get(host)?.clockSkew ?? 0,
    quarantine: () => sim?.controlPlane.tables.quarantine ?? new Set(),
    manifestRef: (channel) => sim?.controlPlane.manifestRef(channel),
    failingControls: (id, host) => sim?.controlPlane.tables.failingControls(id, host, false) ?? 0,
    agentRefusals: () => refusals,
    onAgentDelivery: (listener) => {
      deliveryListeners.push(listener);
    },
  };
  const settings = { ...DEFAULT_SETTINGS, ...options.settings };
  const checker = new InvariantChecker(
    {
      fleet: options.fleet,
      profile: options.profile,
      settings,
      inspect,
      horizon: horizonOf(options.untilSeconds),
      now: () => sim?.world.now ?? 0,
    },
    options.invariants,
  );
  const extra = options.sink;
  const seen = options.observeHostSteps;
  const observeHostSteps: HostStepObserver | undefined = !checker.watchesHostSteps
    ? seen
    : seen === undefined
      ? checker.observeHostStep
      : (step) => {
          checker.observeHostStep(step);
          seen(step);
        };
  sim = new Simulation({
    ...options,
    ...(observeHostSteps === undefined ? {} : { observeHostSteps }),
    sink: (record) => {
      checker.observe(record);
      extra?.(record);
    },
  });
  watchAgents(sim, refusals, deliveryListeners);
  const stop = options.stopWhenUnjudged === true;
  const until = options.until;
  while ((!stop || checker.judging) && (until === undefined || !until()) && sim.step()) {}
  const summary = sim.summary();
  checker.finish(summary, sim.world.now);
  return { summary, failures: checker.failures, deviations: checker.deviations };
}

/**
 * An agent refuses one of its own steps silently: it counts a dropped error and traces
 * nothing. Every delivery to an agent runs only that agent's code (all else goes through
 * the scheduler), so a dropped error counted during one is that agent's refusal, caused
 * by that delivery. The same wrapper tells `onAgentDelivery`'s listeners.
 */
function watchAgents(
  sim: Simulation,
  refusals: AgentRefusal[],
  listeners: readonly ((host: string, done: boolean) => void)[],
): void {
  const { world } = sim;
  for (const host of world.hosts) {
    const id = world.agent(host);
    const agent = world.actors[id] as Actor;
    const records = sim.agents.get(host);
    world.actors[id] = {
      receive(message) {
        const before = world.counters.droppedErrors;
        const rolloutId =
          message.kind === 'dispatch_response'
            ? (message.row?.rolloutId ?? null)
            : 'rolloutId' in message && typeof message.rolloutId === 'string'
              ? message.rolloutId
              : null;
        const state = rolloutId === null ? null : records?.state(rolloutId);
        for (const listener of listeners) listener(host, false);
        agent.receive(message);
        for (const listener of listeners) listener(host, true);
        for (let n = world.counters.droppedErrors - before; n > 0; n--)
          refusals.push({
            host,
            t: world.now,
            cause: message.kind,
            rolloutId,
            state: state ?? null,
          });
      },
    };
  }
}
