import type { HostRecord, HostState } from '../../machines/host/state.ts';
import type { RolloutId, RolloutRecord } from '../../machines/rollout/state.ts';
import { entry } from '../map-entry.ts';
import type { DispatchRow } from '../messages.ts';
import { RecordColumns } from '../record-columns.ts';
import { RUN_START } from '../world.ts';
import type { HostNumbering } from './host-numbering.ts';

/**
 * The control plane's database (spec §4): rollout rows, host rollout records, the
 * quarantine table, the dispatch queue and the probe-failure rows — plus per-rollout
 * counts by host state, kept in step with every write so aggregate questions
 * ("is every host Converged?", "how many are in flight?") never scan a fleet.
 */
export class Tables {
  /**
   * A rollout finds a host's row through a list by the host's number in its channel, not
   * a Map by name (40 bytes a host, a million hosts).
   */
  constructor(private readonly numbering: HostNumbering) {}

  private readonly rows = new Map<RolloutId, RolloutRecord>();
  /** The rollout rows, in the order they were opened; written through `putRollout`. */
  readonly rollouts: ReadonlyMap<RolloutId, RolloutRecord> = this.rows;
  /**
   * Each channel's rollout ids, in the rows' own order: what a host's heartbeat or a new
   * rollout reads is one channel's rows, and a fleet of many channels would otherwise scan
   * every row of every channel for each (quadratic: 4,000 one-host channels took 5.8 s).
   */
  private readonly byChannel = new Map<string, Set<RolloutId>>();
  /** Host records kept in columns (see RecordColumns), found by host name. */
  private readonly hosts = new Map<RolloutId, Rows>();
  private readonly counts = new Map<RolloutId, Map<HostState, number>>();
  /** `quarantined_closures`: append-only, first insert wins. */
  readonly quarantine = new Set<string>();
  readonly dispatchQueue = new Map<string, DispatchRow>();
  /*
   * Both kept per rollout and host as a short list of control names, and only for hosts
   * with one: a Map per host would cost a passing million-host fleet 200 bytes a host.
   */
  /** `probe_failures`: per rollout and host, the distinct failing enforce controls (never deleted). */
  private readonly probeFailures = new Map<RolloutId, Map<string, readonly string[]>>();
  /** The controls whose latest result failed, for the "latest result wins" option. */
  private readonly latestFailing = new Map<RolloutId, Map<string, readonly string[]>>();
  /** Rows removed by the faithful retention sweep. */
  readonly deleted: RolloutRecord[] = [];

  /** A rollout's records, rebuilt (for tests and reports; a copy, not a view). */
  hostRecords(id: RolloutId): ReadonlyMap<string, HostRecord> | undefined {
    const rows = this.hosts.get(id);
    if (rows === undefined) return undefined;
    const records = new Map<string, HostRecord>();
    for (let i = 0; i < rows.columns.size; i++) {
      const r = rows.columns.get(i);
      records.set(r.hostname, r);
    }
    return records;
  }

  /** A host's record, rebuilt on every call: equal each time, not the same object. */
  hostRecord(id: RolloutId, host: string): HostRecord | undefined {
    const rows = this.hosts.get(id);
    const i = rows?.at(host);
    return i === undefined ? undefined : rows?.columns.get(i);
  }

  /** Whether a Pending host may be dispatched, and what the gates read, without the record. */
  undispatched(id: RolloutId, host: string): { readonly targetClosure: string } | undefined {
    const rows = this.hosts.get(id);
    const i = rows?.at(host);
    if (rows === undefined || i === undefined) return undefined;
    const { columns } = rows;
    if (columns.state(i) !== 'Pending' || columns.dispatchAcked(i)) return undefined;
    return { targetClosure: columns.targetClosure(i) };
  }

  /** Where a heartbeat's replay would start, without rebuilding the record (spec §3.11). */
  hostReplayPoint(
    id: RolloutId,
    host: string,
  ): { readonly currentClosure: string | null; readonly lastEventSeq: number } | undefined {
    const rows = this.hosts.get(id);
    const i = rows?.at(host);
    if (rows === undefined || i === undefined) return undefined;
    return {
      currentClosure: rows.columns.currentClosure(i),
      lastEventSeq: rows.columns.lastEventSeq(i),
    };
  }

  /** A host's target closure alone, without rebuilding its record. */
  hostTarget(id: RolloutId, host: string): string | undefined {
    const rows = this.hosts.get(id);
    const i = rows?.at(host);
    return i === undefined ? undefined : rows?.columns.targetClosure(i);
  }

  /** A host's state alone, without rebuilding its record. */
  hostState(id: RolloutId, host: string): HostState | undefined {
    const rows = this.hosts.get(id);
    const i = rows?.at(host);
    return i === undefined ? undefined : rows?.columns.state(i);
  }

  count(id: RolloutId, state: HostState): number {
    return this.counts.get(id)?.get(state) ?? 0;
  }

  size(id: RolloutId): number {
    return this.hosts.get(id)?.columns.size ?? 0;
  }

  /** Upsert a host record (`new_pending` overwrites, spec §4.2). */
  putHost(record: HostRecord): void {
    let rows = this.hosts.get(record.rolloutId);
    let counts = this.counts.get(record.rolloutId);
    if (rows === undefined || counts === undefined) {
      rows = new Rows(
        new RecordColumns(record.rolloutId, record.channel, RUN_START),
        this.numbering,
        record.channel,
      );
      counts = new Map();
      this.hosts.set(record.rolloutId, rows);
      this.counts.set(record.rolloutId, counts);
    }
    const i = rows.at(record.hostname);
    if (i !== undefined) {
      const prior = rows.columns.state(i);
      counts.set(prior, (counts.get(prior) ?? 1) - 1);
      rows.columns.set(i, record);
    } else rows.place(record.hostname, rows.columns.add(record));
    counts.set(record.state, (counts.get(record.state) ?? 0) + 1);
  }

  quarantined(channel: string, closure: string): boolean {
    return this.quarantine.has(`${channel}\u0000${closure}`);
  }

  insertQuarantine(channel: string, closure: string): void {
    this.quarantine.add(`${channel}\u0000${closure}`);
  }

  recordProbeResult(id: RolloutId, host: string, control: string, failing: boolean): void {
    if (failing) markControl(this.probeFailures, id, host, control, true);
    markControl(this.latestFailing, id, host, control, failing);
  }

  /** `COUNT(DISTINCT control)` of failing enforce rows for a host (spec §4.11). */
  failingControls(id: RolloutId, host: string, latestWins: boolean): number {
    const table = latestWins ? this.latestFailing : this.probeFailures;
    return table.get(id)?.get(host)?.length ?? 0;
  }

  /** Writes a rollout row, a new one after every other. */
  putRollout(row: RolloutRecord): void {
    this.rows.set(row.rolloutId, row);
    entry(this.byChannel, row.channel, () => new Set()).add(row.rolloutId);
  }

  /** The channel's rollout rows, in the order of `rollouts`. */
  *rolloutsOf(channel: string): IterableIterator<RolloutRecord> {
    for (const id of this.byChannel.get(channel) ?? []) yield this.rows.get(id) as RolloutRecord;
  }

  deleteRollout(id: RolloutId): void {
    const row = this.rows.get(id);
    if (row !== undefined) {
      this.deleted.push(row);
      this.byChannel.get(row.channel)?.delete(id);
    }
    this.rows.delete(id);
    this.hosts.delete(id);
    this.counts.delete(id);
  }
}

/** Put `control` in, or take it out of, the host's list; a host with an empty list has none. */
function markControl(
  table: Map<RolloutId, Map<string, readonly string[]>>,
  id: RolloutId,
  host: string,
  control: string,
  listed: boolean,
): void {
  const byHost = table.get(id);
  const controls = byHost?.get(host) ?? [];
  if (controls.includes(control) === listed) return;
  const next = listed ? [...controls, control] : controls.filter((c) => c !== control);
  if (byHost === undefined) table.set(id, new Map([[host, next]]));
  else if (next.length === 0) byHost.delete(host);
  else byHost.set(host, next);
}

/** One rollout's rows: the columns, and each host's row by its number in the fleet. */
class Rows {
  private readonly byIndex: Int32Array;
  private readonly channel: number;
  /** Hosts outside the rollout's channel (none in a simulation; kept for completeness). */
  private readonly others = new Map<string, number>();

  constructor(
    readonly columns: RecordColumns,
    private readonly numbering: HostNumbering,
    channel: string,
  ) {
    this.channel = numbering.channel(channel);
    this.byIndex = new Int32Array(numbering.size(channel)).fill(-1);
  }

  at(host: string): number | undefined {
    const n = this.numbering.within(host, this.channel);
    if (n === undefined) return this.others.get(host);
    const row = this.byIndex[n] as number;
    return row < 0 ? undefined : row;
  }

  place(host: string, row: number): void {
    const n = this.numbering.within(host, this.channel);
    if (n === undefined) this.others.set(host, row);
    else this.byIndex[n] = row;
  }
}
