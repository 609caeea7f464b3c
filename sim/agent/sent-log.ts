import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import { RUN_START } from '../world.ts';

/*
 * Everything an agent emitted for one rollout, kept for `replay_from` resends (spec
 * §3.11). A host keeps its log for the whole run, and a million of them as payload
 * objects (each with its own property store and a boxed number per timestamp) cost about
 * a kilobyte a host. So the log is one flat array per rollout: a header per payload (its
 * key list, and which of its numbers are stored as offsets from the run start, which fit
 * in a small integer), then its values in key order. Payloads are rebuilt, with the same
 * keys in the same order, only when they are resent.
 */

/** Key lists by index: a dozen wire kinds, shared by every log in the process. */
const shapes: (readonly string[])[] = [];
const shapeIndex = new Map<string, number>();

function shapeOf(payload: object): number {
  const keys = Object.keys(payload);
  const name = keys.join('\u0000');
  let index = shapeIndex.get(name);
  if (index === undefined) {
    index = shapes.length;
    shapes.push(keys);
    shapeIndex.set(name, index);
  }
  return index;
}

/** Offsets from the run start below this stay small integers (V8's 31-bit Smis). */
const SMALL = 2 ** 30;
/** Header = shape + (offset bits << SHAPE_BITS); a wire payload has well under 20 keys. */
const SHAPE_BITS = 8;

function asOffset(value: unknown): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) < SMALL)
    return false;
  return Math.abs(value - RUN_START) < SMALL;
}

/** Payload rebuilt from the log, with the place it was logged at (its identity). */
export interface Logged {
  readonly at: number;
  readonly payload: OutboundAgentEvent;
}

export class SentLog {
  /** Replaced, not grown: an array grown by push keeps slack that a million logs would pay for. */
  private values: readonly unknown[] = [];

  /** Log a payload; returns where it went, which names it for `entries`. */
  push(payload: OutboundAgentEvent): number {
    const shape = shapeOf(payload);
    const keys = shapes[shape] as readonly string[];
    const fields = payload as unknown as Record<string, unknown>;
    let offsets = 0;
    const at = this.values.length;
    const entry: unknown[] = [0];
    for (let i = 0; i < keys.length; i++) {
      const value = fields[keys[i] as string];
      if (asOffset(value)) {
        offsets |= 1 << i;
        entry.push((value as number) - RUN_START);
      } else entry.push(value);
    }
    entry[0] = shape + offsets * 2 ** SHAPE_BITS;
    this.values = this.values.concat(entry);
    return at;
  }

  /** Every payload in emit order, rebuilt: equal to the one pushed, keys in the same order. */
  *entries(): Generator<Logged> {
    const { values } = this;
    for (let at = 0; at < values.length; ) {
      const header = values[at] as number;
      const keys = shapes[header % 2 ** SHAPE_BITS] as readonly string[];
      const offsets = Math.floor(header / 2 ** SHAPE_BITS);
      const payload: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = values[at + 1 + i];
        payload[keys[i] as string] = offsets & (1 << i) ? RUN_START + (value as number) : value;
      }
      yield { at, payload: payload as unknown as OutboundAgentEvent };
      at += 1 + keys.length;
    }
  }
}
