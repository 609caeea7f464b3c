import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DecodeResult, JsonValue } from '../../src/codec/index.ts';
import * as C from '../../src/codec/index.ts';
import * as A from '../arbitraries/index.ts';

/*
 * Bad input: the exact one-line message (path: what was expected, what was got), and no
 * decoder ever throws.
 */

function rejects(decode: (json: unknown) => DecodeResult<unknown>, input: unknown): string {
  const r = decode(input);
  expect(r.ok).toBe(false);
  return r.ok ? '' : C.formatDecodeError(r.error);
}

const AT = '2026-05-16T01:00:00Z';
const hostJoined = (fields: Record<string, unknown>) => ({
  HostJoined: { rollout_id: 'stable@a1', host_id: 'web-01', wave: 0, at: AT, ...fields },
});
const record = {
  rollout_id: 'stable@a1',
  channel: 'stable',
  target_ref: 'a1',
  state: 'Active',
  current_wave: 0,
  opened_event_log_seq: null,
  last_transition_event_log_seq: null,
  opened_at: AT,
  terminal_at: null,
  superseded_at: null,
};
const rolloutInput = (event: unknown, rec: unknown = record) => ({ record: rec, event });
const ROLLOUT_EVENTS =
  'RolloutOpened, HostJoined, HostStateChanged, WaveAdvanced, RolloutTerminal, SuccessorOpened, RetentionExpired, OperatorClearance';

describe('not an object', () => {
  it.each([
    [5, 'expected a RolloutEvent (an object with one variant key), got 5'],
    [null, 'expected a RolloutEvent (an object with one variant key), got null'],
    [[], 'expected a RolloutEvent (an object with one variant key), got an empty array'],
    ['HostJoined', 'expected a RolloutEvent (an object with one variant key), got "HostJoined"'],
  ])('event %j', (input, message) => {
    expect(rejects(C.decodeRolloutEvent, input)).toBe(message);
  });

  it('records and inputs', () => {
    expect(rejects(C.decodeRolloutRecord, [1, 2])).toBe('expected an object, got an array');
    expect(rejects(C.decodeHostStepInput, true)).toBe('expected an object, got true');
    expect(rejects(C.decodeRolloutStepInput, rolloutInput(hostJoined({}), 'x'))).toBe(
      'record: expected an object, got "x"',
    );
    expect(rejects(C.decodeHostEvent, { RemoteConverged: 7 })).toBe(
      'RemoteConverged: expected an object, got 7',
    );
    expect(rejects(C.decodeRolloutEvent, undefined)).toBe('expected a JSON value, got nothing');
  });
});

describe('variant tags', () => {
  it('unknown variant, listing the known ones', () => {
    expect(rejects(C.decodeRolloutEvent, { HostJoind: {} })).toBe(
      `unknown variant "HostJoind", expected one of ${ROLLOUT_EVENTS}`,
    );
    expect(rejects(C.decodeRolloutStepInput, rolloutInput({ hostJoined: {} }))).toBe(
      `event: unknown variant "hostJoined", expected one of ${ROLLOUT_EVENTS}`,
    );
    expect(rejects(C.decodeOutboundAgentEvent, { Ack: {} })).toBe(
      'unknown variant "Ack", expected one of DispatchAck, ActivationStarted, ActivationCompleted, ActivationFailed, ActivationDeferred, ProbeTopologyDeclared, ProbeObservedFirst, ProbeResult, ProbeFailureFirst, Failed, RollbackComplete, Converged',
    );
    // a host event name is not a rollout event, and the internal `type` form is not the wire form
    expect(rejects(C.decodeRolloutEvent, { type: 'HostJoined' })).toBe(
      `unknown variant "type", expected one of ${ROLLOUT_EVENTS}`,
    );
  });

  it('exactly one key', () => {
    expect(
      rejects(C.decodeRolloutStepInput, rolloutInput({ ...hostJoined({}), WaveAdvanced: {} })),
    ).toBe(
      'event: expected exactly one RolloutEvent variant key, got 2 keys ("HostJoined", "WaveAdvanced")',
    );
    expect(rejects(C.decodeRolloutEvent, {})).toBe(
      'expected exactly one RolloutEvent variant key, got an empty object',
    );
    expect(rejects(C.decodeHostTransitionError, { A: 1, B: 2, C: 3, D: 4, E: 5, F: 6 })).toBe(
      'expected exactly one host TransitionError variant key, got 6 keys ("A", "B", "C", "D", "E", …)',
    );
  });

  it('newtype payloads', () => {
    expect(rejects(C.decodeHostTransitionError, { Invariant: { message: 'x' } })).toBe(
      'Invariant: expected a string, got an object',
    );
    expect(rejects(C.decodeRolloutTransitionError, { Invariant: null })).toBe(
      'Invariant: expected a string, got null',
    );
  });
});

describe('wrong types, missing fields, bad enums', () => {
  it('wrong type', () => {
    expect(rejects(C.decodeRolloutStepInput, rolloutInput(hostJoined({ host_id: 7 })))).toBe(
      'event.HostJoined.host_id: expected a string, got 7',
    );
    expect(
      rejects(
        C.decodeRolloutStepInput,
        rolloutInput(hostJoined({}), { ...record, current_wave: '0' }),
      ),
    ).toBe('record.current_wave: expected an integer 0..4294967295, got "0"');
    expect(rejects(C.decodeRolloutRecord, { ...record, terminal_at: 1778893200000 })).toBe(
      'terminal_at: expected an RFC 3339 timestamp or null, got 1778893200000',
    );
    expect(
      rejects(C.decodeHostEffect, {
        LocalEmitEvent: { rollout_id: 'r', payload: { Converged: {} }, durable: 'yes' },
      }),
    ).toBe('LocalEmitEvent.payload.Converged.converged_at: missing field');
    expect(
      rejects(C.decodeHostEffect, {
        EmitMetric: { name: 'm', labels: [['a', 'b', 'c']], value: 1 },
      }),
    ).toBe('EmitMetric.labels[0]: expected a [string, string] pair, got an array');
    expect(
      rejects(C.decodeHostEffect, { EmitMetric: { name: 'm', labels: [['a', 1]], value: 1 } }),
    ).toBe('EmitMetric.labels[0][1]: expected a string, got 1');
    expect(rejects(C.decodeHostEffect, { EmitMetric: { name: 'm', labels: {}, value: 1 } })).toBe(
      'EmitMetric.labels: expected an array, got an empty object',
    );
    expect(
      rejects(C.decodeHostEvent, {
        LocalProbeResult: {
          probe_name: 'p',
          mode: 'enforce',
          status: 'pass',
          observed_at: AT,
          failure_reason: null,
          sub_results: 'none',
          seq: 1,
        },
      }),
    ).toBe('LocalProbeResult.sub_results: expected an array or null, got "none"');
    expect(rejects(C.decodeRolloutStepOutput, { ok: 1 })).toBe('ok: expected a boolean, got 1');
    expect(
      rejects(C.decodeHostEffect, {
        LocalEmitEvent: {
          rollout_id: 'r',
          payload: { Converged: { converged_at: AT, current_closure: 'c', seq: 1 } },
          durable: 'yes',
        },
      }),
    ).toBe('LocalEmitEvent.durable: expected a boolean, got "yes"');
  });

  it('wrong types deep in a host record, with odd probe names quoted', () => {
    const host = JSON.parse(hostTemplate);
    const probe = {
      status: 'pass',
      mode: 'enforce',
      last_observed_at: AT,
      last_pass_at: null,
      failure_reason: null,
    };
    const input = (probes: unknown) => ({
      host: { ...host, probes },
      event: { RemoteConverged: { converged_at: AT, current_closure: 't', seq: 13 } },
      policy: { on_health_failure: 'halt' },
    });
    expect(rejects(C.decodeHostStepInput, input({ nginx: { ...probe, status: 'ok' } }))).toBe(
      'host.probes.nginx.status: expected one of "pass", "fail", got "ok"',
    );
    expect(
      rejects(C.decodeHostStepInput, input({ 'disk usage': { ...probe, mode: 'audit' } })),
    ).toBe(
      'host.probes["disk usage"].mode: expected one of "enforce", "observe", "disabled", got "audit"',
    );
    expect(rejects(C.decodeHostStepInput, input([probe]))).toBe(
      'host.probes: expected an object keyed by probe name, got an array',
    );
    expect(
      rejects(C.decodeHostStepInput, { ...input({}), policy: { on_health_failure: 'rollback' } }),
    ).toBe('policy.on_health_failure: expected one of "halt", "rollback-and-halt", got "rollback"');
    expect(rejects(C.decodeHostStepInput, { ...input({}), policy: undefined })).toBe(
      'policy: missing field',
    );
  });

  it('missing fields; a missing Option reads as None, as with serde', () => {
    const { at: _at, ...noAt } = hostJoined({}).HostJoined;
    expect(rejects(C.decodeRolloutStepInput, rolloutInput({ HostJoined: noAt }))).toBe(
      'event.HostJoined.at: missing field',
    );
    const { terminal_at: _t, ...noTerminal } = record;
    const decoded = C.decodeRolloutRecord(noTerminal);
    expect(decoded.ok && decoded.value.terminalAt).toBe(null);
    const { opened_at: _o, ...noOpened } = record;
    expect(rejects(C.decodeRolloutRecord, noOpened)).toBe('opened_at: missing field');
    expect(rejects(C.decodeRolloutStepInput, { record })).toBe('event: missing field');
    expect(rejects(C.decodeRolloutStepOutput, { effects: [] })).toBe('ok: missing field');
    expect(rejects(C.decodeRolloutStepOutput, { ok: true, record })).toBe('effects: missing field');
    expect(rejects(C.decodeHostStepOutput, { ok: false })).toBe('error: missing field');
  });

  it('bad enum strings', () => {
    expect(rejects(C.decodeRolloutRecord, { ...record, state: 'Open' })).toBe(
      'state: expected one of "Opening", "Active", "Converging", "Terminal", "Reverted", "Failed", "Superseded", "Pruned", got "Open"',
    );
    expect(
      rejects(C.decodeRolloutEvent, {
        HostStateChanged: { rollout_id: 'r', host_id: 'h', from: 'Pending', to: 'pending', at: AT },
      }),
    ).toBe(
      'HostStateChanged.to: expected one of "Pending", "Activating", "Deferred", "Soaking", "Converged", "Failed", "Reverted", got "pending"',
    );
    expect(
      rejects(C.decodeRolloutTransitionError, {
        IllegalForState: { from: 'Active', event: 'LocalActivate', rollout_id: 'r' },
      }),
    ).toBe(
      `IllegalForState.event: expected one of ${ROLLOUT_EVENTS.split(', ')
        .map((t) => `"${t}"`)
        .join(', ')}, got "LocalActivate"`,
    );
    expect(
      rejects(C.decodeHostEffect, {
        EmitLog: { level: 'info', target: 't', message: 'm', fields: [] },
      }),
    ).toBe('EmitLog.level: expected one of "Trace", "Debug", "Info", "Warn", "Error", got "info"');
  });
});

describe('integers', () => {
  it.each([
    [-1, 'expected an integer 0..4294967295, got -1'],
    [1.5, 'expected an integer 0..4294967295, got 1.5'],
    [4294967296, 'expected an integer 0..4294967295, got 4294967296'],
    [JSON.parse('1e400') as number, 'expected an integer 0..4294967295, got Infinity'],
    [null, 'expected an integer 0..4294967295, got null'],
  ])('wave %s', (wave, message) => {
    expect(rejects(C.decodeRolloutStepInput, rolloutInput(hostJoined({ wave })))).toBe(
      `event.HostJoined.wave: ${message}`,
    );
  });

  it('accepts the u32 bounds', () => {
    for (const wave of [0, 4294967295]) {
      expect(C.decodeRolloutEvent(hostJoined({ wave })).ok).toBe(true);
    }
  });

  it('64-bit fields take their whole range, past 2^53 only as the bigints readJson keeps', () => {
    const seq = (n: number | bigint) => ({
      RemoteConverged: { converged_at: AT, current_closure: 'c', seq: n },
    });
    expect(C.decodeHostEvent(seq(Number.MAX_SAFE_INTEGER)).ok).toBe(true);
    expect(C.decodeHostEvent(seq(2n ** 64n - 1n)).ok).toBe(true);
    // A double past 2^53 may already be rounded (JSON.parse gives one), so it is refused.
    expect(rejects(C.decodeHostEvent, seq(2 ** 53))).toBe(
      'RemoteConverged.seq: expected an integer 0..18446744073709551615, got 9007199254740992',
    );
    expect(rejects(C.decodeHostEvent, seq(2n ** 64n))).toBe(
      'RemoteConverged.seq: expected an integer 0..18446744073709551615, got 18446744073709551616',
    );
    // A bigint inside the safe range would give one value two forms: refused.
    expect(C.decodeHostEvent(seq(5n)).ok).toBe(false);
    expect(C.decodeRolloutRecord({ ...record, opened_event_log_seq: -(2n ** 63n) }).ok).toBe(true);
    expect(
      rejects(C.decodeRolloutRecord, { ...record, opened_event_log_seq: -(2n ** 63n) - 1n }),
    ).toBe(
      'opened_event_log_seq: expected an integer -9223372036854775808..9223372036854775807 or null, got -9223372036854775809',
    );
    expect(
      rejects(C.decodeHostEvent, {
        RemoteActivationFailed: { exit_code: 2 ** 31, stderr_tail: '', failed_at: AT, seq: 1 },
      }),
    ).toBe(
      'RemoteActivationFailed.exit_code: expected an integer -2147483648..2147483647, got 2147483648',
    );
  });
});

describe('timestamps', () => {
  it.each([
    '2026-13-01',
    '2026-05-16',
    '2026-13-01T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2023-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-05-16T24:00:00Z',
    '2026-05-16T01:60:00Z',
    '2026-05-16T01:00:61Z',
    '2026-05-16T01:00:00',
    '2026-05-16T01:00Z',
    '2026-05-16T01:00:00.Z',
    '2026-05-16T01:00:00+24:00',
    '2026-05-16T01:00:00+02',
    '2026-05-16_01:00:00Z',
    '26-05-16T01:00:00Z',
    ' 2026-05-16T01:00:00Z',
    '2026-05-16T01:00:00Z ',
    '2026-5-16T01:00:00Z',
    '２０２６-05-16T01:00:00Z',
    '',
  ])('rejects %j', (text) => {
    expect(rejects(C.decodeRolloutStepInput, rolloutInput(hostJoined({ at: text })))).toBe(
      `event.HostJoined.at: expected an RFC 3339 timestamp, got ${JSON.stringify(text)}`,
    );
  });

  it('rejects non-strings', () => {
    expect(rejects(C.decodeTimestamp, 1778893200000)).toBe(
      'expected an RFC 3339 timestamp, got 1778893200000',
    );
    expect(rejects(C.decodeTimestamp, { secs: 1 })).toBe(
      'expected an RFC 3339 timestamp, got an object',
    );
    expect(rejects(C.decodeTimestamp, 'x'.repeat(100))).toBe(
      `expected an RFC 3339 timestamp, got "${'x'.repeat(58)}…"`,
    );
  });
});

describe('step input shape', () => {
  it('neither shape', () => {
    const message =
      'expected a rollout step input {"record", "event"} or a host step input {"host", "event", "policy"}';
    expect(rejects(C.decodeStepInput, { event: {} })).toBe(
      `${message}, got an object with neither "record" nor "host"`,
    );
    expect(rejects(C.decodeStepInput, 'hello')).toBe(`${message}, got "hello"`);
  });

  it('a host-looking input is decoded (and reported) as a host input', () => {
    expect(rejects(C.decodeStepInput, { record, policy: {} })).toBe('host: missing field');
    expect(rejects(C.decodeStepInput, rolloutInput({ HostJoind: {} }))).toBe(
      `event: unknown variant "HostJoind", expected one of ${ROLLOUT_EVENTS}`,
    );
  });
});

describe('decoders never throw', () => {
  const decoders: [string, (json: unknown) => DecodeResult<unknown>][] = [
    ['RolloutRecord', C.decodeRolloutRecord],
    ['RolloutEvent', C.decodeRolloutEvent],
    ['RolloutEffect', C.decodeRolloutEffect],
    ['RolloutTransitionError', C.decodeRolloutTransitionError],
    ['HostRecord', C.decodeHostRecord],
    ['HostEvent', C.decodeHostEvent],
    ['HostEffect', C.decodeHostEffect],
    ['HostTransitionError', C.decodeHostTransitionError],
    ['OutboundAgentEvent', C.decodeOutboundAgentEvent],
    ['RolloutStepInput', C.decodeRolloutStepInput],
    ['HostStepInput', C.decodeHostStepInput],
    ['StepInput', C.decodeStepInput],
    ['RolloutStepOutput', C.decodeRolloutStepOutput],
    ['HostStepOutput', C.decodeHostStepOutput],
    ['Timestamp', C.decodeTimestamp],
  ];

  /** A well-formed result: ok, or one line naming a path and a real message. */
  function wellFormed(r: DecodeResult<unknown>): void {
    if (r.ok) return;
    expect(typeof r.error.path).toBe('string');
    expect(r.error.message).not.toBe('');
    expect(r.error.message).not.toMatch(/internal decoder error|Invalid input/);
    expect(C.formatDecodeError(r.error)).not.toContain('\n');
  }

  it.each(decoders)('%s on any JSON value', (_name, decode) => {
    fc.assert(fc.property(fc.jsonValue(), (json) => wellFormed(decode(json))));
  });

  /** Replaces one node (chosen by `pick`) of a JSON tree with `replacement`. */
  function mutate(json: JsonValue, pick: number, replacement: JsonValue): JsonValue {
    const nodes: { parent: Record<string, JsonValue> | JsonValue[]; key: string | number }[] = [];
    const walk = (node: JsonValue) => {
      if (Array.isArray(node)) {
        node.forEach((child, i) => {
          nodes.push({ parent: node as JsonValue[], key: i });
          walk(child);
        });
      } else if (node !== null && typeof node === 'object') {
        for (const [k, child] of Object.entries(node)) {
          nodes.push({ parent: node as Record<string, JsonValue>, key: k });
          walk(child);
        }
      }
    };
    const copy = JSON.parse(JSON.stringify(json)) as JsonValue;
    walk(copy);
    if (nodes.length === 0) return replacement;
    const chosen = nodes[pick % nodes.length];
    if (chosen === undefined) return copy;
    (chosen.parent as Record<string | number, JsonValue>)[chosen.key] = replacement;
    return copy;
  }

  it.each([
    ['host step input', A.hostStepInput, C.encodeHostStepInput, C.decodeHostStepInput],
    ['rollout step input', A.rolloutStepInput, C.encodeRolloutStepInput, C.decodeRolloutStepInput],
    ['host step output', A.hostStepOutput, C.encodeHostStepOutput, C.decodeHostStepOutput],
  ] as const)('%s with one node replaced by any JSON value', (_name, arb, encode, decode) => {
    fc.assert(
      fc.property(
        arb as fc.Arbitrary<never>,
        fc.nat(),
        fc.jsonValue({ maxDepth: 2 }),
        (value, pick, replacement) => {
          const r = (decode as (j: unknown) => DecodeResult<unknown>)(
            mutate((encode as (v: never) => JsonValue)(value), pick, replacement as JsonValue),
          );
          wellFormed(r);
        },
      ),
    );
  });
});

const hostTemplate =
  '{"rollout_id":"r","hostname":"h","channel":"c","state":"Deferred","target_closure":"t",' +
  '"current_closure_at_dispatch":null,"current_closure":null,"reverted_to":null,' +
  '"dispatched_at":"2026-05-16T01:00:00Z","dispatch_acked_at":null,"activation_started_at":null,' +
  '"activation_completed_at":null,"activation_failed_at":null,"probe_observed_first_at":null,' +
  '"probe_failure_first_at":null,"soak_due_at":null,"converged_at":null,"failed_at":null,' +
  '"policy_applied":"halt","reverted_at":null,"probes":{},"last_event_seq":12}';
