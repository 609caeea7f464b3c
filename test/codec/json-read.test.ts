import { describe, expect, test } from 'vitest';
import { answerStepLine } from '../../src/cli/step.ts';
import { readJson } from '../../src/codec/json-read.ts';
import { writeJson } from '../../src/codec/json-write.ts';

/*
 * What serde refuses and `JSON.parse` lets through, through the `step` line function: the
 * spellings the corpus could not keep in its `input` objects.
 */

const HOST =
  '{"rollout_id":"r@a","hostname":"h","channel":"r","state":"Soaking","target_closure":"t",' +
  '"current_closure_at_dispatch":"p","current_closure":"t","reverted_to":null,' +
  '"dispatched_at":"2026-05-16T01:00:00Z","soak_due_at":"2026-05-16T01:05:00.0005Z",' +
  '"probes":{},"last_event_seq":0}';
const converge = (at: string, seq = '1') =>
  `{"host":${HOST},"event":{"LocalConvergedReached":{"converged_at":"${at}",` +
  `"current_closure":"t","seq":${seq}}},"policy":{"on_health_failure":"halt"}}`;
const answer = (line: string) => JSON.parse(answerStepLine(line, 1).answer);

describe('step input read as serde reads it', () => {
  test('a converge 500 µs before a nanosecond soak_due_at is the Invariant error', () => {
    expect(answer(converge('2026-05-16T01:05:00Z'))).toEqual({
      ok: false,
      error: { Invariant: 'Converged event: converged_at before soak_due_at' },
    });
    const after = answer(converge('2026-05-16T01:05:00.000600Z'));
    expect(after.ok).toBe(true);
    expect(after.host.converged_at).toBe('2026-05-16T01:05:00.000600Z');
    expect(after.host.soak_due_at).toBe('2026-05-16T01:05:00.000500Z');
  });

  test('an integer field refuses 1.0 and 1e2', () => {
    for (const seq of ['1.0', '1e2']) {
      expect(answer(converge('2026-05-16T01:06:00Z', seq)).error.InvalidInput.message).toBe(
        `event.LocalConvergedReached.seq: expected an integer 0..18446744073709551615, got ${seq}`,
      );
    }
  });

  test('u64 and i64 fields take their whole range, echoed digit for digit', () => {
    // serde reads every u64 seq and i64 event-log seq; a JavaScript number would round
    // 2^53 + 1 to 2^53, so these travel as bigints and are written back exactly.
    for (const seq of ['9007199254740993', '18446744073709551615']) {
      const text = answerStepLine(converge('2026-05-16T01:06:00Z', seq), 1).answer;
      expect(text).toContain(`"seq":${seq}`);
      expect(text).toContain(`"last_event_seq":${seq}`);
    }
    const regressed = converge('2026-05-16T01:06:00Z', '9007199254740992').replace(
      '"last_event_seq":0',
      '"last_event_seq":9007199254740993',
    );
    expect(answerStepLine(regressed, 1).answer).toBe(
      '{"ok":false,"error":{"SeqRegression":{"got":9007199254740992,' +
        '"last":9007199254740993,"rollout_id":"r@a","hostname":"h"}}}',
    );
    // sustained_duration_secs is a u64 too, copied into the Failed payload exactly.
    const failed = answerStepLine(
      `{"host":${HOST},"event":{"LocalSustainedFailureCrossed":{"failed_at":"2026-05-16T01:02:00Z",` +
        '"sustained_duration_secs":18446744073709551615,"failing_probes":["p"],' +
        '"policy_applied":"halt","seq":1}},"policy":{"on_health_failure":"halt"}}',
      1,
    ).answer;
    expect(failed).toContain('"sustained_duration_secs":18446744073709551615,');
    // One past the range is refused, as serde refuses it.
    expect(
      answer(converge('2026-05-16T01:06:00Z', '18446744073709551616')).error.InvalidInput.message,
    ).toBe(
      'event.LocalConvergedReached.seq: expected an integer 0..18446744073709551615, got 18446744073709551616',
    );
    const rollout = (seq: string) =>
      '{"record":{"rollout_id":"s@a","channel":"s","target_ref":"a","state":"Active",' +
      `"current_wave":1,"opened_event_log_seq":${seq},"last_transition_event_log_seq":null,` +
      '"opened_at":"2026-05-16T01:00:00Z","terminal_at":null,"superseded_at":null},' +
      '"event":{"WaveAdvanced":{"rollout_id":"s@a","from_wave":1,"to_wave":2,"at":"2026-05-16T01:00:10Z"}}}';
    for (const seq of ['-9223372036854775808', '9223372036854775807']) {
      expect(answerStepLine(rollout(seq), 1).answer).toContain(`"opened_event_log_seq":${seq},`);
    }
    expect(answer(rollout('9223372036854775808')).error.InvalidInput.message).toBe(
      'record.opened_event_log_seq: expected an integer -9223372036854775808..9223372036854775807 or null, got 9223372036854775808',
    );
  });

  test('a struct refuses a repeated key; a probe map keeps the last', () => {
    const dup = converge('2026-05-16T01:06:00Z').replace('"seq":1', '"seq":1,"seq":2');
    expect(answer(dup).error.InvalidInput.message).toBe(
      'event.LocalConvergedReached.seq: duplicate field "seq"',
    );
    const probe = (s: string) =>
      `{"status":"${s}","mode":"enforce","last_observed_at":"2026-05-16T01:00:00Z"}`;
    const map = converge('2026-05-16T01:06:00Z').replace(
      '"probes":{}',
      `"probes":{"p":${probe('fail')},"p":${probe('pass')}}`,
    );
    expect(answer(map).host.probes.p.status).toBe('pass');
  });

  test('a lone surrogate is not a string', () => {
    expect(readJson('"\\ud800"')).toEqual({
      ok: false,
      message: 'lone surrogate escape at column 8',
    });
    expect(readJson('"\\ud83d\\ude00"')).toEqual({ ok: true, value: '😀' });
  });

  test("nesting deeper than serde_json's 128 levels is refused as a value, not a stack overflow", () => {
    const nest = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(readJson(nest(128)).ok).toBe(true);
    expect(readJson(nest(129))).toEqual({
      ok: false,
      message: 'recursion limit exceeded (more than 128 levels) at column 129',
    });
    expect(readJson(`${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`).ok).toBe(false);
  });

  test('an invisible character is named by its code point, a byte-order mark by name', () => {
    expect(readJson('\ufeff{}')).toEqual({
      ok: false,
      message: 'unexpected U+FEFF (a byte-order mark) at column 1',
    });
    expect(readJson('\u0001')).toEqual({ ok: false, message: 'unexpected U+0001 at column 1' });
    expect(readJson('x')).toEqual({ ok: false, message: 'unexpected "x" at column 1' });
  });

  test('integers past 2^53 are kept exactly, not rounded', () => {
    expect(readJson('18446744073709551615')).toEqual({ ok: true, value: 18446744073709551615n });
  });
});

describe('writeJson', () => {
  test('writes a bigint with its digits, everything else as JSON.stringify does', () => {
    const value = { seq: 2n ** 64n - 1n, list: [1, -(2n ** 63n), 'x"y'], gone: undefined, n: null };
    expect(writeJson(value as never)).toBe(
      '{"seq":18446744073709551615,"list":[1,-9223372036854775808,"x\\"y"],"n":null}',
    );
    const plain = { a: [1, 'b', { c: true }], d: 0.5 };
    expect(writeJson(plain)).toBe(JSON.stringify(plain));
  });
  test('what it writes, readJson reads back exactly', () => {
    const text = writeJson({ seq: 2n ** 53n + 1n });
    expect(readJson(text)).toEqual({ ok: true, value: { seq: 2n ** 53n + 1n } });
  });
});
