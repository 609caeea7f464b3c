import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { LOG_LEVELS } from '../../machines/host/effect.ts';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import { WIRE_KINDS } from '../../machines/host/outbound.ts';
import type { HostStepResult } from '../../machines/host/step.ts';
import type { Int64 } from '../../machines/int64.ts';
import { ROLLOUT_EVENT_TYPES } from '../../machines/rollout/event.ts';
import type { RolloutStepResult } from '../../machines/rollout/step.ts';
import type { Timestamp } from '../../machines/time.ts';
import type { DecodeResult, JsonValue } from '../../src/codec/index.ts';
import * as C from '../../src/codec/index.ts';
import * as A from '../arbitraries/index.ts';

/** encode → JSON text → parse → decode gives the value back, and the encoding is plain JSON. */
function roundTrips<T>(
  arb: fc.Arbitrary<T>,
  encode: (value: T) => JsonValue,
  decode: (json: unknown) => DecodeResult<T>,
): void {
  fc.assert(
    fc.property(arb, (value) => {
      const wire = encode(value);
      const text = JSON.stringify(wire);
      expect(JSON.parse(text)).toStrictEqual(wire);
      expect(decode(JSON.parse(text))).toStrictEqual({ ok: true, value });
      // and encoding is a function of the value: re-encoding the decoded value is identical
      const again = decode(wire);
      expect(again.ok && JSON.stringify(encode(again.value))).toBe(text);
    }),
  );
}

describe('round trips (decode ∘ encode = id)', () => {
  it('RolloutRecord', () =>
    roundTrips(A.rolloutRecord, C.encodeRolloutRecord, C.decodeRolloutRecord));
  it('RolloutEvent', () => roundTrips(A.rolloutEvent, C.encodeRolloutEvent, C.decodeRolloutEvent));
  it('RolloutEffect', () =>
    roundTrips(A.rolloutEffect, C.encodeRolloutEffect, C.decodeRolloutEffect));
  it('RolloutTransitionError', () =>
    roundTrips(A.rolloutError, C.encodeRolloutTransitionError, C.decodeRolloutTransitionError));
  it('HostRecord', () => roundTrips(A.hostRecord, C.encodeHostRecord, C.decodeHostRecord));
  it('HostPolicy', () => roundTrips(A.hostPolicy, C.encodeHostPolicy, C.decodeHostPolicy));
  it('host Event', () => roundTrips(A.hostEvent, C.encodeHostEvent, C.decodeHostEvent));
  it('host Effect', () => roundTrips(A.hostEffect, C.encodeHostEffect, C.decodeHostEffect));
  it('host TransitionError', () =>
    roundTrips(A.hostError, C.encodeHostTransitionError, C.decodeHostTransitionError));
  it('OutboundAgentEvent', () =>
    roundTrips(A.outboundAgentEvent, C.encodeOutboundAgentEvent, C.decodeOutboundAgentEvent));
  it('ProbeRecord, ProbeSubResult, ProbeTopologyEntry', () => {
    const decoder = C.decoderFor;
    roundTrips(A.probeRecord, C.probeRecord.encode, decoder(C.probeRecord));
    roundTrips(A.probeSubResult, C.probeSubResult.encode, decoder(C.probeSubResult));
    roundTrips(A.probeTopologyEntry, C.probeTopologyEntry.encode, decoder(C.probeTopologyEntry));
  });
  it('timestamps', () => roundTrips(A.instant, C.encodeTimestamp, C.decodeTimestamp));
  it('rollout step input', () =>
    roundTrips(A.rolloutStepInput, C.encodeRolloutStepInput, C.decodeRolloutStepInput));
  it('host step input', () =>
    roundTrips(A.hostStepInput, C.encodeHostStepInput, C.decodeHostStepInput));
  it('either step input, told apart by its keys', () => {
    fc.assert(
      fc.property(A.rolloutStepInput, (input) => {
        const r = C.decodeStepInput(C.encodeRolloutStepInput(input));
        expect(r).toStrictEqual({ ok: true, value: { kind: 'rollout', ...input } });
      }),
    );
    fc.assert(
      fc.property(A.hostStepInput, (input) => {
        const r = C.decodeStepInput(C.encodeHostStepInput(input));
        expect(r).toStrictEqual({ ok: true, value: { kind: 'host', ...input } });
      }),
    );
  });
  it('rollout step output', () =>
    roundTrips(A.rolloutStepOutput, C.encodeRolloutStepOutput, C.decodeRolloutStepOutput));
  it('host step output', () =>
    roundTrips(A.hostStepOutput, C.encodeHostStepOutput, C.decodeHostStepOutput));
});

describe('the arbitraries cover every variant', () => {
  it('has one arbitrary per variant, in the domain lists', () => {
    expect(Object.keys(A.rolloutEventOf)).toStrictEqual([...ROLLOUT_EVENT_TYPES]);
    expect(Object.keys(A.hostEventOf)).toStrictEqual([...HOST_EVENT_TYPES]);
    expect(Object.keys(A.outboundOf).sort()).toStrictEqual([...WIRE_KINDS].sort());
    expect(Object.keys(A.rolloutEffectOf)).toStrictEqual([
      'RecordRolloutTransition',
      'UpdateCurrentWave',
      'InsertQuarantineFromRollout',
      'SchedulePruning',
    ]);
    expect(Object.keys(A.rolloutErrorOf)).toStrictEqual([
      'IllegalForState',
      'SupersessionExpected',
      'Invariant',
      'Unimplemented',
    ]);
    expect(Object.keys(A.hostEffectOf)).toHaveLength(11);
    expect(Object.keys(A.hostErrorOf)).toStrictEqual([
      'IllegalForState',
      'SeqRegression',
      'Invariant',
      'Unimplemented',
    ]);
  });

  it('generates every variant and every state', () => {
    const seen = <T>(arb: fc.Arbitrary<T>, key: (v: T) => string, n = 2000) =>
      new Set(fc.sample(arb, { numRuns: n, seed: 42 }).map(key));
    const type = (v: { type: string }) => v.type;
    expect(seen(A.rolloutEvent, type).size).toBe(8);
    expect(seen(A.rolloutEffect, type).size).toBe(4);
    expect(seen(A.rolloutError, type).size).toBe(4);
    expect(seen(A.hostEvent, type).size).toBe(24);
    expect(seen(A.hostEffect, type).size).toBe(11);
    expect(seen(A.hostError, type).size).toBe(4);
    expect(seen(A.outboundAgentEvent, type).size).toBe(12);
    expect(seen(A.hostRecord, (r) => r.state).size).toBe(7);
    expect(seen(A.rolloutRecord, (r) => r.state).size).toBe(8);
    expect(seen(A.logLevel, (l: (typeof LOG_LEVELS)[number]) => l).size).toBe(5);
  });
});

describe('step output types', () => {
  it('are the machines’ step result types', () => {
    expectTypeOf<C.RolloutStepOutput>().toEqualTypeOf<RolloutStepResult<Timestamp, Int64>>();
    expectTypeOf<C.HostStepOutput>().toEqualTypeOf<HostStepResult<Timestamp, Int64>>();
  });
});
