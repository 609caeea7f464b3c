import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { plainEqual } from '../../sim/plain-equal.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import { type SpecResult, specAgrees, specStep } from '../../sim/spec-model/host.ts';
import type { HostStepSeen } from '../../sim/world.ts';

/*
 * specAgrees is model.steps-agree's shortcut: it must say what comparing the machine's
 * answer with specStep's would say, for the steps runs take and for every way a wrong
 * cell could alter one (a field changed, added or dropped, set to undefined, an effect
 * changed, dropped or reordered, a refusal instead of a step).
 */

const steps: HostStepSeen[] = [];
for (const name of ['bad-release', 'deferred', 'supersede', 'demo']) {
  const fleet = PRESETS[name]?.build();
  if (fleet === undefined) throw new Error(name);
  for (const p of ['faithful', 'intent'] as const)
    simulate({ fleet, profile: profile(p), seed: 3, observeHostSteps: (s) => steps.push(s) });
}

type Alter = (r: SpecResult) => SpecResult;
const okOnly =
  (f: (r: Extract<SpecResult, { ok: true }>) => SpecResult): Alter =>
  (r) =>
    r.ok ? f(r) : r;
const ALTERATIONS: Record<string, Alter> = {
  none: (r) => r,
  'field changed': okOnly((r) => ({ ...r, record: { ...r.record, failedAt: 123 } })),
  'seq changed': okOnly((r) => ({ ...r, record: { ...r.record, lastEventSeq: -1 } })),
  'state changed': okOnly((r) => ({ ...r, record: { ...r.record, state: 'Reverted' } })),
  'field added': okOnly((r) => ({ ...r, record: { ...r.record, extra: 1 } as never })),
  'field set to undefined': okOnly((r) => ({
    ...r,
    record: { ...r.record, extra: undefined } as never,
  })),
  'field dropped': okOnly((r) => {
    const { convergedAt: _, ...rest } = r.record;
    return { ...r, record: rest as never };
  }),
  'probes changed': okOnly((r) => ({
    ...r,
    record: {
      ...r.record,
      probes: { ...r.record.probes, x: { ...Object.values(r.record.probes)[0] } as never },
    },
  })),
  'effect dropped': okOnly((r) => ({ ...r, effects: r.effects.slice(1) })),
  'effects reversed': okOnly((r) => ({ ...r, effects: [...r.effects].reverse() })),
  'effect changed': okOnly((r) => ({
    ...r,
    effects: r.effects.map((e, i) => (i === 0 ? { ...e, rolloutId: 'other' } : e)),
  })),
  refused: (r) =>
    r.ok
      ? { ok: false, error: { type: 'Invariant', message: 'no' } }
      : { ok: true, record: {} as never, effects: [] },
};

describe('specAgrees', () => {
  it('says what comparing with specStep says, on the steps runs take and altered ones', () => {
    expect(steps.length).toBeGreaterThan(1000);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: steps.length - 1 }),
        fc.constantFrom(...Object.keys(ALTERATIONS)),
        (i, how) => {
          const s = steps[i] as HostStepSeen;
          const result = (ALTERATIONS[how] as Alter)(s.result as SpecResult);
          const long = plainEqual(specStep(s.before, s.event, s.policy), result);
          expect(specAgrees(s.before, s.event, s.policy, result)).toBe(long);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('holds every step the runs took', () => {
    for (const s of steps) expect(specAgrees(s.before, s.event, s.policy, s.result)).toBe(true);
  });
});
