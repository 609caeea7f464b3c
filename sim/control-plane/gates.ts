import type { HostRecord } from '../../machines/host/state.ts';
import { type RolloutId, type RolloutRecord, rolloutId } from '../../machines/rollout/state.ts';
import type { Fleet } from '../fleet/fleet.ts';
import { channelEdgesInto, channelWaveIndex, channelWaves } from '../fleet/fleet.ts';
import type { ProfileFlags } from '../profile.ts';

/*
 * The planner's gate stack (spec §4.5–§4.11), in order; the first gate that blocks wins.
 * Each gate is a pure function of the planning run's view of the world.
 */

export interface Block {
  readonly gate: string;
  readonly reason: string;
}

export interface GateView {
  readonly fleet: Fleet;
  readonly flags: ProfileFlags;
  /** The channel's current verified manifest ref, if any. */
  manifestRef(channel: string): string | undefined;
  row(id: RolloutId): RolloutRecord | undefined;
  hostRecord(id: RolloutId, host: string): HostRecord | undefined;
  /** The quarantine set the planner was handed (empty in faithful: spec §6.8). */
  quarantined(channel: string, closure: string): boolean;
  /**
   * Hosts currently in flight for a budget, over every current rollout (spec §4.10);
   * `except` is the host being decided, which never counts against itself.
   */
  inFlight(hosts: readonly string[], except: string): number;
  /** Failing enforce controls summed over the rollout's hosts in waves before `wave`. */
  failingBefore(id: RolloutId, wave: number): number;
  /** Dispatches already planned in this run, per budget selector. */
  budgetCounter(selector: string): number;
}

/** What a gate reads of the host's record (the planner need not rebuild the rest). */
export type GatedRecord = Pick<HostRecord, 'targetClosure'>;

export type Gate = (
  view: GateView,
  rollout: RolloutRecord,
  host: string,
  record: GatedRecord,
) => Block | null;

/**
 * Design intent (spec §6.9): a halted rollout dispatches nothing more, nor once intent's
 * retention has pruned it while still current (§6.6 anchors a Failed or Reverted row on
 * the transition): Pruned is history. A current row is Pruned only that way: a Terminal
 * one has terminal_at and plans nothing, a Superseded one is not current.
 */
const halt: Gate = (view, rollout) =>
  view.flags.halt_gate && HALTED.has(rollout.state)
    ? { gate: 'halt', reason: `rollout is ${rollout.state}` }
    : null;

const HALTED: ReadonlySet<RolloutRecord['state']> = new Set(['Failed', 'Reverted', 'Pruned']);

const quarantine: Gate = (view, rollout, _host, record) =>
  view.quarantined(rollout.channel, record.targetClosure)
    ? {
        gate: 'quarantine',
        reason: `closure ${record.targetClosure} is quarantined on ${rollout.channel}`,
      }
    : null;

/** Blocks until the predecessor channel's *current* rollout has a terminal_at (spec §4.8). */
const channelEdges: Gate = (view, rollout) => {
  for (const edge of channelEdgesInto(view.fleet, rollout.channel)) {
    const ref = view.manifestRef(edge.gates);
    if (ref === undefined) continue;
    const predecessor = view.row(rolloutId(edge.gates, ref));
    if (predecessor === undefined) {
      return { gate: 'channel-edges', reason: `${edge.gates}@${ref} is not opened yet` };
    }
    if (predecessor.terminalAt === null) {
      return {
        gate: 'channel-edges',
        reason: `${predecessor.rolloutId} is ${predecessor.state}, not terminal`,
      };
    }
  }
  return null;
};

/** The host's wave within `channel`, or -1 (a host belongs to one channel). */
export function hostWave(fleet: Fleet, channel: string, host: string): number {
  return channelWaveIndex(fleet, channel, host);
}

const wavePromotion: Gate = (view, rollout, host) => {
  const waves = channelWaves(view.fleet, rollout.channel);
  if (waves.length === 0) return null;
  const wave = hostWave(view.fleet, rollout.channel, host);
  if (wave < 0)
    return {
      gate: 'wave-promotion-host-unstaged',
      reason: `${host} is in no wave of ${rollout.channel}`,
    };
  return wave > rollout.currentWave ? waveBlock(wave, rollout.currentWave) : null;
};

/** Most hosts wait on the cursor at every planning run: one block value per (wave, cursor). */
const waveBlocks = new Map<number, Block>();
function waveBlock(wave: number, current: number): Block {
  const key = wave * 65_536 + current;
  let block = waveBlocks.get(key);
  if (block === undefined) {
    block = { gate: 'wave-promotion', reason: `wave ${wave} > current wave ${current}` };
    waveBlocks.set(key, block);
  }
  return block;
}

const hostEdges: Gate = (view, rollout, host) => {
  for (const edge of view.fleet.host_edges) {
    if (edge.gated !== host) continue;
    const gating = view.fleet.hosts[edge.gates];
    if (gating === undefined || gating.channel !== rollout.channel) continue;
    const state = view.hostRecord(rollout.rolloutId, edge.gates)?.state;
    if (state !== 'Converged' && state !== 'Deferred') {
      return { gate: 'host-edge', reason: `${edge.gates} is ${state ?? 'not in this rollout'}` };
    }
  }
  return null;
};

const disruptionBudget: Gate = (view, _rollout, host) => {
  for (const budget of view.fleet.disruption_budgets) {
    if (budget.max_in_flight === null || !budget.hosts.includes(host)) continue;
    const used = view.inFlight(budget.hosts, host) + view.budgetCounter(budget.selector);
    if (used >= budget.max_in_flight) {
      return {
        gate: 'disruption-budget',
        reason: `${budget.selector}: ${used} in flight, max ${budget.max_in_flight}`,
      };
    }
  }
  return null;
};

const complianceWave: Gate = (view, rollout, host) => {
  const wave = hostWave(view.fleet, rollout.channel, host);
  if (wave <= 0) return null;
  const failing = view.failingBefore(rollout.rolloutId, wave);
  return failing > 0
    ? { gate: 'compliance-wave', reason: `${failing} failing enforce controls in earlier waves` }
    : null;
};

/** The stack, in the order `evaluate_for_dispatch` runs it (plus the intent halt gate first). */
export const GATES: readonly Gate[] = [
  halt,
  quarantine,
  channelEdges,
  wavePromotion,
  hostEdges,
  disruptionBudget,
  complianceWave,
];

export function evaluateForDispatch(
  view: GateView,
  rollout: RolloutRecord,
  host: string,
  record: GatedRecord,
): Block | null {
  for (const gate of GATES) {
    const block = gate(view, rollout, host, record);
    if (block !== null) return block;
  }
  return null;
}

/** Gates that read the rollout alone: the same answer for every host of one planning run. */
const ROLLOUT_GATES: ReadonlySet<Gate> = new Set([halt, channelEdges]);

/**
 * `evaluateForDispatch` for the hosts of one rollout in one planning run: a rollout-level
 * gate is judged once, not once a host (a fleet waiting on its wave cursor runs the stack
 * for every host at every run). Same stack, same order, same first block. Nothing a
 * planning run does changes what those gates read: queuing a dispatch writes neither
 * rollout rows nor manifests.
 */
export function rolloutEvaluator(
  view: GateView,
  rollout: RolloutRecord,
): (host: string, record: GatedRecord) => Block | null {
  const steps = GATES.map((gate): Gate => {
    if (!ROLLOUT_GATES.has(gate)) return gate;
    const block = gate(view, rollout, '', { targetClosure: '' });
    return () => block;
  });
  return (host, record) => {
    for (const gate of steps) {
      const block = gate(view, rollout, host, record);
      if (block !== null) return block;
    }
    return null;
  };
}
