import type { RolloutState } from '../../../machines/rollout/state.ts';
import type { RunSummary } from '../../../sim/summary.ts';
import { CODES } from './codes.ts';
import type { ModelMeta } from './meta.ts';

/*
 * The view model the live run and the replay share: everything the screens draw, as
 * of some record of the run. It is plain data, advanced record by record by `applyRecord`
 * (apply.ts) and copied by `cloneModel` for replay checkpoints. The event log and host
 * histories are not in it: they are windows over the records (log.ts), which a live
 * run keeps in a bounded ring and a replay keeps whole.
 */

/** One transition of a rollout as the reducer took it. */
export interface TakenTransition {
  readonly t: number;
  readonly from: RolloutState;
  readonly to: RolloutState;
  readonly event: string;
  /** Index of the record that made it. */
  readonly index: number;
}

export interface RolloutView {
  readonly id: string;
  readonly channel: string;
  readonly targetRef: string;
  /** 0 for the first rollout opened, 1 for the next, … */
  readonly order: number;
  readonly openedAt: number;
  state: RolloutState;
  currentWave: number;
  terminalAt: number | null;
  /** Bit mask of the states it has been in (codes.ts `rolloutStateBit`). */
  visited: number;
  /** The transitions taken, in order. */
  path: TakenTransition[];
  /** Events the reducer refused. */
  refused: number;
  /** Per host index: the control plane's record state (codes.ts), 0 when it has none. */
  readonly cp: Uint8Array;
  /** Per host index: the agent's record state. */
  readonly agent: Uint8Array;
  /** Per host index: when it was last dispatched (NaN: never). */
  readonly dispatchedAt: Float64Array;
  /** Per host index: its last state change on either side (NaN: none). */
  readonly changedAt: Float64Array;
  /** Hosts per (wave row, cp state code): `counts[row * CODES + code]`. */
  readonly counts: Int32Array;
}

export interface ViewModel {
  readonly meta: ModelMeta;
  /** Virtual time of the last record applied (the run's start before any). */
  t: number;
  /** Records applied so far; the index of the next record. */
  applied: number;
  /** In the order they opened. */
  readonly rollouts: RolloutView[];
  readonly byId: Map<string, RolloutView>;
  /** Per host index: fault records naming it. */
  readonly hostFaults: Int32Array;
  /** Per host index: the closure it is running, as far as the records tell. */
  readonly closure: (string | null)[];
  ended: RunSummary | null;
  /** Counts of records by type, for the header and help. */
  faults: number;
  refusals: number;
}

export function createModel(meta: ModelMeta): ViewModel {
  return {
    meta,
    t: meta.start,
    applied: 0,
    rollouts: [],
    byId: new Map(),
    hostFaults: new Int32Array(meta.hosts.length),
    closure: [...meta.initialClosure],
    ended: null,
    faults: 0,
    refusals: 0,
  };
}

export function createRollout(
  meta: ModelMeta,
  r: { id: string; channel: string; targetRef: string; openedAt: number; order: number },
): RolloutView {
  const n = meta.hosts.length;
  const waves = meta.channels.get(r.channel)?.waves ?? [];
  const counts = new Int32Array(Math.max(waves.length, 1) * CODES);
  waves.forEach((w, row) => {
    counts[row * CODES] = w.length;
  });
  return {
    ...r,
    state: 'Opening',
    currentWave: 0,
    terminalAt: null,
    visited: 1,
    path: [],
    refused: 0,
    cp: new Uint8Array(n),
    agent: new Uint8Array(n),
    dispatchedAt: new Float64Array(n).fill(Number.NaN),
    changedAt: new Float64Array(n).fill(Number.NaN),
    counts,
  };
}

function cloneRollout(r: RolloutView): RolloutView {
  return {
    ...r,
    path: r.path.slice(),
    cp: r.cp.slice(),
    agent: r.agent.slice(),
    dispatchedAt: r.dispatchedAt.slice(),
    changedAt: r.changedAt.slice(),
    counts: r.counts.slice(),
  };
}

/** A deep copy (the meta is shared: it never changes). */
export function cloneModel(m: ViewModel): ViewModel {
  const rollouts = m.rollouts.map(cloneRollout);
  return {
    ...m,
    rollouts,
    byId: new Map(rollouts.map((r) => [r.id, r])),
    hostFaults: m.hostFaults.slice(),
    closure: m.closure.slice(),
  };
}

/** Hosts of a wave row by cp state code (a view into the counts, not a copy). */
export function waveCounts(r: RolloutView, row: number): Int32Array {
  return r.counts.subarray(row * CODES, (row + 1) * CODES);
}
