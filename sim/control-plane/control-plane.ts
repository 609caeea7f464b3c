import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostEvent } from '../../machines/host/event.ts';
import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import { remoteOf } from '../../machines/host/outbound.ts';
import { type HostRecord, type HostState, newPendingHost } from '../../machines/host/state.ts';
import { hostStep } from '../../machines/host/step.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import {
  isRetentionEligible,
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
  rolloutId,
} from '../../machines/rollout/state.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { type Actor, CONTROL_PLANE, FIRST_AGENT, OPERATOR, RETENTION } from '../actors.ts';
import { eventAck } from '../agent/shared-messages.ts';
import { counted } from '../counted.ts';
import { channelWaves, targetClosure } from '../fleet/fleet.ts';
import type { DispatchRow, Message, ToControlPlane } from '../messages.ts';
import { retentionMs } from '../settings.ts';
import type { World } from '../world.ts';
import { type Block, type GateView, hostWave, rolloutEvaluator } from './gates.ts';
import { HostNumbering } from './host-numbering.ts';
import { PairSet } from './pair-set.ts';
import { recoveryEvents } from './recovery.ts';
import { applyRolloutEffects, currentWaveDone } from './rollout-applier.ts';
import { Tables } from './tables.ts';

/** Fallback soak when a wave has none (`DEFAULT_SOAK_MINUTES`, spec §3.10). */
const DEFAULT_SOAK_MINUTES = 60;

/**
 * What the world tells `quiet` of a host's agent: it knows at once what the control plane
 * would learn from the next heartbeat.
 */
export interface SeenAgent {
  /** The closure the host runs. */
  readonly runningClosure: string;
  /** The state of its own record of a rollout, if it holds one. */
  state(id: RolloutId): HostState | undefined;
  /** Whether a newer dispatch made it leave its record (`agent_abandons_superseded`). */
  left(id: RolloutId): boolean;
  /** The rollout its heartbeats name. */
  latestRollout(): RolloutId | null;
  /** Its own record of a rollout: the last seq it gave an event (spec §3.11). */
  record(id: RolloutId): { readonly lastEventSeq: number } | undefined;
  /** Whether its boot heartbeats still ask for snapshots (spec §3.12). */
  readonly askingForSnapshots: boolean;
}

/** Each host's agent, as the world sees it. */
export type AgentsSeen = (host: string) => SeenAgent;

/** Host states whose records get a snapshot on a boot-recovery heartbeat (spec §3.12). */
const SNAPSHOT_STATES = new Set(['Pending', 'Activating', 'Deferred', 'Soaking', 'Failed']);

/**
 * The control plane (spec §4): one reducer task that is the only caller of both machines
 * on the CP side. It mirrors host records from agent events (`Remote*`), turns host
 * changes into rollout events, runs the planner every 15 s and on every manifest update,
 * applies effects to its tables, serves long-polls and heartbeats, and can be taken down.
 */
export class ControlPlane implements Actor {
  readonly tables: Tables;
  private readonly numbering: HostNumbering;
  /** What the publisher has signed, per channel; the manifest poll reads it. */
  private readonly published = new Map<string, string>();
  /** The verified manifest cache: channel → ref. Lost on restart. */
  private readonly manifests = new Map<string, string>();
  /**
   * The open long-poll of each host, by agent address: its request number, 0 for none
   * (requests count from 1). Nearly every host has one open, so a column, not a Map.
   */
  private readonly waiters: Int32Array;
  /**
   * The newest poll request heard from each host, so a duplicated poll that arrives late
   * cannot take the open poll's place: its answer would go to a request the agent no
   * longer waits on, and on a wire that loses nothing the agent never asks again.
   */
  private readonly polled: Int32Array;
  /** Hosts Pending and not yet acknowledged, per rollout, in manifest (host name) order. */
  private readonly unacked = new Map<RolloutId, Set<string>>();
  /** Hosts dispatched at least once (soak anchoring at dispatch, queued-in-flight counting). */
  private readonly dispatchedOnce: PairSet;
  /**
   * The last dispatch handed to each host, and the poll it answered, until a later poll
   * shows it never arrived. A delivered dispatch whose acknowledgement is still on its way
   * is in flight although its record is Pending (counted for superseded rollouts, whose
   * hosts the planner no longer re-queues).
   */
  private readonly handedOut = new Map<string, { rolloutId: RolloutId; request: number }>();
  /** The rollout each host was last queued a dispatch for. */
  private readonly lastQueued = new Map<string, RolloutId>();
  /** The last gate decision traced per rollout and host: repeats are counted, not traced. */
  private readonly lastGate = new Map<RolloutId, Map<string, Block>>();
  /** Blocks by content, so the hosts one decision holds share one object (and reason). */
  private readonly sharedBlocks = new Map<string, Block>();
  private up = true;
  /** Rollouts whose prune fell due while the process was down. */
  private readonly overdueRetention: RolloutId[] = [];
  /** How many dispatches the last planning run queued, and the first of them. */
  private queuedLastRun = 0;
  private firstQueued: DispatchRow | null = null;

  /** Which process lifetime this is: bumped by every (re)start, voiding the old timers. */
  private run = 0;

  constructor(private readonly world: World) {
    this.waiters = new Int32Array(world.hosts.length);
    this.polled = new Int32Array(world.hosts.length);
    this.numbering = new HostNumbering(
      world.hosts,
      (host) => this.channelOf(host),
      (host) => {
        const id = world.agentId(host);
        return id === undefined ? undefined : id - FIRST_AGENT;
      },
    );
    this.tables = new Tables(this.numbering);
    this.dispatchedOnce = this.pairSet();
  }

  /** (rollout, host) pairs, hosts by their number in the rollout's channel. */
  private pairSet(): PairSet {
    return new PairSet(this.numbering);
  }

  /** A fleet host's number in the fleet: its index in the per-host columns. */
  private slot(host: string): number {
    return this.world.agent(host) - FIRST_AGENT;
  }

  private waiter(host: string): number | undefined {
    const request = this.waiters[this.slot(host)] as number;
    return request === 0 ? undefined : request;
  }

  private setWaiter(host: string, request: number): void {
    this.waiters[this.slot(host)] = request;
  }

  /** A (re)started process: the manifest poll's first tick is immediate, then both timers run. */
  start(): void {
    this.run++;
    this.world.send(CONTROL_PLANE, { kind: 'manifest_poll', run: this.run });
    this.world.send(CONTROL_PLANE, { kind: 'plan_tick', run: this.run });
  }

  receive(message: Message): void {
    const m = message as ToControlPlane;
    const { world } = this;
    switch (m.kind) {
      case 'manifest_signed':
        world.scripted--;
        this.published.set(m.channel, m.ref);
        return;
      case 'maybe_crash': {
        const crashes = world.fleet.faults.cp_crashes;
        if (!this.up || crashes === undefined) return;
        if (
          !world.choices.fault(
            () => `control plane crashes for ${crashes.down_seconds} s`,
            crashes.rate,
          )
        )
          return;
        // Scripted input until it is back, as a planned restart is: counted down at cp_up.
        world.scripted++;
        this.receive({ kind: 'cp_down', seconds: crashes.down_seconds });
        return;
      }
      case 'cp_down':
        if (!this.up) {
          // A planned restart while the process is down already (crashed, or an earlier
          // restart still running): no second outage. Its cp_up will not come to count down.
          world.scripted--;
          return;
        }
        world.trace({
          type: 'fault',
          t: world.now,
          kind: 'cp_down',
          host: null,
          detail: `${m.seconds}s`,
        });
        this.up = false;
        this.waiters.fill(0);
        this.polled.fill(0);
        this.manifests.clear();
        world.send(CONTROL_PLANE, { kind: 'cp_up' }, m.seconds * 1000);
        return;
      case 'cp_up':
        world.scripted--;
        world.trace({ type: 'fault', t: world.now, kind: 'cp_up', host: null, detail: '' });
        this.up = true;
        this.start();
        // The prune timer's first tick is immediate, as the manifest poll's is (§4.13).
        for (const id of this.overdueRetention.splice(0)) this.retention(id);
        return;
      default:
        break;
    }
    if (!this.up) {
      // Down: timers lapse and requests go unanswered; agents time out and retry. A prune
      // that fell due meanwhile is not lost: the restarted process's sweep finds it.
      if (m.kind === 'retention_due') this.overdueRetention.push(m.rolloutId);
      return;
    }
    switch (m.kind) {
      case 'manifest_poll':
        if (m.run !== this.run) return;
        this.manifestPoll();
        world.send(
          CONTROL_PLANE,
          { kind: 'manifest_poll', run: this.run },
          world.settings.manifest_poll_secs * 1000,
        );
        return;
      case 'plan_tick':
        if (m.run !== this.run) return;
        this.plan();
        world.send(
          CONTROL_PLANE,
          { kind: 'plan_tick', run: this.run },
          world.settings.plan_tick_secs * 1000,
        );
        return;
      case 'agent_event':
        // Design intent: an event that would be dropped for want of a manifest is left
        // unanswered, and the agent sends it again.
        if (
          world.profile.flags.events_wait_for_manifest &&
          this.waitsForManifest(m.host, m.rolloutId)
        )
          return;
        // The route answers 204 before the reducer runs: rejections never reach the agent.
        world.network.send(world.now, m.host, world.agent(m.host), eventAck(m.request));
        this.agentEvent(m.host, m.rolloutId, m.payload);
        return;
      case 'dispatch_poll':
        this.dispatchPoll(m.host, m.request, m.latest);
        return;
      case 'long_poll_expired':
        if (this.waiter(m.host) === m.request) {
          this.setWaiter(m.host, 0);
          world.network.send(world.now, m.host, world.agent(m.host), {
            kind: 'dispatch_response',
            request: m.request,
            row: null,
          });
        }
        return;
      case 'heartbeat':
        this.heartbeat(m.host, m.rolloutId, m.currentClosure);
        return;
      case 'operator_clearance': {
        world.scripted--;
        const ref = this.manifests.get(m.channel);
        if (ref === undefined) return;
        const id = rolloutId(m.channel, ref);
        this.rolloutEvent(id, {
          type: 'OperatorClearance',
          rolloutId: id,
          operator: m.operator,
          reason: m.reason,
          at: world.now,
        });
        return;
      }
      case 'retention_due':
        this.retention(m.rolloutId);
        return;
      case 'replay_rollout_event':
        this.rolloutEvent(m.rolloutId, m.event, true);
        return;
      default:
        return;
    }
  }

  // --- manifests and planning ----------------------------------------------------------

  private manifestPoll(): void {
    const { world } = this;
    const failing = world.fleet.faults.manifest_failure_rate ?? 0;
    let changed = false;
    for (const [channel, ref] of this.published) {
      // A channel whose manifest fails to fetch or verify is left out of this tick's set,
      // which replaces the cache (spec §4.1; CP/src/runtime/workers/manifest_poll.rs).
      if (failing > 0 && world.choices.fault(() => `manifest of ${channel} fails`, failing)) {
        world.trace({
          type: 'fault',
          t: world.now,
          kind: 'manifest_failure',
          host: null,
          detail: channel,
        });
        // Design intent keeps the last verified one, as a failed fleet verification does.
        if (!world.profile.flags.manifest_failure_keeps_last) {
          if (this.manifests.delete(channel)) changed = true;
        } else if (!this.manifests.has(channel)) {
          // A cache emptied by a restart has none to keep, but the tables do: a rollout is
          // opened only from a verified manifest, so the newest one's ref is the last
          // verified. Else a channel edge would pass on the predecessor it cannot see.
          const ref = this.lastOpenedRef(channel);
          if (ref !== undefined) {
            this.manifests.set(channel, ref);
            changed = true;
          }
        }
        continue;
      }
      if (this.manifests.get(channel) !== ref) {
        this.manifests.set(channel, ref);
        changed = true;
      }
    }
    if (changed) this.plan();
  }

  /** The channel's cached manifest ref, if a poll verified one and none failed since. */
  manifestRef(channel: string): string | undefined {
    return this.manifests.get(channel);
  }

  /** The target ref of the newest rollout the tables hold for `channel`. */
  private lastOpenedRef(channel: string): string | undefined {
    let newest: RolloutRecord | undefined;
    for (const row of this.tables.rolloutsOf(channel))
      if (newest === undefined || row.openedAt >= newest.openedAt) newest = row;
    return newest?.targetRef;
  }

  /** One planning run (spec §4.1): fleet state, advance waves, plan_next, apply. */
  private plan(): void {
    const current: RolloutRecord[] = [];
    const toOpen: [string, string][] = [];
    for (const channel of [...this.manifests.keys()].sort()) {
      const ref = this.manifests.get(channel) as string;
      const row = this.tables.rollouts.get(rolloutId(channel, ref));
      if (row === undefined) toOpen.push([channel, ref]);
      else current.push(row);
    }
    for (const row of current) this.advanceCurrentWave(row.rolloutId);
    // plan_next: open what is new, dispatch for the rollouts that existed at the start.
    for (const [channel, ref] of toOpen) this.openRollout(channel, ref);
    this.queuedLastRun = 0;
    // One budget counter per selector for the whole planning run, across its rollouts.
    const counters = new Map<string, number>();
    const queued = this.pairSet();
    const view = this.gateView(
      current.map((r) => r.rolloutId),
      counters,
      queued,
    );
    for (const { rolloutId: id } of current) {
      const row = this.tables.rollouts.get(id);
      if (row === undefined || row.terminalAt !== null) continue;
      this.planDispatches(view, row, counters, queued);
    }
  }

  /** `advance_current_waves` (spec §4.4): at most one wave per rollout per run. */
  private advanceCurrentWave(id: RolloutId): void {
    const { world, tables } = this;
    const row = tables.rollouts.get(id);
    if (row === undefined || row.terminalAt !== null) return;
    if (!currentWaveDone(world.fleet, row, (h) => tables.hostState(id, h))) return;
    const last = row.currentWave + 1 >= channelWaves(world.fleet, row.channel).length;
    const flags = world.profile.flags;
    if (last) {
      this.offerLastWave(id);
      return;
    }
    if (flags.wave_advanced_event) {
      this.rolloutEvent(id, {
        type: 'WaveAdvanced',
        rolloutId: id,
        fromWave: row.currentWave,
        toWave: row.currentWave + 1,
        at: world.now,
      });
    } else {
      // nixfleet at 080d6cd writes the cursor straight to the database.
      this.setCurrentWave(id, row.currentWave + 1);
    }
  }

  /**
   * Design intent (spec §6.2): once every host of the last wave is ordering-eligible,
   * `WaveAdvanced{last, last}` enters Converging — before `RolloutTerminal`, so it is
   * offered on the host change itself as well as by the planner.
   */
  private offerLastWave(id: RolloutId): void {
    const { world, tables } = this;
    const flags = world.profile.flags;
    const row = tables.rollouts.get(id);
    if (!flags.converging_on_last_wave || !flags.wave_advanced_event || row?.state !== 'Active')
      return;
    if (row.currentWave + 1 < channelWaves(world.fleet, row.channel).length) return;
    if (currentWaveDone(world.fleet, row, (h) => tables.hostState(id, h))) {
      this.rolloutEvent(id, {
        type: 'WaveAdvanced',
        rolloutId: id,
        fromWave: row.currentWave,
        toWave: row.currentWave,
        at: world.now,
      });
    }
  }

  private setCurrentWave(id: RolloutId, wave: number): void {
    const row = this.tables.rollouts.get(id);
    if (row === undefined || wave <= row.currentWave) return;
    this.tables.putRollout({ ...row, currentWave: wave });
    this.world.changed();
    this.world.trace({
      type: 'wave_cursor',
      t: this.world.now,
      rolloutId: id,
      from: row.currentWave,
      to: wave,
    });
  }

  /** `open_rollout` (spec §4.2), step by step. */
  private openRollout(channel: string, ref: string): void {
    const { world, tables } = this;
    const now = world.now;
    const id = rolloutId(channel, ref);
    const predecessors = [...tables.rolloutsOf(channel)].filter(
      (r) => r.rolloutId !== id && r.state !== 'Superseded' && r.state !== 'Pruned',
    );
    tables.putRollout(openRolloutRecord(channel, ref, now));
    world.changed();
    world.trace({ type: 'rollout_opened', t: now, rolloutId: id, channel, targetRef: ref });
    for (const p of predecessors) {
      this.rolloutEvent(p.rolloutId, {
        type: 'SuccessorOpened',
        supersededRolloutId: p.rolloutId,
        successorRolloutId: id,
        at: now,
      });
    }
    const hostSet = this.numbering.hosts(channel);
    const unacked = new Set<string>();
    this.unacked.set(id, unacked);
    for (const host of hostSet) {
      const wave = Math.max(hostWave(world.fleet, channel, host), 0);
      tables.putHost(
        newPendingHost(
          id,
          host,
          channel,
          targetClosure(host, ref),
          now,
          now + this.soakMs(channel, host),
        ),
      );
      unacked.add(host);
      this.rolloutEvent(id, { type: 'HostJoined', rolloutId: id, hostId: host, wave, at: now });
    }
  }

  /** The host's channel ('' for a name not in the fleet, which has no records). */
  private channelOf(host: string): string {
    return this.world.fleet.hosts[host]?.channel ?? '';
  }

  /** `compute_soak_due_at`'s span for a host: its wave's soak, else the 60-minute fallback. */
  private soakMs(channel: string, host: string): number {
    const wave = Math.max(hostWave(this.world.fleet, channel, host), 0);
    return (
      (channelWaves(this.world.fleet, channel)[wave]?.soak_minutes ?? DEFAULT_SOAK_MINUTES) * 60_000
    );
  }

  private planDispatches(
    view: GateView,
    row: RolloutRecord,
    counters: Map<string, number>,
    queued: PairSet,
  ): void {
    const { world, tables } = this;
    const unacked = this.unacked.get(row.rolloutId);
    if (unacked === undefined) return;
    let lastGate = this.lastGate.get(row.rolloutId);
    if (lastGate === undefined) {
      lastGate = new Map();
      this.lastGate.set(row.rolloutId, lastGate);
    }
    const evaluate = rolloutEvaluator(view, row);
    for (const host of unacked) {
      // Only a host that passes every gate has its whole record rebuilt.
      const gated = tables.undispatched(row.rolloutId, host);
      if (gated === undefined) continue;
      const block = evaluate(host, gated);
      if (block !== null) {
        world.counters.deferredDispatches++;
        const prior = lastGate.get(host);
        if (prior === undefined || prior.gate !== block.gate || prior.reason !== block.reason) {
          const kept = this.shared(block);
          lastGate.set(host, kept);
          world.trace({
            type: 'gate',
            t: world.now,
            rolloutId: row.rolloutId,
            host,
            gate: kept.gate,
            reason: kept.reason,
          });
        }
        continue;
      }
      lastGate.delete(host);
      for (const budget of world.fleet.disruption_budgets) {
        if (budget.hosts.includes(host))
          counters.set(budget.selector, (counters.get(budget.selector) ?? 0) + 1);
      }
      queued.add(row.rolloutId, host);
      this.queueDispatch(row, tables.hostRecord(row.rolloutId, host) as HostRecord);
    }
  }

  private shared(block: Block): Block {
    const key = `${block.gate}\u0000${block.reason}`;
    const known = this.sharedBlocks.get(key);
    if (known !== undefined) return known;
    this.sharedBlocks.set(key, block);
    return block;
  }

  private queueDispatch(row: RolloutRecord, prior: HostRecord): void {
    const { world, tables } = this;
    const now = world.now;
    const host = prior.hostname;
    let record = prior;
    if (world.profile.flags.soak_from_dispatch && !this.dispatchedOnce.has(row.rolloutId, host)) {
      // Design intent (spec §6.10): the soak starts when the host is dispatched.
      record = { ...prior, dispatchedAt: now, soakDueAt: now + this.soakMs(row.channel, host) };
      tables.putHost(record);
    }
    this.dispatchedOnce.add(row.rolloutId, host);
    if (world.profile.flags.budget_counts_queued) this.lastQueued.set(host, row.rolloutId);
    const dispatch = {
      hostname: host,
      rolloutId: row.rolloutId,
      targetClosure: record.targetClosure,
      soakDueAt: record.soakDueAt ?? now,
      enqueuedAt: now,
    };
    tables.dispatchQueue.set(host, dispatch);
    world.counters.dispatches++;
    if (this.queuedLastRun++ === 0) this.firstQueued = dispatch;
    world.trace({
      type: 'dispatch',
      t: now,
      rolloutId: row.rolloutId,
      host,
      wave: Math.max(hostWave(world.fleet, row.channel, host), 0),
    });
    const waiter = this.waiter(host);
    if (waiter !== undefined) {
      this.setWaiter(host, 0);
      tables.dispatchQueue.delete(host);
      this.handOut(host, waiter, dispatch);
    }
  }

  private gateView(
    current: readonly RolloutId[],
    counters: ReadonlyMap<string, number>,
    queuedThisRun: PairSet,
  ): GateView {
    const { world, tables } = this;
    const flags = world.profile.flags;
    const failingByWave = new Map<RolloutId, number[]>();
    return {
      fleet: world.fleet,
      flags,
      manifestRef: (channel) => this.manifests.get(channel),
      row: (id) => tables.rollouts.get(id),
      hostRecord: (id, host) => tables.hostRecord(id, host),
      // Faithful: the set handed to plan_next is created empty and never loaded (§6.8).
      quarantined: (channel, closure) =>
        flags.quarantine_from_table && tables.quarantined(channel, closure),
      inFlight: (hosts, except) => {
        let n = 0;
        for (const id of current) {
          for (const h of hosts) {
            const state = tables.hostState(id, h);
            if (state === undefined) continue;
            if (state === 'Activating' || state === 'Soaking') n++;
            else if (flags.budget_counts_queued && state === 'Deferred') n++;
            else if (flags.budget_counts_queued && state === 'Pending' && h !== except) {
              // Queued by an earlier run (this run's are in the counter) and still on its way:
              // in the queue, or handed out and not shown lost by the agent's next poll. A
              // lost one counted for good held the budget against the predecessor a newly
              // opened channel edge made the host wait for: a deadlock (check --profile
              // intent --seed 2, run 76).
              if (!queuedThisRun.has(id, h) && this.dispatchOnItsWay(id, h)) n++;
            }
          }
        }
        if (flags.budget_counts_queued) n += this.supersededInFlight(hosts, except);
        return n;
      },
      failingBefore: (id, wave) => {
        let byWave = failingByWave.get(id);
        if (byWave === undefined) {
          const row = tables.rollouts.get(id);
          const waves = row === undefined ? [] : channelWaves(world.fleet, row.channel);
          byWave = waves.map((w) =>
            w.hosts.reduce(
              (sum, h) => sum + tables.failingControls(id, h, flags.compliance_latest_wins),
              0,
            ),
          );
          failingByWave.set(id, byWave);
        }
        let sum = 0;
        for (let i = 0; i < wave; i++) sum += byWave[i] ?? 0;
        return sum;
      },
      budgetCounter: (selector) => counters.get(selector) ?? 0,
    };
  }

  /**
   * Hosts still working for a rollout that is no longer current: activating or soaking
   * its target, deferred there (its reboot brings it back soaking that target, as a
   * current rollout's deferred host does), or handed its dispatch with the
   * acknowledgement still to come. Only a host's newest dispatch counts: one dispatched
   * since by a later rollout is counted there, if at all (its agent drops the old work).
   */
  private supersededInFlight(hosts: readonly string[], except: string): number {
    let n = 0;
    for (const h of hosts) if (h !== except && this.supersededWork(h) !== undefined) n++;
    return n;
  }

  /** Whether the rollout's dispatch to the host is queued, or handed out and not lost. */
  private dispatchOnItsWay(id: RolloutId, host: string): boolean {
    return (
      this.tables.dispatchQueue.get(host)?.rolloutId === id ||
      this.handedOut.get(host)?.rolloutId === id
    );
  }

  /** Whether the rollout is the one its channel's cached manifest names. */
  private isCurrent(row: RolloutRecord): boolean {
    return this.manifests.get(row.channel) === row.targetRef;
  }

  /**
   * The state of the host's record under the rollout of its newest dispatch, if that
   * rollout is no longer its channel's current one (a current rollout's hosts are counted
   * as such) and the host still works for it there; undefined if not.
   */
  private supersededWork(host: string): HostState | undefined {
    const id = this.lastQueued.get(host);
    const row = id === undefined ? undefined : this.tables.rollouts.get(id);
    // Superseded, or pruned, before or after a successor opened: a row pruned first (a
    // Failed or Reverted one, intent retention anchoring it on that change) is never
    // superseded (open_rollout passes Pruned rows over, spec §4.2 step 1), yet its hosts
    // still work for it. Intent keeps the row and its host records.
    if (id === undefined || row === undefined || this.isCurrent(row)) return undefined;
    const state = this.tables.hostState(id, host);
    return state === 'Activating' ||
      state === 'Soaking' ||
      state === 'Deferred' ||
      (state === 'Pending' && this.handedOut.get(host)?.rolloutId === id)
      ? state
      : undefined;
  }

  // --- dispatch delivery ------------------------------------------------------------------

  private handOut(host: string, request: number, row: DispatchRow): void {
    const { world } = this;
    // Only intent's budget asks (a map entry a host: a million-host run has no use for it).
    if (world.profile.flags.budget_counts_queued)
      this.handedOut.set(host, { rolloutId: row.rolloutId, request });
    world.network.send(world.now, host, world.agent(host), {
      kind: 'dispatch_response',
      request,
      row,
    });
  }

  private withdrawDispatches(id: RolloutId): void {
    for (const [host, row] of this.tables.dispatchQueue) {
      if (row.rolloutId === id) this.tables.dispatchQueue.delete(host);
    }
  }

  private dispatchPoll(host: string, request: number, latest: RolloutId | null): void {
    const { world, tables } = this;
    const slot = this.slot(host);
    if (request <= (this.polled[slot] as number)) return;
    this.polled[slot] = request;
    // An agent polls again only once it has taken the last answer or given up on it; not
    // holding the rollout handed out then means the answer was lost.
    const handed = this.handedOut.get(host);
    if (handed !== undefined && request > handed.request && latest !== handed.rolloutId)
      this.handedOut.delete(host);
    const row = tables.dispatchQueue.get(host);
    if (row !== undefined) {
      tables.dispatchQueue.delete(host);
      this.handOut(host, request, row);
      return;
    }
    this.setWaiter(host, request);
    // An empty 204 after the cap only makes the agent ask again at once; on a wire that
    // loses nothing the poll can simply stay open, with the same deliveries as a result.
    if (world.network.lossy) {
      world.send(
        CONTROL_PLANE,
        { kind: 'long_poll_expired', host, request },
        world.settings.long_poll_secs * 1000,
      );
    }
  }

  // --- host events ------------------------------------------------------------------------

  /**
   * Whether the reducer would drop the host's event for want of its channel's manifest.
   * A host record's channel is the host's own; its state alone says it exists, without
   * building the record from its columns, which agentEvent does next.
   */
  private waitsForManifest(host: string, id: RolloutId): boolean {
    const channel = this.world.fleet.hosts[host]?.channel;
    return (
      channel !== undefined &&
      this.tables.hostState(id, host) !== undefined &&
      !this.manifests.has(channel)
    );
  }

  /** `handle_host_event` (spec §3.11, §4.3): the route's duplicate check, then the reducer. */
  private agentEvent(host: string, id: RolloutId, payload: OutboundAgentEvent): void {
    const record = this.tables.hostRecord(id, host);
    if (record === undefined) return;
    // The route drops what it has seen; a replay that slips past it (a restart between the
    // check and the step, a second instance) reaches the reducer, which must refuse it.
    const slips = this.world.fleet.faults.replays?.events_past_route ?? 0;
    if (
      payload.seq <= record.lastEventSeq &&
      !(
        slips > 0 &&
        this.world.choices.fault(() => `replay past route ${payload.type} ${host}`, slips)
      )
    )
      return;
    this.hostEvent(record, remoteOf(payload));
  }

  private hostEvent(record: HostRecord, event: HostEvent, synthesized = false): void {
    const { world, tables } = this;
    const channel = world.fleet.channels[record.channel];
    const policy =
      channel === undefined ? undefined : world.fleet.rollout_policies[channel.rollout_policy];
    // No cached manifest, no policy: the event is dropped.
    if (policy === undefined || !this.manifests.has(record.channel)) return;
    const hostPolicy = { onHealthFailure: policy.on_health_failure };
    const result = hostStep(record, event, hostPolicy);
    if (
      !world.hostStepped('cp', record.hostname, record, event, hostPolicy, result, synthesized) ||
      !result.ok
    )
      return;
    const next = result.record;
    tables.putHost(next);
    if (next.dispatchAckedAt !== null) this.unacked.get(next.rolloutId)?.delete(next.hostname);
    for (const effect of result.effects) this.applyHostEffect(next, effect);
    if (next.state === record.state) return;
    world.changed();
    world.trace({
      type: 'host_transition',
      t: world.now,
      side: 'cp',
      rolloutId: next.rolloutId,
      host: next.hostname,
      event: event.type,
      from: record.state,
      to: next.state,
    });
    if (next.state === 'Deferred')
      world.send(OPERATOR, { kind: 'host_deferred', host: next.hostname });
    const id = next.rolloutId;
    // Design intent (spec §6.3): under rollback-and-halt the failure is not forwarded, so
    // the rollback that follows is what the rollout sees, and it ends Reverted.
    const rollbackComing =
      next.state === 'Failed' &&
      next.policyApplied === 'rollback-and-halt' &&
      next.currentClosureAtDispatch !== null;
    if (!(world.profile.flags.rollback_reverts_rollout && rollbackComing)) {
      this.rolloutEvent(id, {
        type: 'HostStateChanged',
        rolloutId: id,
        hostId: next.hostname,
        from: record.state,
        to: next.state,
        at: world.now,
      });
    }
    if (next.state === 'Converged' || next.state === 'Deferred') this.offerLastWave(id);
    if (next.state === 'Converged' && tables.count(id, 'Converged') === tables.size(id)) {
      this.rolloutEvent(id, { type: 'RolloutTerminal', rolloutId: id, at: world.now });
    }
  }

  private applyHostEffect(record: HostRecord, effect: HostEffect): void {
    const { tables } = this;
    switch (effect.type) {
      case 'RemoteInsertQuarantine':
        tables.insertQuarantine(effect.channel, effect.closure);
        return;
      case 'RemoteAppendEventLog': {
        const p = effect.payload;
        if (p.type !== 'ProbeResult') return;
        // probe_failures rows (spec §4.11): per failing enforce control, or the probe itself.
        if (p.subResults !== null) {
          for (const s of p.subResults) {
            if (s.effectiveMode === 'enforce')
              tables.recordProbeResult(
                record.rolloutId,
                record.hostname,
                s.controlId,
                s.status === 'fail',
              );
          }
        } else if (p.mode === 'enforce') {
          tables.recordProbeResult(
            record.rolloutId,
            record.hostname,
            p.probeName,
            p.status === 'fail',
          );
        }
        return;
      }
      default:
        // RecordTransition and event-log rows: the trace is the event log here.
        return;
    }
  }

  // --- rollout events ---------------------------------------------------------------------

  /** `process_rollout_event` (spec §4.3): always logged, then stepped, then effects applied. */
  private rolloutEvent(id: RolloutId, event: RolloutEvent, replayed = false): void {
    const { world, tables } = this;
    const row = tables.rollouts.get(id);
    if (row === undefined) return;
    const repeats = world.fleet.faults.replays?.wave_advances ?? 0;
    if (
      !replayed &&
      event.type === 'WaveAdvanced' &&
      repeats > 0 &&
      world.choices.fault(() => `repeat WaveAdvanced ${id}`, repeats)
    ) {
      // Offered again a planning tick later, by then stale: a restarted planner's retry.
      world.send(
        CONTROL_PLANE,
        { kind: 'replay_rollout_event', rolloutId: id, event },
        world.settings.plan_tick_secs * 1000,
      );
    }
    const result = rolloutStep(row, event);
    world.counters.rolloutSteps++;
    let next = row;
    if (result.ok) {
      next = applyRolloutEffects(row, result.effects);
      tables.putRollout(next);
    } else {
      world.counters.droppedErrors++;
    }
    world.trace({
      type: 'rollout_event',
      t: world.now,
      rolloutId: id,
      event,
      result,
      currentWave: next.currentWave,
    });
    if (next.currentWave !== row.currentWave) {
      world.trace({
        type: 'wave_cursor',
        t: world.now,
        rolloutId: id,
        from: row.currentWave,
        to: next.currentWave,
      });
    }
    if (next.state !== row.state) {
      world.changed();
      this.watchRetention(row, next);
      if (next.state === 'Superseded' && world.profile.flags.drop_superseded_dispatches)
        this.withdrawDispatches(id);
    }
  }

  // --- heartbeats ---------------------------------------------------------------------

  /** Recovery synthesis, snapshots and drift replay (spec §3.11–§3.12). */
  private heartbeat(host: string, id: RolloutId | null, closure: string | null): void {
    const { world, tables } = this;
    const now = world.now;
    // A host has records only in its own channel's rollouts.
    const rows = () => tables.rolloutsOf(this.channelOf(host));
    if (closure !== null) {
      for (const { rolloutId: rid } of rows()) {
        // Recovery only ever completes a record not yet soaking whose target the host
        // runs (recovery.ts); every other record is left unread, not rebuilt.
        const state = tables.hostState(rid, host);
        if (state !== 'Pending' && state !== 'Activating' && state !== 'Deferred') continue;
        if (tables.hostTarget(rid, host) !== closure) continue;
        const r = tables.hostRecord(rid, host) as HostRecord;
        const stop = world.profile.flags.recovery_stops_at_soaking;
        for (const event of recoveryEvents(r, closure, now, stop)) {
          this.hostEvent(tables.hostRecord(rid, host) as HostRecord, event, true);
        }
      }
    }
    const snapshots: HostRecord[] = [];
    if (id === null) {
      // Design intent (spec §6 item 10): a record's soak is fixed when it is dispatched, so
      // one not dispatched yet has no deadline to give. Snapshotted, its placeholder would
      // stay the agent's (LocalActivate ignores the dispatch's soak_due_at on a known
      // record), the agent would converge before the control plane's deadline, and the
      // refused RemoteConverged would leave the record Soaking for good. Its dispatch,
      // when it comes, brings the agent the record.
      const unfixed = world.profile.flags.soak_from_dispatch;
      for (const { rolloutId: rid } of rows()) {
        const state = tables.hostState(rid, host);
        if (state === undefined || !SNAPSHOT_STATES.has(state)) continue;
        if (unfixed && state === 'Pending' && !this.dispatchedOnce.has(rid, host)) continue;
        snapshots.push(tables.hostRecord(rid, host) as HostRecord);
      }
    }
    const record = id === null ? undefined : tables.hostReplayPoint(id, host);
    // `compute_replay_from` answers last_event_seq, not +1 (spec §3.11, §6.18).
    const replayFrom =
      record !== undefined && record.currentClosure !== closure ? record.lastEventSeq : null;
    if (snapshots.length > 0 || replayFrom !== null) {
      world.network.send(now, host, world.agent(host), {
        kind: 'heartbeat_reply',
        rolloutId: id,
        replayFrom,
        snapshots,
      });
    }
  }

  // --- retention ----------------------------------------------------------------------

  /**
   * One retention timer a rollout, from when it first finished: a Terminal rollout that is
   * superseded later keeps terminal_at's (faithful's sweep matches either timestamp, and the
   * older matches first). Faithful's Failed and Reverted rows have no timestamp to match
   * (spec §4.12); intent anchors them on when the transition was seen (§6 item 6).
   */
  private watchRetention(before: RolloutRecord, next: RolloutRecord): void {
    const intent = this.world.profile.flags.retention_expired;
    const finished = (r: RolloutRecord) =>
      intent ? isRetentionEligible(r.state) : r.terminalAt !== null || r.supersededAt !== null;
    if (finished(before) || !finished(next)) return;
    const anchor = next.terminalAt ?? next.supersededAt ?? this.world.now;
    this.world.send(RETENTION, { kind: 'finished', rolloutId: next.rolloutId, anchor });
  }

  private retention(id: RolloutId): void {
    const { world, tables } = this;
    world.scripted--;
    const row = tables.rollouts.get(id);
    if (row === undefined) return;
    if (world.profile.flags.retention_expired) {
      this.rolloutEvent(id, { type: 'RetentionExpired', rolloutId: id, at: world.now });
      return;
    }
    // `prune_finished_rollouts`: Failed and Reverted rows have no timestamp to match.
    const cutoff = world.now - retentionMs(world.settings);
    const old =
      (row.supersededAt !== null && row.supersededAt < cutoff) ||
      (row.terminalAt !== null && row.terminalAt < cutoff);
    if (isRetentionEligible(row.state) && old) tables.deleteRollout(id);
  }

  // --- for the world ------------------------------------------------------------------

  /**
   * What the control plane still has to do without outside input, in words, or null when
   * nothing can move: no host mid-flight, nothing queued. The simulator calls a run settled
   * only once this is null; a run that reached its horizon says it. `agents` tells what a
   * host really runs and the state of its own record: the world knows them at once, where
   * the control plane would learn them from the next heartbeat.
   */
  pendingWork(agents: AgentsSeen): string | null {
    const runs = (host: string) => agents(host).runningClosure;
    const { tables } = this;
    if (!this.up) return 'the control plane is down';
    const first = this.firstQueued;
    if (this.queuedLastRun > 0 && first !== null) {
      const more = this.queuedLastRun > 1 ? ` and ${this.queuedLastRun - 1} more` : '';
      return `its last planning run queued a dispatch of ${first.rolloutId} to ${first.hostname}${more}`;
    }
    if (tables.dispatchQueue.size > 0)
      return `${counted(tables.dispatchQueue.size, 'dispatch', 'dispatches')} queued, not yet handed to an agent`;
    // A signed ref the manifest poll has not picked up yet is work still to come.
    for (const [channel, ref] of this.published)
      if (this.manifests.get(channel) !== ref)
        return `${channel}'s ref ${ref} is published, and the manifest poll has not picked it up`;
    // A row the retention sweep deleted while its ref is still current: opened again.
    for (const [channel, ref] of this.manifests)
      if (!tables.rollouts.has(rolloutId(channel, ref)))
        return `${channel}'s ref ${ref} has no rollout row: the next planning run opens one`;
    // Agents that abandon superseded rollouts leave their mirrors Soaking for good once a
    // newer dispatch takes them (inFlightMoves asks the agent); one that took none still
    // works for the superseded rollout, and its record still moves. A row pruned while
    // still current (a halted one, intent's retention) was left by no agent.
    const { flags } = this.world.profile;
    const abandoned = flags.agent_abandons_superseded;
    for (const [id, row] of tables.rollouts) {
      if (abandoned && row.state === 'Pruned' && !this.isCurrent(row)) continue;
      if (tables.count(id, 'Activating') > 0 || tables.count(id, 'Soaking') > 0) {
        for (const host of this.world.hosts)
          if (this.inFlightMoves(id, host, agents))
            return `${host} is ${tables.hostState(id, host)} on ${id}, and its host will still move it`;
      }
      // A record still Pending whose host runs its target already (faithful's sweep
      // deleted the row the host converged under, and planning opened the same id again):
      // the next heartbeat's recovery synthesizes what it missed (spec §3.12).
      if (tables.count(id, 'Pending') > 0) {
        for (const host of this.world.hosts)
          if (
            tables.hostState(id, host) === 'Pending' &&
            runs(host) === tables.hostTarget(id, host)
          )
            return `${host} is Pending on ${id} but runs its target: its next heartbeat recovers the record`;
      }
      if (tables.count(id, 'Deferred') > 0) {
        for (const host of this.world.hosts)
          if (this.bootedIntoDeferral(id, host, runs))
            return `${host} is Deferred on ${id} and runs its target: its next heartbeat moves it on`;
      }
    }
    if (flags.budget_counts_queued) {
      // A dispatch whose answer was lost holds the budget until the agent's next poll shows
      // it lost, up to long_poll + request_timeout later: past a settle window, so the run
      // ended "stalled" on a budget about to free (check --profile intent --set
      // wave_advanced_event=false --seed 1, run 537).
      for (const [host, handed] of this.handedOut)
        if (
          tables.hostState(handed.rolloutId, host) === 'Pending' &&
          agents(host).latestRollout() !== handed.rolloutId
        )
          return `the answer to ${host}'s dispatch of ${handed.rolloutId} was lost: its next poll shows it`;
    }
    if (abandoned && flags.budget_counts_queued) {
      for (const [host, id] of this.lastQueued) {
        const state = this.supersededWork(host);
        if (state === undefined) continue;
        if (
          state === 'Deferred'
            ? this.bootedIntoDeferral(id, host, runs)
            : state === 'Pending' || this.inFlightMoves(id, host, agents)
        )
          return `${host} still works for the superseded ${id} (${state}), which a budget counts`;
      }
    }
    return null;
  }

  /**
   * Whether an Activating or Soaking record will move; asked only while no agent is busy
   * (nothing in an outbox, no activation under way). Only the host moves it:
   * - by the recovery a heartbeat synthesizes once the host runs the target of a record
   *   still Activating here (spec §3.12);
   * - by its agent's own progress, while the agent still works on the record (Soaking and
   *   not left for a newer dispatch), or by the boot snapshot it still asks for once the
   *   host runs the target;
   * - for a record the agent is done with, or left, by a heartbeat's replay (§3.11): it
   *   names the rollout, runs another closure than the one recorded here, and the agent
   *   holds events of a later seq than the record's. Otherwise everything the agent sent
   *   was acknowledged, and the route acknowledges before the reducer runs, so an event
   *   the reducer dropped (no manifest cached yet after a restart, a refused step), or the
   *   route took for a retry (a seq a boot snapshot rewound), is lost for good.
   * One the agent holds as Pending never moves: a stale boot snapshot put it back there
   * and the activation's completion or failure was refused (§3.12 merge).
   */
  private inFlightMoves(id: RolloutId, host: string, agents: AgentsSeen): boolean {
    const { tables } = this;
    const state = tables.hostState(id, host);
    if (state !== 'Activating' && state !== 'Soaking') return false;
    const agent = agents(host);
    const runs = agent.runningClosure;
    const onTarget = runs === tables.hostTarget(id, host);
    if (state === 'Activating' && onTarget) return true;
    const own = agent.state(id) ?? 'Pending';
    if (own === 'Pending') return false;
    // With no activation under way the agent's Activating or Deferred record moves only
    // once the host has booted its target: a boot heartbeat still asking for snapshots
    // gives the agent the record this control plane recovered. One a newer switch
    // overtook, or whose snapshot came and went, moves only by a replay.
    if (own === 'Activating' || own === 'Deferred') {
      if (onTarget && agent.askingForSnapshots) return true;
    } else if (own === 'Soaking' && !agent.left(id)) return true;
    const recorded = tables.hostReplayPoint(id, host);
    return (
      agent.latestRollout() === id &&
      recorded !== undefined &&
      recorded.currentClosure !== runs &&
      (agent.record(id)?.lastEventSeq ?? 0) > recorded.lastEventSeq
    );
  }

  /**
   * A deferred host moves on once it runs the deferred target: its next heartbeat says
   * so. Until then its reboot is on its way (scripted input) or under way (a busy agent);
   * one overtaken by a newer switch or a rollback never comes, and neither does the move.
   */
  private bootedIntoDeferral(id: RolloutId, host: string, runs: (host: string) => string): boolean {
    return (
      this.tables.hostState(id, host) === 'Deferred' &&
      runs(host) === this.tables.hostTarget(id, host)
    );
  }
}
