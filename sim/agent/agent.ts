import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import { rehydrationEffects } from '../../machines/host/rehydration.ts';
import {
  type HostPolicy,
  type HostRecord,
  type HostState,
  newPendingHost,
} from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import { type RolloutId, rolloutChannel } from '../../machines/rollout/state.ts';
import type { Instant } from '../../machines/time.ts';
import { type Actor, CONTROL_PLANE, FIRST_AGENT, OPERATOR } from '../actors.ts';
import type { Host, ProbeFault } from '../fleet/fleet.ts';
import type { DispatchRow, Message, ToAgent } from '../messages.ts';
import type { RecordColumns } from '../record-columns.ts';
import type { World } from '../world.ts';
import { probeFails, rulesForHost } from './probe-outcome.ts';
import { appendSent, EMPTY_LOG, type SentLog, sentAt, sentEntries } from './sent-log.ts';
import {
  activationDone,
  activationStarted,
  heartbeatTick,
  pollTimeout,
  probeTick,
  sendTimeout,
} from './shared-messages.ts';

type LocalEvent = HostEvent extends infer E
  ? E extends { type: `Local${string}` }
    ? E
    : never
  : never;
type Unsequenced = LocalEvent extends infer E
  ? E extends unknown
    ? Omit<E, 'seq'>
    : never
  : never;

type SwitchJob =
  | { readonly kind: 'activate'; readonly rolloutId: RolloutId }
  | { readonly kind: 'rollback'; readonly rolloutId: RolloutId; readonly closure: string };

/** Shared between hosts (see `probeRun`): replaced in the list, never written to. */
interface ProbeRun {
  readonly name: string;
  readonly runs: number;
  readonly failing: boolean;
}

/** An event waiting to be POSTed: where it sits in the rollout's sent log. */
interface Outgoing {
  readonly rolloutId: RolloutId;
  readonly at: number;
  /** The payload's seq, which the log may leave implied. */
  readonly seq: number;
}

/**
 * What the agent keeps per rollout: the host record and what goes with it. One object in
 * one short list, not a map per concern: a fleet of a million agents pays a few hundred
 * bytes for every Map, and most hosts only ever see one rollout.
 */
interface RolloutSlot {
  /** Where the record is kept: the world's columns of agent records for the rollout. */
  readonly columns: RecordColumns;
  readonly index: number;
  /** Everything emitted for the rollout, for `replay_from` resends (spec §3.11). */
  sent: SentLog;
  /** The seq of the last payload in `sent` (0 while empty). */
  lastSeq: number;
  /** The probe tickers' generation: 0 until the first reset; bumped on reset and reboot. */
  probeGeneration: number;
  /** Runs of each probe since the last reset (a host has a handful of probes). */
  probeRuns: readonly ProbeRun[];
  /** Left behind by a newer dispatch (intent: `agent_abandons_superseded`). */
  abandoned: boolean;
}

/**
 * One host's agent (spec §3.10–§3.12, §4.5): the host machine on the `Local*` side, the
 * dispatch long-poll, activation and rollback workers, probe tickers, the advance tick,
 * a durable outbound queue sent one request at a time with retries, heartbeats, and
 * reboots. Every state change goes through `hostStep`; this class only decides which
 * event happens when.
 */
export class Agent implements Actor {
  /*
   * The lists below are never grown in place: a pushed-to array keeps room for 17, a
   * settled million-host fleet would carry that slack in every list. They are replaced
   * by exact copies instead (they hold a handful of items), and share one empty list.
   */
  /**
   * The slots in the order the records were first written (the latest rollout is the
   * last): the first apart, as most hosts only ever see one rollout and a list of one
   * costs 56 bytes.
   */
  private first: RolloutSlot | null = null;
  private later: readonly RolloutSlot[] = NONE;
  private outbox: readonly Outgoing[] = NONE;
  private inFlight: number | null = null;
  private pollRequest: number | null = null;
  private requests = 0;
  /** What /run/current-system runs, and what the next boot will run. */
  private systemClosure: string;
  private bootClosure: string;
  private up = true;
  /** Booted and not yet answered with snapshots: heartbeats go without a rollout id. */
  private recovering = false;
  /** Bumped on reboot: timers and workers from before it are void. */
  private epoch = 0;
  private work = 0;
  /** Switches waiting for the switch lock; the first one is running. */
  private switches: readonly SwitchJob[] = NONE;
  private busy = false;
  private advanceGeneration = 0;
  private advanceAt: Instant | null = null;
  /** The advance ticker's phase: ticks fall on `phase + k * period`. */
  private readonly phase: number;
  private readonly faultRules: readonly ProbeFault[] = NO_RULES;
  /** How far this host's clock runs ahead of the world's (ms; negative: behind). */
  private readonly skew: number;

  constructor(
    private readonly world: World,
    private readonly id: number,
    name: string,
    private readonly host: Host,
  ) {
    this.systemClosure = host.initial_closure;
    this.bootClosure = host.initial_closure;
    this.faultRules = rulesForHost(world.fleet.faults.probes, name);
    if (this.faultRules.length === 0) this.faultRules = NO_RULES;
    this.phase = world.choices.spread(0, world.settings.advance_tick_secs * 1000 - 1);
    // Drawn after the phase, and only when the fleet declares skew: fleets without it keep
    // their draws, so their traces stay as they were.
    const skew = world.fleet.faults.clock_skew_seconds;
    this.skew =
      skew === undefined
        ? 0
        : world.choices.delay(() => `clock skew ${name}`, skew[0] * 1000, skew[1] * 1000, true);
  }

  /*
   * The host's name and policy are looked up, not kept: two fields less on each of a
   * million agents.
   */
  private get name(): string {
    return this.world.hosts[this.id - FIRST_AGENT] as string;
  }

  /** The signed manifest's policy; with none cached the advance tick falls back to halt. */
  private get policy(): HostPolicy {
    const { fleet } = this.world;
    const channel = fleet.channels[this.host.channel];
    const policy =
      channel === undefined ? undefined : fleet.rollout_policies[channel.rollout_policy];
    return POLICIES[policy?.on_health_failure ?? 'halt'];
  }

  /**
   * The host's own clock: every timestamp the agent writes, and every deadline it compares
   * with (soak due, the sustained-failure threshold), is on it. Timers and the trace stay
   * on the world's clock.
   */
  private get clock(): Instant {
    return this.world.now + this.skew;
  }

  private slot(rolloutId: RolloutId): RolloutSlot | undefined {
    if (this.first === null) return undefined;
    if (this.first.columns.rolloutId === rolloutId) return this.first;
    for (const slot of this.later) if (slot.columns.rolloutId === rolloutId) return slot;
    return undefined;
  }

  /** Every slot, in order (a fresh list). */
  private get slots(): readonly RolloutSlot[] {
    if (this.first === null) return NONE;
    return this.later.length === 0 ? [this.first] : [this.first, ...this.later];
  }

  /** One record, rebuilt from its columns (monitors ask for one at a time, too). */
  record(rolloutId: RolloutId): HostRecord | undefined {
    const slot = this.slot(rolloutId);
    return slot === undefined ? undefined : recordOf(slot);
  }

  private setRecord(rolloutId: RolloutId, record: HostRecord): void {
    const known = this.slot(rolloutId);
    if (known !== undefined) {
      known.columns.set(known.index, record);
      return;
    }
    const columns = this.world.agentRecords(rolloutId);
    const slot: RolloutSlot = {
      columns,
      index: columns.add(record),
      sent: EMPTY_LOG,
      lastSeq: 0,
      probeGeneration: 0,
      probeRuns: NONE,
      abandoned: false,
    };
    if (this.first === null) this.first = slot;
    else this.later = appended(this.later, slot);
  }

  receive(message: Message): void {
    const m = message as ToAgent;
    if (!this.up && m.kind !== 'booted') return;
    switch (m.kind) {
      case 'start':
        this.poll();
        this.world.send(
          this.id,
          heartbeatTick(this.epoch),
          this.world.choices.spread(0, this.world.settings.heartbeat_secs * 1000),
        );
        return;
      case 'dispatch_response':
        if (m.request !== this.pollRequest) return;
        this.pollRequest = null;
        if (m.row !== null) this.dispatched(m.row);
        this.poll();
        return;
      case 'poll_timeout':
        if (m.request === this.pollRequest) this.poll();
        return;
      case 'activation_started':
        if (m.epoch === this.epoch) this.activationStarted(m.rolloutId);
        return;
      case 'activation_done':
        if (m.epoch === this.epoch) this.activationDone(m.rolloutId);
        return;
      case 'rollback_done':
        if (m.epoch === this.epoch) this.rollbackDone(m.rolloutId, m.closure);
        return;
      case 'probes_reset':
        this.probesReset(m.rolloutId, m.generation);
        return;
      case 'probe_tick':
        this.probeTick(m.rolloutId, m.probe, m.generation);
        return;
      case 'advance_tick':
        if (m.generation === this.advanceGeneration) this.advanceTick();
        return;
      case 'event_ack':
        if (m.request !== this.inFlight) return;
        this.inFlight = null;
        if (m.accepted) this.outbox = this.outbox.length > 1 ? this.outbox.slice(1) : NONE;
        this.pump();
        return;
      case 'send_timeout':
        if (m.request !== this.inFlight) return;
        this.inFlight = null;
        this.pump();
        return;
      case 'heartbeat_tick': {
        if (m.epoch !== this.epoch) return;
        // A heartbeat without a rollout is the boot-recovery shape (it asks for snapshots);
        // an agent that has never been dispatched has nothing to report yet.
        // After a boot, keep asking for snapshots until the control plane answers.
        const latest = this.recovering ? null : this.latestRollout();
        if (latest !== null || this.recovering) this.heartbeat(latest);
        this.world.send(
          this.id,
          heartbeatTick(this.epoch),
          this.world.settings.heartbeat_secs * 1000,
        );
        return;
      }
      case 'heartbeat_reply':
        this.heartbeatReply(m.rolloutId, m.replayFrom, m.snapshots);
        return;
      case 'reboot':
        this.reboot();
        return;
      case 'booted':
        if (m.epoch === this.epoch) this.booted();
        return;
      default:
        return;
    }
  }

  // --- requests to the control plane -------------------------------------------------

  private poll(): void {
    const request = ++this.requests;
    this.pollRequest = request;
    this.world.network.send(this.world.now, this.name, CONTROL_PLANE, {
      kind: 'dispatch_poll',
      host: this.name,
      request,
      latest: this.latestRollout(),
    });
    // The CP answers within the long-poll cap; past that (plus a margin) the poll was lost.
    // On a wire that loses nothing the answer always comes, so no timer is needed.
    if (!this.world.network.lossy) return;
    const wait =
      (this.world.settings.long_poll_secs + this.world.settings.request_timeout_secs) * 1000;
    this.world.send(this.id, pollTimeout(request), wait);
  }

  /** The durable queue: one POST at a time, resent until the CP answers (it dedups by seq). */
  private pump(): void {
    const next = this.outbox[0];
    if (this.inFlight === null && next !== undefined && this.up) {
      const request = ++this.requests;
      this.inFlight = request;
      const sent = (this.slot(next.rolloutId) as RolloutSlot).sent;
      this.world.network.send(this.world.now, this.name, CONTROL_PLANE, {
        kind: 'agent_event',
        host: this.name,
        rolloutId: next.rolloutId,
        payload: sentAt(sent, next.at, next.seq),
        request,
      });
      this.world.send(
        this.id,
        sendTimeout(request),
        this.world.settings.request_timeout_secs * 1000,
      );
    }
    this.updateBusy();
  }

  private heartbeat(rolloutId: RolloutId | null): void {
    this.world.network.send(this.world.now, this.name, CONTROL_PLANE, {
      kind: 'heartbeat',
      host: this.name,
      rolloutId,
      currentClosure: this.systemClosure,
    });
  }

  /** The rollout its heartbeats name: its newest record's. */
  latestRollout(): RolloutId | null {
    const latest = this.later[this.later.length - 1] ?? this.first;
    return latest === null ? null : latest.columns.rolloutId;
  }

  // --- the host machine ---------------------------------------------------------------

  /** Step the local record; the reducer task owns the seq counter (spec §3.11). */
  private step(rolloutId: RolloutId, event: Unsequenced, seed?: HostRecord): void {
    const record = this.record(rolloutId) ?? seed;
    if (record === undefined) return;
    const sequenced = withSeq(event, record.lastEventSeq + 1);
    const result = hostStep(record, sequenced, this.policy);
    // Refused: logged and dropped, as the agent does.
    if (
      !this.world.hostStepped('agent', this.name, record, sequenced, this.policy, result) ||
      !result.ok
    )
      return;
    this.setRecord(rolloutId, result.record);
    if (result.record.state !== record.state) {
      this.world.changed();
      this.world.trace({
        type: 'host_transition',
        t: this.world.now,
        side: 'agent',
        rolloutId,
        host: this.name,
        event: sequenced.type,
        from: record.state,
        to: result.record.state,
      });
    }
    for (const effect of result.effects) this.perform(rolloutId, effect);
    this.scheduleAdvance();
  }

  private perform(rolloutId: RolloutId, effect: HostEffect): void {
    switch (effect.type) {
      case 'LocalFireSwitch':
        this.enqueueSwitch(activation(rolloutId));
        return;
      case 'LocalFireRollbackTo':
        this.enqueueSwitch({ kind: 'rollback', rolloutId, closure: effect.closure });
        return;
      case 'LocalEmitEvent': {
        // Every step that emits has written the rollout's record, so its slot exists.
        const slot = this.slot(rolloutId) as RolloutSlot;
        const at = slot.sent.length;
        const { seq } = effect.payload;
        slot.sent = appendSent(slot.sent, effect.payload, slot.lastSeq);
        slot.lastSeq = seq;
        this.outbox = appended(this.outbox, outgoing(rolloutId, at, seq));
        this.pump();
        return;
      }
      case 'LocalResetProbeCache':
        this.resetProbes(rolloutId);
        return;
      default:
        // CP-side effects never come out of Local events.
        return;
    }
  }

  private dispatched(row: DispatchRow): void {
    const known = this.record(row.rolloutId);
    const fresh = (known?.state ?? 'Pending') === 'Pending';
    if (this.world.profile.flags.agent_abandons_superseded && fresh) {
      // A newer ref restarts validation: what older rollouts were soaking no longer counts.
      for (const slot of this.slots)
        if (slot.columns.rolloutId !== row.rolloutId) slot.abandoned = true;
    }
    // The host's own channel string when it is the rollout's, not a copy per host.
    const channel = rolloutChannel(row.rolloutId);
    const seed =
      known !== undefined
        ? undefined
        : newPendingHost(
            row.rolloutId,
            'self',
            channel === this.host.channel ? this.host.channel : channel,
            row.targetClosure,
            this.clock,
            row.soakDueAt,
          );
    this.step(
      row.rolloutId,
      {
        type: 'LocalActivate',
        currentClosureAtDispatch: this.systemClosure,
        targetClosure: row.targetClosure,
        receivedAt: this.clock,
        soakDueAt: row.soakDueAt,
      },
      seed,
    );
  }

  // --- workers ------------------------------------------------------------------------

  /**
   * switch-to-configuration holds a lock: a second switch (a newer dispatch, or a
   * rollback) waits for the running one, so the last one queued is what the host runs.
   */
  private enqueueSwitch(job: SwitchJob): void {
    this.work++;
    // A rollback is urgent: it goes ahead of every switch still waiting, so a newer
    // dispatch queued behind a failed activation runs after the revert, not before it.
    const s = this.switches;
    this.switches =
      job.kind === 'rollback' ? [...s.slice(0, 1), job, ...s.slice(1)] : appended(s, job);
    if (this.switches.length === 1) this.startSwitch();
    this.updateBusy();
  }

  private startSwitch(): void {
    const job = this.switches[0];
    if (job === undefined) return;
    const { world } = this;
    if (job.kind === 'activate') {
      world.send(this.id, activationStarted(job.rolloutId, this.epoch));
      const [min, max] = world.fleet.faults.activation.duration_seconds;
      world.send(
        this.id,
        activationDone(job.rolloutId, this.epoch),
        world.choices.delay(
          () => `slow switch ${this.name} ${job.rolloutId}`,
          min * 1000,
          max * 1000,
          true,
        ),
      );
    } else {
      world.send(
        this.id,
        {
          kind: 'rollback_done',
          rolloutId: job.rolloutId,
          closure: job.closure,
          epoch: this.epoch,
        },
        world.settings.rollback_secs * 1000,
      );
    }
  }

  /** The running switch finished: release the lock to the next one. */
  private switchDone(): void {
    this.work--;
    this.switches = this.switches.length > 1 ? this.switches.slice(1) : NONE;
    this.startSwitch();
  }

  private activationStarted(rolloutId: RolloutId): void {
    this.step(rolloutId, {
      type: 'LocalActivationStarted',
      startedAt: this.clock,
      switchMethod: 'switch-to-configuration',
    });
  }

  /** The lock is released only after the outcome is stepped, so its rollback can go first. */
  private activationDone(rolloutId: RolloutId): void {
    const record = this.record(rolloutId);
    if (record === undefined) {
      this.switchDone();
      this.updateBusy();
      return;
    }
    const { world } = this;
    const faults = world.fleet.faults.activation;
    const ref = refOf(rolloutId);
    const now = this.clock;
    if (
      faults.failing_refs.includes(ref) ||
      world.choices.fault(() => `switch fails ${this.name} ${rolloutId}`, faults.failure_rate)
    ) {
      world.trace({
        type: 'fault',
        t: world.now,
        kind: 'activation_failed',
        host: this.name,
        detail: rolloutId,
      });
      this.step(rolloutId, {
        type: 'LocalActivationFailed',
        exitCode: 1,
        stderrTail: 'switch-to-configuration failed',
        failedAt: now,
      });
    } else if (
      faults.deferring_refs.includes(ref) ||
      world.choices.fault(() => `switch deferred ${this.name} ${rolloutId}`, faults.deferral_rate)
    ) {
      const component = world.choices.pick(faults.deferral_components);
      world.trace({
        type: 'fault',
        t: world.now,
        kind: 'activation_deferred',
        host: this.name,
        detail: `${rolloutId} ${component}`,
      });
      // Profile and bootloader now point at the target; it runs after the next boot.
      this.bootClosure = record.targetClosure;
      this.step(rolloutId, { type: 'LocalActivationDeferred', component, deferredAt: now });
      world.send(OPERATOR, { kind: 'host_deferred', host: this.name });
    } else {
      this.systemClosure = record.targetClosure;
      this.bootClosure = record.targetClosure;
      this.step(rolloutId, {
        type: 'LocalActivationCompleted',
        observedCurrentClosure: record.targetClosure,
        exitCode: 0,
        completedAt: now,
      });
    }
    this.switchDone();
    this.updateBusy();
  }

  private rollbackDone(rolloutId: RolloutId, closure: string): void {
    this.switchDone();
    this.systemClosure = closure;
    this.bootClosure = closure;
    this.step(rolloutId, {
      type: 'LocalRollbackCompleted',
      revertedToClosure: closure,
      exitCode: 0,
      completedAt: this.clock,
    });
    this.updateBusy();
  }

  /**
   * The probe worker hears of the reset after the step that asked for it has been applied:
   * it is another task, so what it emits queues behind that step's own events.
   */
  private resetProbes(rolloutId: RolloutId): void {
    // Asked for by a step on the rollout's record, so its slot exists.
    const slot = this.slot(rolloutId) as RolloutSlot;
    const generation = slot.probeGeneration + 1;
    slot.probeGeneration = generation;
    this.world.send(this.id, { kind: 'probes_reset', rolloutId, generation });
  }

  /** Stop the tickers, declare the topology once, start one ticker per enabled probe. */
  private probesReset(rolloutId: RolloutId, generation: number): void {
    const slot = this.slot(rolloutId);
    if (slot === undefined || slot.probeGeneration !== generation) return;
    slot.probeRuns = NONE;
    const probes = this.host.probes;
    this.step(rolloutId, {
      type: 'LocalProbeTopologyDeclared',
      probes: this.world.topology(probes),
      declaredAt: this.clock,
    });
    for (const p of probes) {
      if (p.mode !== 'disabled') this.world.send(this.id, probeTick(rolloutId, p.name, generation));
    }
  }

  private probeTick(rolloutId: RolloutId, name: string, generation: number): void {
    const slot = this.slot(rolloutId);
    if (slot === undefined || slot.probeGeneration !== generation || slot.abandoned) return;
    const probe = this.host.probes.find((p) => p.name === name);
    if (stateOf(slot) !== 'Soaking' || probe === undefined) return;
    const record = recordOf(slot);
    let index = slot.probeRuns.findIndex((r) => r.name === name);
    if (index < 0) {
      index = slot.probeRuns.length;
      slot.probeRuns = appended(slot.probeRuns, probeRun(name, 0, false));
    }
    // The steps below cannot reset the list: a reset arrives as a message of its own.
    const run = slot.probeRuns[index] as ProbeRun;
    const { world } = this;
    const now = this.clock;
    const soaking = (now - (record.activationCompletedAt ?? now)) / 1000;
    const failed = probeFails(
      this.faultRules,
      refOf(rolloutId),
      name,
      soaking,
      world.choices,
      this.name,
      run.failing,
    );
    const mode = probe.mode;
    if (run.runs === 0)
      this.step(rolloutId, {
        type: 'LocalProbeObservedFirst',
        probeName: name,
        mode,
        observedAt: now,
      });
    this.step(rolloutId, {
      type: 'LocalProbeResult',
      probeName: name,
      mode,
      status: failed ? 'fail' : 'pass',
      observedAt: now,
      failureReason: failed ? `${name}: check failed` : null,
      subResults: null,
    });
    if (failed && !run.failing) {
      world.trace({
        type: 'fault',
        t: world.now,
        kind: 'probe_failed',
        host: this.name,
        detail: `${rolloutId} ${name}`,
      });
      this.step(rolloutId, {
        type: 'LocalProbeFailureFirst',
        probeName: name,
        mode,
        firstFailedAt: now,
      });
    }
    slot.probeRuns = slot.probeRuns.map((r, i) =>
      i === index ? probeRun(name, run.runs + 1, failed) : r,
    );
    if (!probe.run_once) {
      world.send(
        this.id,
        probeTick(rolloutId, name, generation),
        Math.max(probe.interval_seconds, 5) * 1000,
      );
    }
  }

  // --- the advance tick ---------------------------------------------------------------

  /**
   * The ticker fires every period, but a tick can only act once a soak deadline or a
   * sustained-failure threshold has passed. So instead of ticking idly, schedule the first
   * tick of the same grid at which either could: the outcome is the same tick by tick.
   */
  private scheduleAdvance(): void {
    const period = this.world.settings.advance_tick_secs * 1000;
    const threshold = this.world.settings.sustained_failure_threshold_secs * 1000;
    let due = Number.POSITIVE_INFINITY;
    for (const slot of this.slots) {
      if (stateOf(slot) !== 'Soaking' || slot.abandoned) continue;
      const r = recordOf(slot);
      if (r.soakDueAt !== null) due = Math.min(due, r.soakDueAt);
      if (r.probeFailureFirstAt !== null) due = Math.min(due, r.probeFailureFirstAt + threshold);
    }
    if (due === Number.POSITIVE_INFINITY) {
      this.advanceAt = null;
      this.advanceGeneration++;
      return;
    }
    // `due` is on the host's clock; the timer on the world's.
    const from = Math.max(due - this.skew, this.world.now + 1);
    const at = this.phase + Math.ceil((from - this.phase) / period) * period;
    // A tick still pending, no later than this one, stands: a step at the tick's own
    // instant (a probe result served just before it) must not push it a period on.
    if (this.advanceAt !== null && this.advanceAt >= this.world.now && this.advanceAt <= at) return;
    this.advanceAt = at;
    this.advanceGeneration++;
    this.world.scheduler.schedule(at, this.id, {
      kind: 'advance_tick',
      generation: this.advanceGeneration,
    });
  }

  /** `run_advance_tick` (spec §3.10): the failing pass first, then the passing pass. */
  private advanceTick(): void {
    const now = this.clock;
    this.advanceAt = null;
    const threshold = this.world.settings.sustained_failure_threshold_secs * 1000;
    const requireObservation =
      this.world.profile.flags.require_probe_observation &&
      this.host.probes.some((p) => p.mode !== 'disabled');
    for (const slot of [...this.slots]) {
      if (stateOf(slot) !== 'Soaking' || slot.abandoned) continue;
      const { rolloutId } = slot.columns;
      const r = recordOf(slot);
      const failing = Object.entries(r.probes)
        .filter(([, p]) => p.mode === 'enforce' && p.status === 'fail')
        .map(([name]) => name);
      if (
        r.probeFailureFirstAt !== null &&
        now - r.probeFailureFirstAt >= threshold &&
        failing.length > 0
      ) {
        this.step(rolloutId, {
          type: 'LocalSustainedFailureCrossed',
          failedAt: now,
          sustainedDurationSecs: Math.floor((now - r.probeFailureFirstAt) / 1000),
          failingProbes: failing,
          policyApplied: this.policy.onHealthFailure,
        });
        continue;
      }
      const soaked = r.soakDueAt !== null && now >= r.soakDueAt;
      const onTarget = r.currentClosure !== null && r.currentClosure === r.targetClosure;
      const observed = !requireObservation || r.probeObservedFirstAt !== null;
      if (soaked && onTarget && failing.length === 0 && observed) {
        this.step(rolloutId, {
          type: 'LocalConvergedReached',
          convergedAt: now,
          currentClosure: r.currentClosure as string,
        });
      }
    }
    // Still soaking past its deadline: keep ticking on the grid.
    if (
      this.advanceAt === null &&
      this.slots.some((s) => stateOf(s) === 'Soaking' && !s.abandoned)
    ) {
      const at = this.world.now + this.world.settings.advance_tick_secs * 1000;
      this.advanceAt = at;
      this.advanceGeneration++;
      this.world.scheduler.schedule(at, this.id, {
        kind: 'advance_tick',
        generation: this.advanceGeneration,
      });
    }
  }

  // --- heartbeats, snapshots, reboots -------------------------------------------------

  private heartbeatReply(
    rolloutId: RolloutId | null,
    replayFrom: number | null,
    snapshots: readonly HostRecord[],
  ): void {
    if (rolloutId === null) this.recovering = false;
    for (const snapshot of snapshots) {
      const local = this.record(snapshot.rolloutId);
      if (
        local !== undefined &&
        this.world.profile.flags.snapshot_keeps_newer &&
        local.lastEventSeq > snapshot.lastEventSeq &&
        !this.bootOvertook(local, snapshot)
      ) {
        // The CP has not heard the agent's latest events yet (the outbox still holds them):
        // its snapshot is the past. The workers reload from the agent's own record.
        for (const effect of rehydrationEffects(local)) this.perform(snapshot.rolloutId, effect);
        continue;
      }
      // merge_snapshot_into_state: the CP's view wins except for what only the agent knows.
      const merged: HostRecord = {
        ...snapshot,
        hostname: 'self',
        probes: local?.probes ?? {},
        probeObservedFirstAt: local?.probeObservedFirstAt ?? null,
        probeFailureFirstAt: local?.probeFailureFirstAt ?? null,
        activationFailedAt: local?.activationFailedAt ?? null,
        failedAt: local?.failedAt ?? null,
        convergedAt: local?.convergedAt ?? null,
        revertedTo: local?.revertedTo ?? null,
        revertedAt: local?.revertedAt ?? null,
        policyApplied: local?.policyApplied ?? null,
      };
      if (local !== undefined && local.state !== merged.state) {
        this.world.changed();
        this.world.trace({
          type: 'host_transition',
          t: this.world.now,
          side: 'agent',
          rolloutId: snapshot.rolloutId,
          host: this.name,
          event: 'RemoteActivationCompleted',
          from: local.state,
          to: merged.state,
        });
      }
      this.setRecord(snapshot.rolloutId, merged);
      for (const effect of rehydrationEffects(merged)) this.perform(snapshot.rolloutId, effect);
    }
    if (rolloutId !== null && replayFrom !== null) {
      for (const { at, payload } of sentEntries(this.slot(rolloutId)?.sent ?? EMPTY_LOG)) {
        if (
          payload.seq > replayFrom &&
          !this.outbox.some((o) => o.rolloutId === rolloutId && o.at === at)
        )
          this.outbox = appended(this.outbox, outgoing(rolloutId, at, payload.seq));
      }
      this.pump();
    }
    this.scheduleAdvance();
  }

  private reboot(): void {
    const { world } = this;
    // Nothing is waiting for a boot: the deferred activation was overtaken (a newer
    // dispatch switched the system, or a rollback replaced it).
    if (this.bootClosure === this.systemClosure) return;
    // A switch or rollback is running: the operator waits for it rather than cut it off.
    if (this.work > 0) {
      world.send(this.id, { kind: 'reboot' }, 60_000);
      return;
    }
    world.trace({
      type: 'fault',
      t: world.now,
      kind: 'reboot',
      host: this.name,
      detail: `boots ${this.bootClosure}`,
    });
    this.up = false;
    this.epoch++;
    this.work = 0;
    this.switches = NONE;
    this.inFlight = null;
    this.pollRequest = null;
    this.advanceGeneration++;
    this.advanceAt = null;
    // Every ticker started before the boot is void (a rollout never reset has none).
    for (const slot of this.slots) if (slot.probeGeneration > 0) slot.probeGeneration++;
    world.send(this.id, { kind: 'booted', epoch: this.epoch }, world.settings.reboot_secs * 1000);
    this.updateBusy();
  }

  /** Boot recovery: the new closure runs; a heartbeat without a rollout asks for snapshots. */
  private booted(): void {
    this.up = true;
    this.recovering = true;
    const rate = this.world.fleet.faults.activation.boot_failure_rate ?? 0;
    const slot = this.slots.find(
      (s) => stateOf(s) === 'Deferred' && recordOf(s).targetClosure === this.bootClosure,
    );
    const deferred = slot === undefined ? undefined : recordOf(slot);
    if (
      deferred !== undefined &&
      rate > 0 &&
      this.world.choices.fault(() => `boot fails ${this.name} ${deferred.rolloutId}`, rate)
    ) {
      // The boot loader falls back to the generation that ran before the deferral.
      this.world.trace({
        type: 'fault',
        t: this.world.now,
        kind: 'boot_failed',
        host: this.name,
        detail: deferred.rolloutId,
      });
      this.bootClosure = this.systemClosure;
      this.step(deferred.rolloutId, {
        type: 'LocalActivationFailed',
        exitCode: 1,
        stderrTail: 'boot of the new generation failed; fell back',
        failedAt: this.clock,
      });
    }
    this.systemClosure = this.bootClosure;
    this.heartbeat(null);
    this.poll();
    this.pump();
    this.world.send(this.id, heartbeatTick(this.epoch), this.world.settings.heartbeat_secs * 1000);
  }

  /**
   * Whether the control plane's snapshot is the boot the agent just made, not the past:
   * the agent deferred its switch, the host now runs that target, and the control plane
   * recovered the record to Soaking from the boot heartbeat (§3.11). Its seq is older only
   * because the agent's reports were lost; kept, the agent's Deferred record would have
   * nothing left to move it (boot recovery asks for snapshots once).
   */
  private bootOvertook(local: HostRecord, snapshot: HostRecord): boolean {
    return (
      local.state === 'Deferred' &&
      snapshot.state === 'Soaking' &&
      snapshot.targetClosure === local.targetClosure &&
      this.systemClosure === local.targetClosure
    );
  }

  private updateBusy(): void {
    const busy = this.busyWith !== null;
    if (busy === this.busy) return;
    this.busy = busy;
    this.world.busyAgents += busy ? 1 : -1;
  }

  /**
   * What keeps the agent busy, as a phrase after "3 agents" (`down`, `switching`, `with
   * events not yet acknowledged`), or null: the one definition of busy, which the world
   * counts (no run settles while an agent is) and a run that reached its horizon names.
   */
  get busyWith(): string | null {
    if (!this.up) return 'down';
    if (this.work > 0) return 'switching';
    if (this.outbox.length > 0) return 'with events not yet acknowledged';
    return null;
  }

  /** One record's state alone, read without rebuilding the record. */
  state(rolloutId: RolloutId): HostState | undefined {
    const slot = this.slot(rolloutId);
    return slot === undefined ? undefined : stateOf(slot);
  }

  /** Whether its boot heartbeats still ask the control plane for snapshots (spec §3.12). */
  get askingForSnapshots(): boolean {
    return this.recovering;
  }

  /** Whether a newer dispatch made the agent leave its record of the rollout (intent). */
  left(rolloutId: RolloutId): boolean {
    return this.slot(rolloutId)?.abandoned ?? false;
  }

  /** The rollouts the agent holds a record of, oldest first. */
  rollouts(): RolloutId[] {
    return this.slots.map((s) => s.columns.rolloutId);
  }

  /** The agent's records, for the summary, monitors and tests. */
  snapshot(): ReadonlyMap<RolloutId, HostRecord> {
    return new Map(this.slots.map((s) => [s.columns.rolloutId, recordOf(s)]));
  }

  /** How far this host's clock runs ahead of the world's (ms). */
  get clockSkew(): number {
    return this.skew;
  }

  /** What the host really runs now (`/run/current-system`). */
  get runningClosure(): string {
    return this.systemClosure;
  }
}

const recordOf = (slot: RolloutSlot): HostRecord => slot.columns.get(slot.index);
const stateOf = (slot: RolloutSlot): HostState => slot.columns.state(slot.index);

/*
 * Activations and queued events are the same for every host of a rollout (a log position
 * is the same for hosts that emitted the same kinds of event): shared rather than held
 * once per host while half a million hosts activate at once. Never written to.
 */
const activations = new Map<RolloutId, SwitchJob>();
function activation(rolloutId: RolloutId): SwitchJob {
  let job = activations.get(rolloutId);
  if (job === undefined) {
    job = { kind: 'activate', rolloutId };
    activations.set(rolloutId, job);
  }
  return job;
}

/** Queue entries by rollout, then by place and seq (numbers, not a key string built a send). */
const queued = new Map<RolloutId, Map<number, Outgoing>>();
/** Seqs below this share an entry key with their place; a larger one (never seen) is not shared. */
const SEQ_KEY = 2 ** 21;
function outgoing(rolloutId: RolloutId, at: number, seq: number): Outgoing {
  if (seq >= SEQ_KEY || at >= 2 ** 31) return { rolloutId, at, seq };
  let byKey = queued.get(rolloutId);
  if (byKey === undefined) {
    byKey = new Map();
    queued.set(rolloutId, byKey);
  }
  const key = at * SEQ_KEY + seq;
  let entry = byKey.get(key);
  if (entry === undefined) {
    entry = { rolloutId, at, seq };
    byKey.set(key, entry);
  }
  return entry;
}

/** Probe-run counters by probe name, then by count and whether failing (count × 2 + 1 if so). */
const probeRuns = new Map<string, ProbeRun[]>();
function probeRun(name: string, runs: number, failing: boolean): ProbeRun {
  let byCount = probeRuns.get(name);
  if (byCount === undefined) {
    byCount = [];
    probeRuns.set(name, byCount);
  }
  const key = runs * 2 + (failing ? 1 : 0);
  let run = byCount[key];
  if (run === undefined) {
    run = { name, runs, failing };
    byCount[key] = run;
  }
  return run;
}

const NO_RULES: readonly ProbeFault[] = [];
const NONE: readonly never[] = [];

/**
 * `{ ...event, seq }`, written as a loop: events come in a dozen shapes, and spreading
 * that many sends V8's object clone down its slow path (eight times slower here).
 */
function withSeq(event: Unsequenced, seq: number): HostEvent {
  const source = event as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key in source) out[key] = source[key];
  out.seq = seq;
  return out as unknown as HostEvent;
}

/** `list` and `item` in a new array of exactly that length. */
function appended<T>(list: readonly T[], item: T): readonly T[] {
  return list.concat([item]);
}

/** One policy object per value, not one per agent. */
const POLICIES: Readonly<Record<HostPolicy['onHealthFailure'], HostPolicy>> = {
  halt: { onHealthFailure: 'halt' },
  'rollback-and-halt': { onHealthFailure: 'rollback-and-halt' },
};

function refOf(rolloutId: RolloutId): string {
  return rolloutId.slice(rolloutId.lastIndexOf('@') + 1);
}
