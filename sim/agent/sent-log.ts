import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import { RUN_START } from '../world.ts';

/*
 * Everything an agent emitted for one rollout, kept for `replay_from` resends (spec
 * §3.11). A host keeps its log for the whole run, and a million of them as payload
 * objects (each with its own property store and a boxed number per timestamp) cost about
 * a kilobyte a host. So the log is one flat array per rollout: a header per payload (its
 * shape: wire kind, key list and the values of its vocabulary fields; and which of its
 * numbers are stored as offsets from the run start, which fit in a small integer), then
 * its other values in key order. A payload is rebuilt, with the same keys in the same
 * order, when it is sent.
 *
 * The array is never grown in place (a pushed-to array keeps slack that a million logs
 * would pay for): appending returns a new log of exactly the new length.
 */
export type SentLog = readonly unknown[];

export const EMPTY_LOG: SentLog = [];

/**
 * Fields whose values come from a small vocabulary (probe names and modes, statuses, the
 * switch method, exit codes, a probe's failure text), and nulls in any field: these go in
 * the shape, not the log,
 * so a fleet of hosts emitting the same kinds of event shares them. Only scalars: a list
 * (sub-results) stays in the log.
 */
const VOCABULARY = new Set([
  'type',
  'probeName',
  'mode',
  'status',
  'switchMethod',
  'exitCode',
  'failureReason',
  'policyApplied',
  'component',
  'stderrTail',
]);

/** Scalars that JSON tells apart (the shape's name is JSON): no -0, NaN or infinities. */
const folded = (key: string, value: unknown): boolean =>
  value === null ||
  (VOCABULARY.has(key) &&
    (typeof value === 'string' ||
      (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0))));

interface Shape {
  readonly keys: readonly string[];
  /** Per key: the vocabulary value it always has in this shape, or NOT_FOLDED. */
  readonly values: readonly unknown[];
  /** How many values an entry stores when its seq is stored too. */
  readonly stored: number;
  /** The seq's key index, and its place among the stored values. */
  readonly seqKey: number;
  readonly seqSlot: number;
}
const NOT_FOLDED = Symbol('not folded');

/** Shapes by index: a dozen wire kinds, shared by every log in the process. */
const shapes: Shape[] = [];
const shapeIndex = new Map<string, number>();

/** Shape indexes by wire kind, to match a payload without naming its shape. */
const shapesOfKind = new Map<string, number[]>();

function shapeOf(payload: OutboundAgentEvent): number {
  const fields = payload as unknown as Record<string, unknown>;
  const known = shapesOfKind.get(payload.type);
  if (known !== undefined) {
    for (const index of known) if (fits(shapes[index] as Shape, fields)) return index;
  }
  const index = nameShape(payload);
  if (known === undefined) shapesOfKind.set(payload.type, [index]);
  else if (!known.includes(index)) known.push(index);
  return index;
}

/** Whether the payload has exactly this shape's keys, in order, and its folded values. */
function fits(shape: Shape, fields: Record<string, unknown>): boolean {
  let n = 0;
  for (const key in fields) {
    if (shape.keys[n] !== key) return false;
    const value = fields[key];
    const want = shape.values[n];
    if (folded(key, value) ? want !== value : want !== NOT_FOLDED) return false;
    n++;
  }
  return n === shape.keys.length;
}

function nameShape(payload: OutboundAgentEvent): number {
  const fields = payload as unknown as Record<string, unknown>;
  const keys = Object.keys(payload);
  const values = keys.map((k) => (folded(k, fields[k]) ? fields[k] : NOT_FOLDED));
  // Keys are wire field names; a folded string is quoted, so no value reads as another.
  let name = '';
  keys.forEach((k, i) => {
    const v = values[i];
    name += `${k}\u0000${v === NOT_FOLDED ? '\u0001' : typeof v === 'string' ? JSON.stringify(v) : String(v)}\u0002`;
  });
  let index = shapeIndex.get(name);
  if (index === undefined) {
    index = shapes.length;
    if (keys.length >= OFFSET_BITS)
      throw new Error(`sent log: a payload with too many keys: ${name}`);
    const seqKey = keys.indexOf('seq');
    const isStored = (i: number) => values[i] === NOT_FOLDED;
    shapes.push({
      keys,
      values,
      stored: keys.filter((_, i) => isStored(i)).length,
      seqKey,
      seqSlot: keys.slice(0, seqKey).filter((_, i) => isStored(i)).length,
    });
    shapeIndex.set(name, index);
  }
  return index;
}

/** Offsets from the run start below this stay small integers (V8's 31-bit Smis). */
const SMALL = 2 ** 30;
/**
 * Header = shape × 2^20 + one bit per key stored as an offset (a wire payload has well
 * under 20 keys): a small integer while there are under 1,024 shapes, exact beyond.
 */
const OFFSET_BITS = 20;
/**
 * Set in the offset bits when the payload's seq is the one before it plus one (from 1):
 * the reducer numbers an agent's events one by one, so the seq is rarely stored at all.
 */
const SEQ_IMPLIED = 1 << (OFFSET_BITS - 1);

function asOffset(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) < SMALL)
    return false;
  return Math.abs(value - RUN_START) < SMALL;
}

/**
 * The log with `payload` appended; the payload's place in it is the old log's length.
 * `lastSeq` is the seq of the log's last payload (0 for an empty log): the caller keeps
 * it, since finding it in the log means walking every header before it.
 */
export function appendSent(log: SentLog, payload: OutboundAgentEvent, lastSeq: number): SentLog {
  const index = shapeOf(payload);
  const shape = shapes[index] as Shape;
  const fields = payload as unknown as Record<string, unknown>;
  const implied = payload.seq === lastSeq + 1;
  let offsets = implied ? SEQ_IMPLIED : 0;
  const entry: unknown[] = [0];
  shape.keys.forEach((key, i) => {
    if (shape.values[i] !== NOT_FOLDED || (key === 'seq' && implied)) return;
    const value = fields[key];
    // `| 0` keeps a small integer unboxed: one computed in floating point (a seq from a
    // Float64Array column, plus one) would otherwise sit in the log as a 16-byte box.
    if (asOffset(value)) {
      offsets |= 1 << i;
      entry.push(((value as number) - RUN_START) | 0);
    } else if (typeof value === 'number' && (value | 0) === value && !Object.is(value, -0))
      entry.push(value | 0);
    else entry.push(value);
  });
  const header = index * 2 ** OFFSET_BITS + offsets;
  entry[0] = header < SMALL ? header | 0 : header;
  return log.concat(entry);
}

/**
 * The payload logged at `at`, rebuilt: equal to the one appended, keys in the same order.
 * `seq` is its seq (the caller knows it from the append): an implied seq is not stored.
 */
export function sentAt(log: SentLog, at: number, seq: number): OutboundAgentEvent {
  return decode(log, at, seq - 1).payload;
}

/**
 * The payload at `at`; `last` is the seq of the one before it (0 for the first), which
 * only an implied seq reads.
 */
function decode(
  log: SentLog,
  at: number,
  last: number,
): { payload: OutboundAgentEvent; next: number } {
  const header = log[at] as number;
  const shape = shapes[Math.floor(header / 2 ** OFFSET_BITS)] as Shape;
  const offsets = header % 2 ** OFFSET_BITS;
  const payload: Record<string, unknown> = {};
  let next = at + 1;
  shape.keys.forEach((key, i) => {
    if (shape.values[i] !== NOT_FOLDED) {
      payload[key] = shape.values[i];
      return;
    }
    if (key === 'seq' && offsets & SEQ_IMPLIED) {
      payload[key] = last + 1;
      return;
    }
    const value = log[next++];
    payload[key] = offsets & (1 << i) ? RUN_START + (value as number) : value;
  });
  return { payload: payload as unknown as OutboundAgentEvent, next };
}

/** Every payload in emit order, rebuilt, with its place in the log (its identity). */
export function* sentEntries(
  log: SentLog,
): Generator<{ readonly at: number; readonly payload: OutboundAgentEvent }> {
  let last = 0;
  for (let at = 0; at < log.length; ) {
    const { payload, next } = decode(log, at, last);
    yield { at, payload };
    last = payload.seq;
    at = next;
  }
}
