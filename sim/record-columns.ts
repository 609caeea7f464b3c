import {
  HOST_STATES,
  type HostRecord,
  type HostState,
  ON_HEALTH_FAILURE,
  type OnHealthFailure,
  PROBE_MODES,
  PROBE_STATUSES,
  type ProbeRecord,
} from '../machines/host/state.ts';
import type { RolloutId } from '../machines/rollout/state.ts';
import { NumberColumn } from './number-column.ts';

/*
 * One rollout's host records, a column per field: a million records as objects cost
 * about 450 bytes each (the object, its property store, a boxed number per timestamp,
 * the probes map and its records), twice over (the agents' and the control plane's).
 * Here timestamps sit in 32-bit columns (see NumberColumn), states in bytes, and the one probe most hosts
 * have in columns of its own; a record is rebuilt, field for field and in the same key
 * order, whenever it is read. The rollout and its channel are the column's, not a host's.
 */

/** The record's timestamps, in key order. */
const TIMES = [
  'dispatchedAt',
  'dispatchAckedAt',
  'activationStartedAt',
  'activationCompletedAt',
  'activationFailedAt',
  'probeObservedFirstAt',
  'probeFailureFirstAt',
  'soakDueAt',
  'convergedAt',
  'failedAt',
  'revertedAt',
] as const;
type TimeField = (typeof TIMES)[number];
const T = Object.fromEntries(TIMES.map((f, i) => [f, i])) as Record<TimeField, number>;
const NT = TIMES.length;

/** Strings per host: hostname, targetClosure, currentClosureAtDispatch, currentClosure, revertedTo. */
const NS = 5;
/** Per host in the probe columns: its last observation and last pass. */
const NP = 2;
const NONE = 255;
/** Records kept as objects per column set (a power of two: a slot is an index's low bits). */
const CACHED = 64;

/** How a host's probes are kept: none yet, the one probe in columns, or the record's own object. */
const NO_PROBES = 0;
const ONE_PROBE = 1;
const AS_GIVEN = 2;

export class RecordColumns {
  private capacity = 0;
  private count = 0;
  private readonly times: NumberColumn;
  private readonly seqs = new NumberColumn(1, 0);
  private strings: (string | null)[] = [];
  /** state, policyApplied, probes kind, probe status, probe mode. */
  private bytes = new Uint8Array(0);
  private readonly probeTimes: NumberColumn;
  /** Per host: the probe's name and failure reason, or the probes object kept as given. */
  private probeRefs: unknown[] = [];
  /*
   * The records last stored or read, a few by index: an agent reads its record, steps it,
   * stores the next and the monitors read that at once, and a fleet of a dozen hosts
   * would otherwise rebuild every record it touches, several times a step. Records are
   * never written to once made (the machines copy before they write), so the stored
   * object itself can be handed out again.
   */
  private readonly cachedAt = new Int32Array(CACHED).fill(-1);
  private readonly cached: (HostRecord | undefined)[] = new Array(CACHED).fill(undefined);

  /** `timeBase`: an instant near the run's, timestamps are kept as offsets from it. */
  constructor(
    readonly rolloutId: RolloutId,
    readonly channel: string,
    timeBase: number,
  ) {
    this.times = new NumberColumn(NT, timeBase);
    this.probeTimes = new NumberColumn(NP, timeBase);
  }

  get size(): number {
    return this.count;
  }

  /** Room for a new record; returns its index. */
  add(record: HostRecord): number {
    if (this.count === this.capacity) this.grow();
    const index = this.count++;
    this.set(index, record);
    return index;
  }

  state(index: number): HostState {
    return HOST_STATES[this.bytes[index * 5] as number] as HostState;
  }

  targetClosure(index: number): string {
    return this.strings[index * NS + 1] as string;
  }

  currentClosure(index: number): string | null {
    return this.strings[index * NS + 3] as string | null;
  }

  lastEventSeq(index: number): number {
    return this.seqs.get(index, 0) as number;
  }

  dispatchAcked(index: number): boolean {
    return !this.times.isNull(index, T.dispatchAckedAt);
  }

  set(index: number, r: HostRecord): void {
    if (r.rolloutId !== this.rolloutId || r.channel !== this.channel)
      throw new Error(`record of ${r.rolloutId} (${r.channel}) stored with ${this.rolloutId}`);
    const times = this.times;
    times.set(index, T.dispatchedAt, r.dispatchedAt);
    times.set(index, T.dispatchAckedAt, r.dispatchAckedAt);
    times.set(index, T.activationStartedAt, r.activationStartedAt);
    times.set(index, T.activationCompletedAt, r.activationCompletedAt);
    times.set(index, T.activationFailedAt, r.activationFailedAt);
    times.set(index, T.probeObservedFirstAt, r.probeObservedFirstAt);
    times.set(index, T.probeFailureFirstAt, r.probeFailureFirstAt);
    times.set(index, T.soakDueAt, r.soakDueAt);
    times.set(index, T.convergedAt, r.convergedAt);
    times.set(index, T.failedAt, r.failedAt);
    times.set(index, T.revertedAt, r.revertedAt);
    this.seqs.set(index, 0, r.lastEventSeq);
    const s = index * NS;
    const strings = this.strings;
    strings[s] = r.hostname;
    strings[s + 1] = r.targetClosure;
    strings[s + 2] = r.currentClosureAtDispatch;
    strings[s + 3] = r.currentClosure;
    strings[s + 4] = r.revertedTo;
    const b = index * 5;
    const bytes = this.bytes;
    bytes[b] = HOST_STATES.indexOf(r.state);
    bytes[b + 1] = r.policyApplied === null ? NONE : ON_HEALTH_FAILURE.indexOf(r.policyApplied);
    this.setProbes(index, r.probes);
    this.cachedAt[index & (CACHED - 1)] = index;
    this.cached[index & (CACHED - 1)] = r;
  }

  private setProbes(index: number, probes: HostRecord['probes']): void {
    const b = index * 5;
    let name: string | undefined;
    let n = 0;
    for (const key in probes) {
      name = key;
      if (++n > 1) break;
    }
    const one = n === 1 ? (probes[name as string] as ProbeRecord) : undefined;
    if (n === 0) {
      this.bytes[b + 2] = NO_PROBES;
      this.probeRefs[index * 2] = null;
      this.probeRefs[index * 2 + 1] = null;
    } else if (one !== undefined && canonicalProbe(one)) {
      this.bytes[b + 2] = ONE_PROBE;
      this.bytes[b + 3] = PROBE_STATUSES.indexOf(one.status);
      this.bytes[b + 4] = PROBE_MODES.indexOf(one.mode);
      this.probeTimes.set(index, 0, one.lastObservedAt);
      this.probeTimes.set(index, 1, one.lastPassAt);
      this.probeRefs[index * 2] = name as string;
      this.probeRefs[index * 2 + 1] = one.failureReason;
    } else {
      this.bytes[b + 2] = AS_GIVEN;
      this.probeRefs[index * 2] = probes;
      this.probeRefs[index * 2 + 1] = null;
    }
  }

  private probes(index: number): HostRecord['probes'] {
    const b = index * 5;
    switch (this.bytes[b + 2]) {
      case NO_PROBES:
        return {};
      case ONE_PROBE: {
        const probe: ProbeRecord = {
          status: PROBE_STATUSES[this.bytes[b + 3] as number] as ProbeRecord['status'],
          mode: PROBE_MODES[this.bytes[b + 4] as number] as ProbeRecord['mode'],
          lastObservedAt: this.probeTimes.get(index, 0) as number,
          lastPassAt: this.probeTimes.get(index, 1),
          failureReason: this.probeRefs[index * 2 + 1] as string | null,
        };
        return { [this.probeRefs[index * 2] as string]: probe };
      }
      default:
        return this.probeRefs[index * 2] as HostRecord['probes'];
    }
  }

  /** The record at `index`, rebuilt: equal to the one stored, keys in the same order. */
  get(index: number): HostRecord {
    const slot = index & (CACHED - 1);
    if (this.cachedAt[slot] === index) return this.cached[slot] as HostRecord;
    const record = this.rebuild(index);
    this.cachedAt[slot] = index;
    this.cached[slot] = record;
    return record;
  }

  private rebuild(index: number): HostRecord {
    const times = this.times;
    const s = index * NS;
    const strings = this.strings;
    const b = index * 5;
    const policy = this.bytes[b + 1] as number;
    return {
      rolloutId: this.rolloutId,
      hostname: strings[s] as string,
      channel: this.channel,
      state: HOST_STATES[this.bytes[b] as number] as HostState,
      targetClosure: strings[s + 1] as string,
      currentClosureAtDispatch: strings[s + 2] as string | null,
      currentClosure: strings[s + 3] as string | null,
      revertedTo: strings[s + 4] as string | null,
      dispatchedAt: times.get(index, T.dispatchedAt) as number,
      dispatchAckedAt: times.get(index, T.dispatchAckedAt),
      activationStartedAt: times.get(index, T.activationStartedAt),
      activationCompletedAt: times.get(index, T.activationCompletedAt),
      activationFailedAt: times.get(index, T.activationFailedAt),
      probeObservedFirstAt: times.get(index, T.probeObservedFirstAt),
      probeFailureFirstAt: times.get(index, T.probeFailureFirstAt),
      soakDueAt: times.get(index, T.soakDueAt),
      convergedAt: times.get(index, T.convergedAt),
      failedAt: times.get(index, T.failedAt),
      policyApplied: policy === NONE ? null : (ON_HEALTH_FAILURE[policy] as OnHealthFailure),
      revertedAt: times.get(index, T.revertedAt),
      probes: this.probes(index),
      lastEventSeq: this.seqs.get(index, 0) as number,
    };
  }

  private grow(): void {
    const capacity = Math.max(16, this.capacity * 2);
    this.times.reserve(capacity);
    this.seqs.reserve(capacity);
    this.probeTimes.reserve(capacity);
    const bytes = new Uint8Array(capacity * 5);
    bytes.set(this.bytes);
    this.bytes = bytes;
    this.capacity = capacity;
  }
}

/** A probe record with exactly the five fields, in the order the host machine writes them. */
function canonicalProbe(p: ProbeRecord): boolean {
  let i = 0;
  for (const key in p) if (key !== PROBE_KEYS[i++]) return false;
  return i === PROBE_KEYS.length;
}
const PROBE_KEYS = ['status', 'mode', 'lastObservedAt', 'lastPassAt', 'failureReason'];
