import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Case, caseChoices } from '../sim/check/property-check.ts';
import { type CheckedRun, checkedRun } from '../sim/invariants/checker.ts';
import type { Profile } from '../sim/profile.ts';
import type { RunSummary } from '../sim/summary.ts';
import type { TraceRecord } from '../sim/trace-record.ts';
import { decodeHeader } from '../src/trace/schema.ts';

type Decoded = ReturnType<typeof decodeHeader>;

/** The trace header kept in `test/fixtures/NAME-header.json`, decoded (a replayable case). */
export function fixtureHeader(name: string): Extract<Decoded, { ok: true }>['header'] {
  const decoded = decodeHeader(
    JSON.parse(readFileSync(new URL(`fixtures/${name}-header.json`, import.meta.url), 'utf8')),
  );
  if (!decoded.ok) throw new Error(decoded.message);
  return decoded.header;
}

/**
 * The run a fixture header describes, forced faults and all, every invariant watching, its
 * records collected; `profile` overrides the header's (to show a flag's effect on the
 * same input).
 */
export function fixtureRun(
  name: string,
  profile?: Profile,
): CheckedRun & { records: TraceRecord[] } {
  const h = fixtureHeader(name);
  const records: TraceRecord[] = [];
  const r = checkedRun({
    fleet: h.fleet,
    profile: profile ?? h.profile,
    seed: h.seed,
    settings: h.settings,
    ...(h.untilSeconds == null ? {} : { untilSeconds: h.untilSeconds }),
    ...(h.forcedFaults === undefined
      ? {}
      : { choices: caseChoices({ seed: h.seed, forced: h.forcedFaults }) }),
    sink: (record) => records.push(record),
  });
  return { ...r, records };
}

/** A fixture header as the check case it came from: its fleet, seed and forced faults. */
export function fixtureCase(name: string): Case {
  const { fleet, seed, forcedFaults } = fixtureHeader(name);
  return {
    fleet,
    seed,
    spec: null,
    forced: forcedFaults ?? [],
    retentionMinutes: null,
    settleSeconds: null,
  };
}

/**
 * A fixture that once idled to its horizon, run again: it ends `ended` within the first
 * simulated hour, and no invariant fails.
 */
export function expectSettles(
  name: string,
  ended: RunSummary['ended'],
): CheckedRun & { records: TraceRecord[] } {
  const r = fixtureRun(name);
  expect(r.summary.ended).toBe(ended);
  expect(r.summary.simSeconds).toBeLessThan(3600);
  expect(r.failures).toEqual([]);
  return r;
}
