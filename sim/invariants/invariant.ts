import type { HostRecord, HostState } from '../../machines/host/state.ts';
import type { RolloutId } from '../../machines/rollout/state.ts';
import type { Instant } from '../../machines/time.ts';
import type { Fleet } from '../fleet/fleet.ts';
import type { Profile, ProfileFlags } from '../profile.ts';
import type { Settings } from '../settings.ts';
import type { RunSummary } from '../summary.ts';
import type { TraceRecord } from '../trace-record.ts';
import type { HostStepSeen } from '../world.ts';
import type { LifecycleView } from './lifecycle-view.ts';

/** What a monitor may look at besides the trace: the live records of the run it watches. */
export interface Inspect {
  cpHost(id: RolloutId, host: string): HostRecord | undefined;
  agentHost(host: string, id: RolloutId): HostRecord | undefined;
  /** Every record the host's agent holds, by rollout. */
  agentRecords(host: string): ReadonlyMap<RolloutId, HostRecord>;
  /**
   * The rollouts the host's agent holds a record of, without the records (asked at every
   * trace record, where rebuilding each record would cost). Optional: `agentRecords`'
   * keys without it.
   */
  agentRollouts?(host: string): readonly RolloutId[];
  /**
   * Whether a newer dispatch made the host's agent leave its record of the rollout
   * (intent's `agent_abandons_superseded`). Optional: false without it.
   */
  agentLeft?(host: string, id: RolloutId): boolean;
  /**
   * Whether the host's boot heartbeats still ask for snapshots (spec §3.12). Optional:
   * false without it.
   */
  agentRecovering?(host: string): boolean;
  /** The closure the host really runs. */
  running(host: string): string;
  /**
   * How far the host's clock runs ahead of the world's, in ms (`faults.clock_skew_seconds`):
   * its records' timestamps and deadlines are on that clock. Optional: 0 without it.
   */
  clockSkew?(host: string): number;
  /**
   * The control plane's quarantine table, keyed `${channel}\u0000${closure}` like
   * `LifecycleView.quarantine`. Optional: an inspector without it skips the rules on it.
   */
  quarantine?(): ReadonlySet<string>;
  /**
   * The manifest ref the control plane has cached for a channel (spec §4.1): what its
   * planning runs take as the channel's current rollout. A poll that failed leaves the
   * channel out until the next good one, and the trace shows the failure, not the good
   * poll. Optional: without it, the newest rollout opened on the channel.
   */
  manifestRef?(channel: string): string | undefined;
  /**
   * The control plane's `probe_failures` count for a host of a rollout (spec §4.11: its
   * distinct enforce controls that ever failed). Optional: without it a monitor of the
   * compliance gate assumes the worst.
   */
  failingControls?(id: RolloutId, host: string): number;
  /**
   * Every `Local*` event an agent stepped that its own reducer refused, in order. The
   * trace does not show refused steps (the agent logs and drops them); optional as above.
   */
  agentRefusals?(): readonly AgentRefusal[];
  /**
   * Calls `listener(host, false)` before each message the host's agent takes and
   * `listener(host, true)` after it: an agent's records change only then (an actor's state
   * is its own), so a monitor that samples records can skip the hosts that took none.
   * Optional: without it a sampling monitor samples every record.
   */
  onAgentDelivery?(listener: (host: string, done: boolean) => void): void;
}

/** One refused agent step: which host, when, and what the agent was handling. */
export interface AgentRefusal {
  readonly host: string;
  readonly t: Instant;
  /** The kind of the message whose handling stepped the refused event. */
  readonly cause: string;
  /** The rollout that message was about, if it names one. */
  readonly rolloutId: RolloutId | null;
  /** The state of the agent's record of that rollout before the message, if it had one. */
  readonly state: HostState | null;
}

export interface MonitorContext {
  readonly fleet: Fleet;
  readonly profile: Profile;
  readonly settings: Settings;
  readonly view: LifecycleView;
  readonly inspect: Inspect;
  /**
   * The instant the run could not go past (its `--until`, or the default week). A
   * simulated run that ends earlier has settled: nothing was left to happen. Absent: not
   * known (a log's window).
   */
  readonly horizon?: Instant;
}

/** One broken invariant, where and how. */
export interface Violation {
  readonly invariant: string;
  readonly t: Instant;
  readonly message: string;
}

/**
 * An online monitor. `observe` sees each record *before* the shared view takes it in, so
 * the view is the world the record happens in; it returns a violation message or null.
 */
export interface Monitor {
  observe?(record: TraceRecord): Verdict;
  /**
   * Every host-machine step of a live run, refusals included: most never reach the trace
   * (no state change, or refused), so a monitor of steps needs them here. A trace replay
   * has none to give.
   */
  hostStep?(step: HostStepSeen): Verdict;
  /** Judged once at the end of the run (liveness, final agreement). */
  finish?(summary: RunSummary): Verdict;
}

/**
 * What a monitor says of a record: nothing (null), a violation's message, or, from an
 * invariant whose `requires` is `perViolation`, a violation of the cause its flags remove
 * (`{ deviation: message }`): under a profile without them the known deviation, after
 * which judging goes on, so that a violation with another cause still fails; under one
 * with them, a failure.
 */
export type Verdict = string | { readonly deviation: string } | null;

/**
 * A named invariant: an id, its one-line statement, where it comes from (a spec section
 * or a real-world bug), and the profile flags it depends on. Under a profile without
 * them, nixfleet's runtime breaks it by construction: a violation there is a known
 * deviation (the spec item is named), not a failure.
 */
export interface Invariant {
  readonly id: string;
  readonly statement: string;
  readonly source: string;
  readonly kind: 'safety' | 'liveness';
  /** The flags it depends on: with any of them off, a violation is this known deviation. */
  readonly requires?: {
    readonly flags: readonly (keyof ProfileFlags)[];
    readonly deviation: string;
    /**
     * The monitor tells, violation by violation, which ones the flags' absence explains
     * (it returns those as `{ deviation }`); any other fails under every profile. Else
     * every violation under a profile without the flags is the deviation, however caused:
     * a mistake there is masked.
     */
    readonly perViolation?: true;
  };
  /**
   * Once it is broken the monitors can no longer follow the run (the world left what they
   * model): nothing after that record is judged, by any invariant.
   */
  readonly endsJudgement?: true;
  create(context: MonitorContext): Monitor;
}
