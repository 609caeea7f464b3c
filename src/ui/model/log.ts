import type { TraceRecord } from '../../../sim/trace-record.ts';
import { hostOf } from './describe.ts';
import type { Filter } from './filter.ts';

/*
 * Where the event log and the host histories read records from. A live run keeps the
 * newest records in a bounded ring (memory stays flat however long it runs) and a short
 * ring per host; a replay keeps every record and indexes them per host once. Both
 * answer the same questions, so the screens do not care which they are given.
 */

export interface LogEntry {
  /** The record's position in the run (0 = first record after the header). */
  readonly index: number;
  readonly record: TraceRecord;
}

export interface RecordSource {
  /** The oldest index still held. */
  first(): number;
  /** One past the newest index held. */
  end(): number;
  get(index: number): TraceRecord | undefined;
  /** The host's records with index < `end`, oldest first, at most `limit` of the newest. */
  hostHistory(host: string, end: number, limit: number): LogEntry[];
}

/** The newest `limit` records before `end` that pass `filter`, oldest first. */
export function logWindow(
  source: RecordSource,
  end: number,
  filter: Filter,
  limit: number,
): LogEntry[] {
  const out: LogEntry[] = [];
  for (let i = Math.min(end, source.end()) - 1; i >= source.first() && out.length < limit; i--) {
    const record = source.get(i);
    if (record !== undefined && filter(record)) out.push({ index: i, record });
  }
  return out.reverse();
}

/** The nearest index before (`dir` -1) or after (+1) `from` whose record passes `filter`. */
export function seekMatch(
  source: RecordSource,
  from: number,
  dir: 1 | -1,
  end: number,
  filter: Filter,
): number | null {
  const stop = dir > 0 ? Math.min(end, source.end()) : source.first() - 1;
  for (let i = from + dir; i !== stop; i += dir) {
    const record = source.get(i);
    if (record !== undefined && filter(record)) return i;
  }
  return null;
}

/** A live run's log: the newest `capacity` records, and the newest few per host. */
export class RingLog implements RecordSource {
  private readonly ring: (TraceRecord | undefined)[];
  private count = 0;
  private readonly perHost = new Map<string, LogEntry[]>();

  constructor(
    readonly capacity = 5000,
    private readonly perHostCapacity = 64,
  ) {
    this.ring = new Array(capacity);
  }

  push(record: TraceRecord): void {
    const index = this.count++;
    this.ring[index % this.capacity] = record;
    const host = hostOf(record);
    if (host === null) return;
    let list = this.perHost.get(host);
    if (list === undefined) {
      list = [];
      this.perHost.set(host, list);
    }
    list.push({ index, record });
    // Trim in batches so that a busy host does not shift its array on every record.
    if (list.length > this.perHostCapacity * 2) list.splice(0, list.length - this.perHostCapacity);
  }

  first(): number {
    return Math.max(0, this.count - this.capacity);
  }

  end(): number {
    return this.count;
  }

  get(index: number): TraceRecord | undefined {
    return index >= this.first() && index < this.count
      ? this.ring[index % this.capacity]
      : undefined;
  }

  hostHistory(host: string, end: number, limit: number): LogEntry[] {
    const list = this.perHost.get(host) ?? [];
    const before = list.filter((e) => e.index < end);
    return before.slice(Math.max(0, before.length - limit));
  }
}

/** A replay's log: every record, with a per-host index built once. */
export class ArrayLog implements RecordSource {
  private byHost: Map<string, number[]> | null = null;

  constructor(readonly records: readonly TraceRecord[]) {}

  first(): number {
    return 0;
  }

  end(): number {
    return this.records.length;
  }

  get(index: number): TraceRecord | undefined {
    return this.records[index];
  }

  hostHistory(host: string, end: number, limit: number): LogEntry[] {
    if (this.byHost === null) {
      this.byHost = new Map();
      this.records.forEach((r, i) => {
        const h = hostOf(r);
        if (h === null) return;
        const list = this.byHost?.get(h) ?? [];
        if (list.length === 0) this.byHost?.set(h, list);
        list.push(i);
      });
    }
    const list = this.byHost.get(host) ?? [];
    // Binary search: the first position whose index is ≥ end.
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((list[mid] ?? 0) < end) lo = mid + 1;
      else hi = mid;
    }
    return list
      .slice(Math.max(0, lo - limit), lo)
      .map((index) => ({ index, record: this.records[index] as TraceRecord }));
  }
}
