import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import type { OutboundAgentEvent } from '../../machines/host/outbound.ts';
import { appendSent, EMPTY_LOG, sentAt, sentEntries } from '../../sim/agent/sent-log.ts';
import { RUN_START } from '../../sim/world.ts';

/*
 * The sent log keeps what an agent emitted for `replay_from` resends in a compact form;
 * what comes back out must be the very payloads that went in, keys in the same order,
 * whatever their seqs (implied or stored), timestamps (near the run start or not) and
 * folded vocabulary values.
 */

const timestamp = fc.oneof(
  fc.integer({ min: RUN_START - 3_600_000, max: RUN_START + 30 * 86_400_000 }),
  fc.integer({ min: 0, max: 2 ** 40 }),
  fc.constant(null),
);

/** A payload of one of a few wire shapes, with vocabulary, timestamp and list fields. */
const payloadWithoutSeq = fc.oneof(
  fc.record({
    type: fc.constant('ProbeResult'),
    probeName: fc.constantFrom('http', 'disk'),
    status: fc.constantFrom('pass', 'fail'),
    observedAt: timestamp,
    failureReason: fc.option(fc.string({ maxLength: 8 }), { nil: null }),
    subResults: fc.option(fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }), { nil: null }),
  }),
  fc.record({
    type: fc.constant('ActivationCompleted'),
    completedAt: timestamp,
    exitCode: fc.oneof(fc.integer({ min: -5, max: 255 }), fc.constant(-0), fc.double()),
  }),
  fc.record({ type: fc.constant('Converged'), convergedAt: timestamp }),
);

/** Payloads in emit order: seqs usually one up from the last, sometimes a jump. */
const payloads = fc
  .array(fc.tuple(payloadWithoutSeq, fc.nat({ max: 3 })), { maxLength: 30 })
  .map((items) => {
    let seq = 0;
    return items.map(([p, gap]) => {
      seq += gap === 0 ? 5 : 1;
      // seq goes where the machine puts it: after the event's own fields.
      return { ...p, seq } as unknown as OutboundAgentEvent;
    });
  });

describe('sent log', () => {
  test.prop([payloads])('gives back every payload appended, keys in order', (list) => {
    let log = EMPTY_LOG;
    const places: number[] = [];
    let lastSeq = 0;
    for (const p of list) {
      places.push(log.length);
      log = appendSent(log, p, lastSeq);
      lastSeq = p.seq;
    }
    list.forEach((p, i) => {
      const back = sentAt(log, places[i] as number, p.seq);
      expect(Object.keys(back)).toEqual(Object.keys(p));
      // toStrictEqual compares numbers with Object.is: a -0 or NaN exit code must come back.
      expect(back).toStrictEqual(p);
    });
    expect([...sentEntries(log)].map((e) => e.at)).toEqual(places);
    expect([...sentEntries(log)].map((e) => e.payload)).toStrictEqual(list);
  });

  test('stores an implied seq not at all and a jumped one in the entry', () => {
    const a = {
      type: 'Converged',
      convergedAt: RUN_START,
      seq: 1,
    } as unknown as OutboundAgentEvent;
    const b = {
      type: 'Converged',
      convergedAt: RUN_START,
      seq: 7,
    } as unknown as OutboundAgentEvent;
    const one = appendSent(EMPTY_LOG, a, 0);
    expect(one).toHaveLength(2);
    const two = appendSent(one, b, 1);
    expect(two).toHaveLength(5);
    expect(sentAt(two, 2, 7)).toStrictEqual(b);
  });
});
