import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { type Profile, profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS, type Settings } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import { validateTrace, verifyTrace } from '../../src/cli/replay.ts';
import { TraceDecoder } from '../../src/trace/decode-record.ts';
import {
  encodeHeader,
  encodeRecord,
  TRACE_FORMAT,
  type TraceHeader,
} from '../../src/trace/format.ts';
import { decodeHeader } from '../../src/trace/schema.ts';
import { TraceWriter } from '../../src/trace/writer.ts';
import { PROFILE_NAMES, presetFleet, run, SMALL_PRESETS } from './support.ts';

/*
 * The `rollout-sim-trace/1` contract (DESIGN §4.5) on real runs: every line the encoder
 * writes decodes, the header carries enough to run the simulation again, the
 * trace ends with `end`, and `replay --verify` finds a written trace identical and
 * pinpoints a tampered line.
 */

const dir = mkdtempSync(join(tmpdir(), 'rollout-sim-trace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** JSON as a file holds it: encoded, written and read back. */
const roundTrip = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

function header(
  fleet: Fleet,
  prof: Profile,
  seed: number,
  extra: Partial<TraceHeader> = {},
): TraceHeader {
  return { seed, profile: prof, fleet, settings: DEFAULT_SETTINGS, untilSeconds: null, ...extra };
}

/** Simulate and stream the trace to a file; returns its path and the records. */
function writeTrace(name: string, h: TraceHeader): { path: string; records: TraceRecord[] } {
  const path = join(dir, `${name}.jsonl`);
  const writer = new TraceWriter(path, h);
  const records: TraceRecord[] = [];
  try {
    simulate({
      fleet: h.fleet,
      profile: h.profile,
      seed: h.seed,
      settings: h.settings,
      ...(h.untilSeconds === null ? {} : { untilSeconds: h.untilSeconds }),
      sink: (r) => {
        records.push(r);
        writer.record(r);
      },
    });
  } finally {
    writer.close();
  }
  return { path, records };
}

function lines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

describe.each(SMALL_PRESETS)('trace of preset %s', (name) => {
  it.each(PROFILE_NAMES)(
    '%s: every record passes the schema; the header round-trips; ends with end',
    (prof) => {
      const r = run(name, prof, { seed: 3 });
      const encoded = r.records.map((rec) => roundTrip(encodeRecord(rec)));
      // Decoded as every reader decodes them (readTrace).
      const decoder = new TraceDecoder();
      const bad = encoded
        .map((json, i) => ({ i, check: decoder.decode(json) }))
        .filter(({ check }) => !check.ok)
        .map(({ i, check }) => `record ${i}: ${check.ok ? '' : check.message}`);
      expect(bad).toEqual([]);

      // Simulated time never goes backwards, and starts at 0.
      const ts = encoded.map((json) => (json as { t: number }).t);
      expect(ts[0]).toBe(0);
      for (let i = 1; i < ts.length; i++) {
        expect(ts[i], `record ${i}`).toBeGreaterThanOrEqual(ts[i - 1] as number);
      }

      // Exactly one end record, last, with a null wall_seconds (byte-identical traces).
      const types = encoded.map((json) => (json as { type: string }).type);
      expect(types.filter((t) => t === 'end')).toHaveLength(1);
      const end = encoded[encoded.length - 1] as {
        type: string;
        t: number;
        summary: Record<string, unknown>;
      };
      expect(end.type).toBe('end');
      expect(end.summary.wall_seconds).toBeNull();
      expect(end.summary.sim_seconds).toBe(end.t);
      // The in-memory summary returned to the caller does carry the wall time.
      expect(typeof r.summary.wallSeconds).toBe('number');

      const h = roundTrip(encodeHeader(header(r.fleet, profile(prof), 3)));
      expect(h).toMatchObject({ type: 'header', format: TRACE_FORMAT, seed: 3, profile: prof });
      const decoded = decodeHeader(h);
      expect(decoded.ok, decoded.ok ? '' : decoded.message).toBe(true);
      if (!decoded.ok) return;
      expect(decoded.header.seed).toBe(3);
      expect(decoded.header.profile).toEqual(profile(prof));
      expect(decoded.header.fleet).toEqual(presetFleet(name));
      expect(decoded.header.settings).toEqual(DEFAULT_SETTINGS);
      expect(decoded.header.untilSeconds).toBeNull();
    },
  );
});

describe('header', () => {
  it('round-trips a custom profile, non-default settings and a horizon', () => {
    const fleet = presetFleet('canary');
    const prof = profile('faithful', { halt_gate: true, soak_from_dispatch: true });
    expect(prof.name).toBe('custom');
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      plan_tick_secs: 10,
      sustained_failure_threshold_secs: 60,
    };
    const json = roundTrip(encodeHeader(header(fleet, prof, 99, { settings, untilSeconds: 5400 })));
    expect((json as { profile: unknown }).profile).toMatchObject({
      base: 'faithful',
      halt_gate: true,
    });
    const decoded = decodeHeader(json);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.header).toEqual({
      seed: 99,
      profile: prof,
      fleet,
      settings,
      untilSeconds: 5400,
    });
  });

  it('lists each channel’s waves as ordered host lists in the fleet', () => {
    const fleet = presetFleet('two-channels');
    const json = roundTrip(encodeHeader(header(fleet, profile('intent'), 1))) as {
      fleet: { waves: Record<string, string[][]> };
    };
    expect(Object.keys(json.fleet.waves).sort()).toEqual(['canary-ring', 'stable']);
    expect(json.fleet.waves.stable).toEqual([
      ['prod-01', 'prod-02'],
      ['prod-03', 'prod-04', 'prod-05', 'prod-06'],
    ]);
  });
});

describe('TraceWriter and replay --verify', () => {
  it.each([
    ['demo', 'intent', 1],
    ['supersede', 'faithful', 5],
    ['deferred', 'faithful', 2],
  ] as const)(
    '%s %s seed %d: the written trace is valid and verifies as identical',
    (name, prof, seed) => {
      const { path, records } = writeTrace(
        `${name}-${prof}`,
        header(presetFleet(name), profile(prof), seed),
      );
      const written = lines(path);
      expect(written).toHaveLength(records.length + 1);
      expect(written.slice(1)).toEqual(records.map((r) => JSON.stringify(encodeRecord(r))));
      expect(validateTrace(path).lines).toBe(written.length);
      expect(verifyTrace(path)).toEqual({ divergence: null, lines: written.length });
    },
  );

  it('verifies a trace written with a horizon, custom flags and settings', () => {
    const h = header(
      presetFleet('budget'),
      profile('intent', { budget_counts_queued: false }),
      11,
      {
        settings: { ...DEFAULT_SETTINGS, plan_tick_secs: 7 },
        untilSeconds: 600,
      },
    );
    const { path, records } = writeTrace('budget-custom', h);
    const last = records[records.length - 1];
    expect(last?.type === 'end' && last.summary.ended).toBe('horizon');
    expect(verifyTrace(path).divergence).toBeNull();
  });

  it('reports the line number of a tampered line', () => {
    const { path } = writeTrace('tamper', header(presetFleet('canary'), profile('faithful'), 4));
    const original = lines(path);
    // Line numbers are 1-based and count the header; pick a gate record in the middle
    // (a dispatch's wave is checked against the fleet by the reader itself).
    const target = original.findIndex((l, i) => i > 20 && l.startsWith('{"type":"gate"'));
    expect(target).toBeGreaterThan(0);
    const tampered = [...original];
    tampered[target] = (original[target] as string).replace('"reason":"', '"reason":"edited: ');
    expect(tampered[target]).not.toBe(original[target]);
    const copy = join(dir, 'tampered.jsonl');
    writeFileSync(copy, `${tampered.join('\n')}\n`);
    // Still well-formed, so only --verify can tell.
    expect(() => validateTrace(copy)).not.toThrow();
    const { divergence } = verifyTrace(copy);
    expect(divergence).not.toBeNull();
    expect(divergence).toMatch(new RegExp(`^line ${target + 1}: `));
  });

  it('reports a truncated trace at its last line, and refuses a line after the end', () => {
    const { path } = writeTrace('cut', header(presetFleet('canary'), profile('intent'), 4));
    const original = lines(path);
    const short = join(dir, 'short.jsonl');
    writeFileSync(short, `${original.slice(0, 30).join('\n')}\n`);
    expect(verifyTrace(short).divergence).toBe(
      'line 30: the trace ends here without an "end" record: incomplete (was the run cut short?); up to here it matches the re-simulation',
    );
    // A line after the end record is a format error, found before anything is simulated.
    const long = join(dir, 'long.jsonl');
    writeFileSync(long, `${[...original, original[original.length - 1]].join('\n')}\n`);
    expect(() => verifyTrace(long)).toThrow(
      `${long}:${original.length + 1}: a line after the "end" record of line ${original.length}: the end record is the last`,
    );
  });
});
