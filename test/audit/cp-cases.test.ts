import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { readRow } from '../../src/audit/log-row.ts';
import { Auditor } from '../../src/audit/rederive.ts';
import { auditLog } from '../../src/cli/audit.ts';
import { encodeHostRecord } from '../../src/codec/index.ts';

/*
 * The spec's CP test cases mirroring, drift and boot recovery (§5.7, from
 * `CP/tests/runtime_smoke.rs` at 080d6cd), as event logs built to the rows the control
 * plane writes (test/fixtures/audit): each re-derives to the records the Rust test
 * asserts, with no divergence, and a variant with the mistake a control plane could make
 * there is flagged. In process: the CLI around `auditLog` is tested in test/cli/audit.test.ts.
 */

const fixture = (name: string) =>
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/audit', name);

/** The re-derived host records (wire form) and divergences of a log's text. */
function rederiveText(log: string) {
  const auditor = new Auditor({ onHealthFailure: 'halt' });
  log.split('\n').forEach((text, i) => {
    if (text.trim() === '') return;
    const r = readRow(text, i + 1);
    if (!r.ok) throw new Error(`line ${i + 1}: ${r.field}: ${r.message}`);
    auditor.observe(r.row);
  });
  auditor.finish();
  const hosts = new Map(
    [...auditor.hosts.values()].map((h) => [
      h.hostname,
      encodeHostRecord(h) as Record<string, unknown>,
    ]),
  );
  const rollout = auditor.rollouts.get('stable@a1');
  const messages = auditor.divergences.map((d) => `${d.line}: ${d.message}`);
  return { hosts, rollout, messages, unreadable: auditor.unreadable };
}

const rederive = (name: string) => rederiveText(readFileSync(fixture(name), 'utf8'));

function clean(name: string) {
  const r = rederive(name);
  expect(r.unreadable).toEqual([]);
  expect(r.messages).toEqual([]);
  const { report } = auditLog(fixture(name), { onHealthFailure: 'halt' });
  expect(report.violations).toEqual([]);
  expect(report.divergences).toEqual([]);
  return r;
}

describe('mirroring: a RemoteDispatchAck gives Activating with last_event_seq 1', () => {
  test('re-derived as the CP test asserts, with its agent_event and effect rows', () => {
    const { hosts, rollout } = clean('mirroring.jsonl');
    expect(rollout?.state).toBe('Active');
    expect(hosts.get('web-01')).toMatchObject({
      state: 'Activating',
      last_event_seq: 1,
      current_closure_at_dispatch: 'previous-closure',
      dispatch_acked_at: '2026-05-16T01:00:16.250731Z',
    });
  });
  test('an ack stepped without its RecordTransition row is flagged', () => {
    expect(rederive('mirroring-divergent.jsonl').messages).toEqual([
      '6: the reducer gives Pending → Activating at 2026-05-16T01:00:16.250731Z, the log records no such transition',
    ]);
  });
});

describe('drift: replay_from = last_event_seq, the agent re-POSTs from there', () => {
  test('the replayed events re-derive without a gap; the mirror then holds the closure', () => {
    const { hosts } = clean('drift.jsonl');
    expect(hosts.get('web-01')).toMatchObject({
      state: 'Soaking',
      last_event_seq: 3,
      current_closure: 'closure-a1',
      activation_started_at: '2026-05-16T01:00:17Z',
      activation_completed_at: '2026-05-16T01:00:40.123456Z',
    });
  });
  test('a re-POSTed seq the CP logged instead of dropping is a SeqRegression', () => {
    expect(rederive('drift-divergent.jsonl').messages).toEqual([
      '9: logged RemoteDispatchAck, but the reducer refuses it: SeqRegression',
    ]);
  });
});

describe('boot recovery: current == target while Activating gives Soaking', () => {
  test('the synthesised completion re-derives; a closure that does not match stays Activating', () => {
    const { hosts } = clean('boot-recovery.jsonl');
    expect(hosts.get('web-01')).toMatchObject({
      state: 'Soaking',
      last_event_seq: 2,
      current_closure: 'closure-a1',
      activation_completed_at: '2026-05-16T01:03:00.500Z',
    });
    expect(hosts.get('web-02')).toMatchObject({ state: 'Activating', last_event_seq: 1 });
  });
  test('a synthesis that does not advance the seq is refused, and its transition with it', () => {
    expect(rederive('boot-recovery-divergent.jsonl').messages).toEqual([
      '14: logged RemoteActivationCompleted, but the reducer refuses it: SeqRegression',
      '15: the log records Activating → Soaking at 2026-05-16T01:03:00.500Z, the reducer produced no transition there',
    ]);
  });
});

describe('agent seqs past 2^53 are read exactly', () => {
  test('2^53, 2^53 + 1, 2^53 + 2 re-derive in order (rounded, the second would regress)', () => {
    const big = readFileSync(fixture('drift.jsonl'), 'utf8')
      .replace('\\"seq\\":1}', '\\"seq\\":9007199254740992}')
      .replace('\\"seq\\":2}', '\\"seq\\":9007199254740993}')
      .replace('\\"seq\\":3}', '\\"seq\\":9007199254740994}');
    expect(big).toContain('9007199254740993');
    const { hosts, messages } = rederiveText(big);
    expect(messages).toEqual([]);
    expect(hosts.get('web-01')).toMatchObject({
      state: 'Soaking',
      last_event_seq: 9007199254740994n,
    });
  });
});
