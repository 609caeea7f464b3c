import { describe, expect, it } from 'vitest';
import { TraceDecoder } from '../../src/trace/decode-record.ts';
import { encodeRecord } from '../../src/trace/format.ts';
import { record } from './support.ts';

/*
 * The decoder is the inverse of the trace encoder: every record of real runs decodes
 * and encodes back to the very same line, and bad lines get a message with the field.
 */

describe('TraceDecoder', () => {
  for (const preset of ['demo', 'supersede', 'two-channels', 'deferred']) {
    it(`round-trips every record of a ${preset} run to the same line`, () => {
      const { records } = record(preset);
      const decoder = new TraceDecoder();
      for (const r of records) {
        const line = JSON.stringify(encodeRecord(r));
        const decoded = decoder.decode(JSON.parse(line));
        expect(decoded.ok, line).toBe(true);
        if (decoded.ok) expect(JSON.stringify(encodeRecord(decoded.record))).toBe(line);
      }
    });
  }

  it('rebuilds the rollout row from the steps: state, cursor and terminal stamp', () => {
    const { records } = record('demo');
    const decoder = new TraceDecoder();
    const decoded = records.map((r) => decoder.decode(JSON.parse(JSON.stringify(encodeRecord(r)))));
    const last = decoded.filter((d) => d.ok && d.record.type === 'rollout_event').at(-1);
    expect(last?.ok && last.record.type === 'rollout_event' && last.record.result.ok).toBe(true);
    if (last?.ok && last.record.type === 'rollout_event' && last.record.result.ok) {
      expect(last.record.result.record.state).toBe('Failed');
      expect(last.record.result.record.rolloutId).toBe('stable@v1');
      expect(last.record.result.record.channel).toBe('stable');
    }
  });

  it('names the field that is wrong', () => {
    const decoder = new TraceDecoder();
    expect(decoder.decode({ type: 'dispatch', t: 1, rollout_id: 'r', host: 'h' })).toEqual({
      ok: false,
      message: 'wave: missing field',
    });
    expect(
      decoder.decode({
        type: 'host_transition',
        t: 0,
        side: 'cp',
        rollout_id: 'r',
        host: 'h',
        event: 'Nope',
        from: 'Pending',
        to: 'Activating',
      }),
    ).toEqual({
      ok: false,
      message: 'event: unknown value "Nope"',
    });
    expect(decoder.decode({ type: 'teleport', t: 0 })).toEqual({
      ok: false,
      message: 'type: unknown record type "teleport"',
    });
    expect(decoder.decode([1])).toEqual({ ok: false, message: 'expected a JSON object' });
    const bad = decoder.decode({
      type: 'rollout_event',
      t: 0,
      rollout_id: 'r',
      event: {
        HostJoined: { rollout_id: 'r', host_id: 'h', wave: -1, at: '2026-05-16T01:00:00Z' },
      },
      result: { ok: true, state: 'Active', current_wave: 0, effects: [] },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/^event\.HostJoined\.wave: /);
  });

  it('refuses what the format does not allow, naming the field', () => {
    const decoder = new TraceDecoder();
    const dispatch = { type: 'dispatch', t: 1, rollout_id: 'r', host: 'h', wave: 0 };
    const message = (json: unknown) => {
      const d = decoder.decode(json);
      return d.ok ? 'accepted' : d.message;
    };
    expect(message({ ...dispatch, wave: 1e300 })).toBe(
      'wave: expected a non-negative integer, got 1e+300',
    );
    expect(message({ ...dispatch, rollout_id: '' })).toBe(
      'rollout_id: expected a non-empty string',
    );
    expect(message({ ...dispatch, host: '' })).toBe('host: expected a non-empty string');
    // JSON.parse reads 1e309 as Infinity.
    expect(message({ ...dispatch, t: JSON.parse('1e309') })).toBe('t: expected a finite number');

    const summary = {
      ended: 'terminal',
      sim_seconds: 5,
      wall_seconds: null,
      rollouts: [
        {
          rollout_id: 'r',
          state: 'Active',
          current_wave: 0,
          opened_at: '2026-05-16T01:00:00Z',
          terminal_at: null,
          hosts: { Soaking: 1 },
        },
      ],
      events: { host_steps: 0, rollout_steps: 0, scheduled: 0 },
    };
    const end = (s: object) => message({ type: 'end', t: 5, summary: { ...summary, ...s } });
    expect(end({})).toBe('accepted');
    expect(end({ ended: 'bogus' })).toBe(
      'summary.ended: expected one of terminal, horizon, stalled, interrupted, error, got "bogus"',
    );
    expect(end({ ended: undefined })).toBe(
      'summary.ended: expected one of terminal, horizon, stalled, interrupted, error, got nothing',
    );
    expect(end({ rollouts: 'x' })).toBe('summary.rollouts: expected an array');
    expect(end({ rollouts: [{ ...summary.rollouts[0], state: 'Open' }] })).toBe(
      'summary.rollouts.0.state: unknown value "Open"',
    );
    expect(end({ rollouts: [{ ...summary.rollouts[0], hosts: { Soaking: -1 } }] })).toBe(
      'summary.rollouts.0.hosts.Soaking: expected a non-negative integer',
    );
    expect(end({ events: { host_steps: 0, rollout_steps: 0 } })).toBe(
      'summary.events.scheduled: missing field',
    );
    const { events: _, ...noEvents } = summary;
    expect(message({ type: 'end', t: 5, summary: noEvents })).toBe('summary.events: missing field');
    expect(end({ wall_seconds: 'soon' })).toBe('summary.wall_seconds: expected a number or null');
  });
});
