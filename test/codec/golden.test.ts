import { describe, expect, it } from 'vitest';
import type { HostEffect } from '../../machines/host/effect.ts';
import type { HostRecord } from '../../machines/host/state.ts';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import type { DecodeResult, JsonValue } from '../../src/codec/index.ts';
import * as C from '../../src/codec/index.ts';

/*
 * Exact wire JSON, byte for byte (key order included), in both directions.
 */

const T = (iso: string) => Date.parse(iso);
const AT = T('2026-05-16T01:00:00Z');

function golden<V>(
  wire: string,
  value: V,
  encode: (v: V) => JsonValue,
  decode: (json: unknown) => DecodeResult<V>,
): void {
  expect(JSON.stringify(encode(value))).toBe(wire);
  expect(decode(JSON.parse(wire))).toStrictEqual({ ok: true, value });
}

describe('DESIGN §3 examples, verbatim', () => {
  it('HostJoined', () => {
    const event: RolloutEvent = {
      type: 'HostJoined',
      rolloutId: 'stable@a1',
      hostId: 'web-01',
      wave: 0,
      at: AT,
    };
    golden(
      '{"HostJoined":{"rollout_id":"stable@a1","host_id":"web-01","wave":0,"at":"2026-05-16T01:00:00Z"}}',
      event,
      C.encodeRolloutEvent,
      C.decodeRolloutEvent,
    );
  });

  it('RecordRolloutTransition', () => {
    const effect: RolloutEffect = {
      type: 'RecordRolloutTransition',
      rolloutId: 'r1',
      from: 'Opening',
      to: 'Active',
      at: AT,
    };
    golden(
      '{"RecordRolloutTransition":{"rollout_id":"r1","from":"Opening","to":"Active","at":"2026-05-16T01:00:00Z"}}',
      effect,
      C.encodeRolloutEffect,
      C.decodeRolloutEffect,
    );
  });

  it('IllegalForState', () => {
    const error: RolloutTransitionError = {
      type: 'IllegalForState',
      from: 'Active',
      event: 'RolloutOpened',
      rolloutId: 'r1',
    };
    golden(
      '{"IllegalForState":{"from":"Active","event":"RolloutOpened","rollout_id":"r1"}}',
      error,
      C.encodeRolloutTransitionError,
      C.decodeRolloutTransitionError,
    );
  });
});

describe('newtype variants', () => {
  it('a host Invariant error is a bare string', () => {
    golden(
      '{"Invariant":"Converged event: current_closure != target_closure"}',
      { type: 'Invariant', message: 'Converged event: current_closure != target_closure' },
      C.encodeHostTransitionError,
      C.decodeHostTransitionError,
    );
  });

  it('a rollout Invariant error is a bare string', () => {
    golden(
      '{"Invariant":"hosts not converged"}',
      { type: 'Invariant', message: 'hosts not converged' },
      C.encodeRolloutTransitionError,
      C.decodeRolloutTransitionError,
    );
  });
});

describe('host wire forms', () => {
  it('LocalEmitEvent carrying an externally tagged DispatchAck', () => {
    const effect: HostEffect = {
      type: 'LocalEmitEvent',
      rolloutId: 'stable@a1',
      payload: {
        type: 'DispatchAck',
        currentClosureAtDispatch: '/nix/store/prior',
        receivedAt: T('2026-05-16T01:00:00.250Z'),
        seq: 1,
      },
      durable: true,
    };
    golden(
      '{"LocalEmitEvent":{"rollout_id":"stable@a1","payload":{"DispatchAck":{"current_closure_at_dispatch":"/nix/store/prior","received_at":"2026-05-16T01:00:00.250Z","seq":1}},"durable":true}}',
      effect,
      C.encodeHostEffect,
      C.decodeHostEffect,
    );
  });

  it('a host record, probes as a map keyed by name and written in sorted order', () => {
    const record: HostRecord = {
      rolloutId: 'stable@a1',
      hostname: 'web-01',
      channel: 'stable',
      state: 'Soaking',
      targetClosure: 'target',
      currentClosureAtDispatch: 'prior',
      currentClosure: 'target',
      revertedTo: null,
      dispatchedAt: AT,
      dispatchAckedAt: T('2026-05-16T01:00:01Z'),
      activationStartedAt: T('2026-05-16T01:00:02Z'),
      activationCompletedAt: T('2026-05-16T01:00:03.500Z'),
      activationFailedAt: null,
      probeObservedFirstAt: T('2026-05-16T01:00:04Z'),
      probeFailureFirstAt: null,
      soakDueAt: T('2026-05-16T01:05:00Z'),
      convergedAt: null,
      failedAt: null,
      policyApplied: null,
      revertedAt: null,
      // inserted out of order on purpose
      probes: {
        nginx: {
          status: 'pass',
          mode: 'enforce',
          lastObservedAt: T('2026-05-16T01:00:04Z'),
          lastPassAt: T('2026-05-16T01:00:04Z'),
          failureReason: null,
        },
        disk: {
          status: 'fail',
          mode: 'observe',
          lastObservedAt: T('2026-05-16T01:00:05Z'),
          lastPassAt: null,
          failureReason: 'disk 97% full',
        },
      },
      lastEventSeq: 4,
    };
    golden(
      '{"rollout_id":"stable@a1","hostname":"web-01","channel":"stable","state":"Soaking",' +
        '"target_closure":"target","current_closure_at_dispatch":"prior","current_closure":"target",' +
        '"reverted_to":null,"dispatched_at":"2026-05-16T01:00:00Z",' +
        '"dispatch_acked_at":"2026-05-16T01:00:01Z","activation_started_at":"2026-05-16T01:00:02Z",' +
        '"activation_completed_at":"2026-05-16T01:00:03.500Z","activation_failed_at":null,' +
        '"probe_observed_first_at":"2026-05-16T01:00:04Z","probe_failure_first_at":null,' +
        '"soak_due_at":"2026-05-16T01:05:00Z","converged_at":null,"failed_at":null,' +
        '"policy_applied":null,"reverted_at":null,"probes":{' +
        '"disk":{"status":"fail","mode":"observe","last_observed_at":"2026-05-16T01:00:05Z","last_pass_at":null,"failure_reason":"disk 97% full"},' +
        '"nginx":{"status":"pass","mode":"enforce","last_observed_at":"2026-05-16T01:00:04Z","last_pass_at":"2026-05-16T01:00:04Z","failure_reason":null}},' +
        '"last_event_seq":4}',
      record,
      C.encodeHostRecord,
      C.decodeHostRecord,
    );
  });

  it('a probe result with sub-results, nested through RemoteAppendEventLog', () => {
    const effect: HostEffect = {
      type: 'RemoteAppendEventLog',
      host: 'web-01',
      rolloutId: 'stable@a1',
      payload: {
        type: 'ProbeResult',
        probeName: 'cis',
        mode: 'enforce',
        status: 'fail',
        observedAt: AT,
        failureReason: '1 control failed',
        subResults: [
          {
            controlId: '5.2.1',
            status: 'fail',
            framework: 'cis',
            article: null,
            effectiveMode: 'observe',
            overrideReason: 'waived',
          },
        ],
        seq: 9,
      },
    };
    golden(
      '{"RemoteAppendEventLog":{"host":"web-01","rollout_id":"stable@a1","payload":{"ProbeResult":' +
        '{"probe_name":"cis","mode":"enforce","status":"fail","observed_at":"2026-05-16T01:00:00Z",' +
        '"failure_reason":"1 control failed","sub_results":[{"control_id":"5.2.1","status":"fail",' +
        '"framework":"cis","article":null,"effective_mode":"observe","override_reason":"waived"}],' +
        '"seq":9}}}}',
      effect,
      C.encodeHostEffect,
      C.decodeHostEffect,
    );
  });

  it('EmitMetric labels and EmitLog fields are arrays of pairs', () => {
    golden(
      '{"EmitMetric":{"name":"transitions","labels":[["from","Pending"],["to","Activating"]],"value":1.5}}',
      {
        type: 'EmitMetric',
        name: 'transitions',
        labels: [
          ['from', 'Pending'],
          ['to', 'Activating'],
        ],
        value: 1.5,
      },
      C.encodeHostEffect,
      C.decodeHostEffect,
    );
    golden(
      '{"EmitLog":{"level":"Warn","target":"sm","message":"late","fields":[["seq","3"]]}}',
      { type: 'EmitLog', level: 'Warn', target: 'sm', message: 'late', fields: [['seq', '3']] },
      C.encodeHostEffect,
      C.decodeHostEffect,
    );
  });

  it('LocalActivate carries target and soak besides the DispatchAck fields', () => {
    golden(
      '{"LocalActivate":{"current_closure_at_dispatch":"prior","target_closure":"target",' +
        '"received_at":"2026-05-16T01:00:00Z","soak_due_at":"2026-05-16T01:05:00Z","seq":1}}',
      {
        type: 'LocalActivate',
        currentClosureAtDispatch: 'prior',
        targetClosure: 'target',
        receivedAt: AT,
        soakDueAt: T('2026-05-16T01:05:00Z'),
        seq: 1,
      },
      C.encodeHostEvent,
      C.decodeHostEvent,
    );
  });
});

describe('records and the step contract', () => {
  const opening: RolloutRecord = {
    rolloutId: 'stable@a1',
    channel: 'stable',
    targetRef: 'a1',
    state: 'Opening',
    currentWave: 0,
    openedEventLogSeq: null,
    lastTransitionEventLogSeq: null,
    openedAt: AT,
    terminalAt: null,
    supersededAt: null,
  };
  const openingWire =
    '{"rollout_id":"stable@a1","channel":"stable","target_ref":"a1","state":"Opening",' +
    '"current_wave":0,"opened_event_log_seq":null,"last_transition_event_log_seq":null,' +
    '"opened_at":"2026-05-16T01:00:00Z","terminal_at":null,"superseded_at":null}';

  it('RolloutRecord', () => {
    golden(openingWire, opening, C.encodeRolloutRecord, C.decodeRolloutRecord);
  });

  it('rollout step input and both outputs', () => {
    const event: RolloutEvent = { type: 'RolloutTerminal', rolloutId: 'stable@a1', at: AT };
    golden(
      `{"record":${openingWire},"event":{"RolloutTerminal":{"rollout_id":"stable@a1","at":"2026-05-16T01:00:00Z"}}}`,
      { record: opening, event },
      C.encodeRolloutStepInput,
      C.decodeRolloutStepInput,
    );
    golden(
      `{"ok":true,"record":${openingWire},"effects":[{"UpdateCurrentWave":{"rollout_id":"stable@a1","wave":2}}]}`,
      {
        ok: true,
        record: opening,
        effects: [{ type: 'UpdateCurrentWave', rolloutId: 'stable@a1', wave: 2 }],
      },
      C.encodeRolloutStepOutput,
      C.decodeRolloutStepOutput,
    );
    golden(
      '{"ok":false,"error":{"Unimplemented":{"from":"Failed","event":"OperatorClearance"}}}',
      { ok: false, error: { type: 'Unimplemented', from: 'Failed', event: 'OperatorClearance' } },
      C.encodeRolloutStepOutput,
      C.decodeRolloutStepOutput,
    );
  });

  it('host step input (with the policy) and both outputs, the record under "host"', () => {
    const host = {
      rolloutId: 'stable@a1',
      hostname: 'self',
      channel: 'stable',
      state: 'Pending',
      targetClosure: 'target',
      currentClosureAtDispatch: null,
      currentClosure: null,
      revertedTo: null,
      dispatchedAt: AT,
      dispatchAckedAt: null,
      activationStartedAt: null,
      activationCompletedAt: null,
      activationFailedAt: null,
      probeObservedFirstAt: null,
      probeFailureFirstAt: null,
      soakDueAt: T('2026-05-16T01:05:00Z'),
      convergedAt: null,
      failedAt: null,
      policyApplied: null,
      revertedAt: null,
      probes: {},
      lastEventSeq: 0,
    } as const satisfies HostRecord;
    const hostWire = JSON.stringify(C.encodeHostRecord(host));
    expect(hostWire).toContain('"probes":{},"last_event_seq":0}');
    golden(
      `{"host":${hostWire},"event":{"RemoteConverged":{"converged_at":"2026-05-16T01:06:00Z","current_closure":"target","seq":7}},"policy":{"on_health_failure":"rollback-and-halt"}}`,
      {
        host,
        event: {
          type: 'RemoteConverged',
          convergedAt: T('2026-05-16T01:06:00Z'),
          currentClosure: 'target',
          seq: 7,
        },
        policy: { onHealthFailure: 'rollback-and-halt' },
      },
      C.encodeHostStepInput,
      C.decodeHostStepInput,
    );
    golden(
      `{"ok":true,"host":${hostWire},"effects":[]}`,
      { ok: true, record: host, effects: [] },
      C.encodeHostStepOutput,
      C.decodeHostStepOutput,
    );
    golden(
      '{"ok":false,"error":{"SeqRegression":{"got":3,"last":5,"rollout_id":"stable@a1","hostname":"self"}}}',
      {
        ok: false,
        error: { type: 'SeqRegression', got: 3, last: 5, rolloutId: 'stable@a1', hostname: 'self' },
      },
      C.encodeHostStepOutput,
      C.decodeHostStepOutput,
    );
  });

  it('InvalidInput answer', () => {
    expect(JSON.stringify(C.encodeInvalidInput(3, 'event: missing field'))).toBe(
      '{"ok":false,"error":{"InvalidInput":{"line":3,"message":"event: missing field"}}}',
    );
  });
});

describe('serde defaults and leniencies', () => {
  it('ProbeRecord.mode and ProbeSubResult.effective_mode default to enforce when missing', () => {
    const probe = C.decoderFor(C.probeRecord)({
      status: 'pass',
      last_observed_at: '2026-05-16T01:00:00Z',
      last_pass_at: null,
      failure_reason: null,
    });
    expect(probe).toStrictEqual({
      ok: true,
      value: {
        status: 'pass',
        mode: 'enforce',
        lastObservedAt: AT,
        lastPassAt: null,
        failureReason: null,
      },
    });
    const sub = C.decoderFor(C.probeSubResult)({
      control_id: 'c',
      status: 'fail',
      framework: 'f',
      article: null,
      override_reason: null,
    });
    expect(sub.ok && sub.value.effectiveMode).toBe('enforce');
  });

  it('unknown extra fields are ignored, at every level', () => {
    const r = C.decodeRolloutEvent({
      HostJoined: {
        rollout_id: 'stable@a1',
        host_id: 'web-01',
        wave: 0,
        at: '2026-05-16T01:00:00Z',
        note: 'ignored',
      },
    });
    expect(r).toStrictEqual({
      ok: true,
      value: { type: 'HostJoined', rolloutId: 'stable@a1', hostId: 'web-01', wave: 0, at: AT },
    });
    const input = C.decodeStepInput({
      record: JSON.parse(openingWireForLenience),
      event: { RolloutTerminal: { rollout_id: 'x', at: '2026-05-16T01:00:00Z' } },
      comment: 'ignored',
    });
    expect(input.ok && input.value.kind).toBe('rollout');
  });

  it('a probe named __proto__ is an ordinary key both ways', () => {
    const wire = JSON.parse(
      '{"__proto__":{"status":"pass","mode":"enforce","last_observed_at":"2026-05-16T01:00:00Z","last_pass_at":null,"failure_reason":null}}',
    );
    const host = C.encodeHostRecord({
      rolloutId: 'r',
      hostname: 'h',
      channel: 'c',
      state: 'Soaking',
      targetClosure: 't',
      currentClosureAtDispatch: null,
      currentClosure: null,
      revertedTo: null,
      dispatchedAt: AT,
      dispatchAckedAt: null,
      activationStartedAt: null,
      activationCompletedAt: null,
      activationFailedAt: null,
      probeObservedFirstAt: null,
      probeFailureFirstAt: null,
      soakDueAt: null,
      convergedAt: null,
      failedAt: null,
      policyApplied: null,
      revertedAt: null,
      probes: {},
      lastEventSeq: 0,
    }) as Record<string, JsonValue>;
    const decoded = C.decodeHostRecord({ ...host, probes: wire });
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    const probes = decoded.value.probes;
    expect(Object.getPrototypeOf(probes)).toBe(Object.prototype);
    expect(Object.keys(probes)).toStrictEqual(['__proto__']);
    expect(JSON.stringify(C.encodeHostRecord(decoded.value))).toContain('"probes":{"__proto__":{');
  });

  it('probe maps sort by code point, as Rust compares UTF-8 bytes', () => {
    const names = ['b', 'a', 'Z', '\u{1F600}', '\uFF5E', 'ab'];
    const probe = {
      status: 'pass' as const,
      mode: 'enforce' as const,
      lastObservedAt: AT,
      lastPassAt: null,
      failureReason: null,
    };
    const encoded = C.hostRecord.encode({
      ...(C.decodeHostRecord(JSON.parse(hostTemplate)) as { ok: true; value: HostRecord }).value,
      probes: Object.fromEntries(names.map((n) => [n, probe])),
    }) as { probes: Record<string, unknown> };
    expect(Object.keys(encoded.probes)).toStrictEqual(['Z', 'a', 'ab', 'b', '\uFF5E', '\u{1F600}']);
  });
});

const openingWireForLenience =
  '{"rollout_id":"x","channel":"c","target_ref":"r","state":"Active","current_wave":1,' +
  '"opened_event_log_seq":4,"last_transition_event_log_seq":null,' +
  '"opened_at":"2026-05-16T01:00:00Z","terminal_at":null,"superseded_at":null,"extra":[1,2]}';

const hostTemplate =
  '{"rollout_id":"r","hostname":"h","channel":"c","state":"Deferred","target_closure":"t",' +
  '"current_closure_at_dispatch":null,"current_closure":null,"reverted_to":null,' +
  '"dispatched_at":"2026-05-16T01:00:00Z","dispatch_acked_at":null,"activation_started_at":null,' +
  '"activation_completed_at":null,"activation_failed_at":null,"probe_observed_first_at":null,' +
  '"probe_failure_first_at":null,"soak_due_at":null,"converged_at":null,"failed_at":null,' +
  '"policy_applied":"halt","reverted_at":null,"probes":{},"last_event_seq":12}';
