import { describe, expect, it } from 'vitest';
import type { HostStepResult } from '../../machines/host/step.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { checkedRun, InvariantChecker } from '../../sim/invariants/checker.ts';
import { stepsAgree } from '../../sim/invariants/rules/spec-model.ts';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';
import type { HostStepSeen } from '../../sim/world.ts';

/*
 * model.steps-agree over real runs: every step as taken agrees with the spec model; the
 * same run with one step's outcome altered the way a wrong machine cell would alter it
 * (a field written wrong, effects in another order, a rollout moved to the wrong state)
 * is reported, naming the step and where the two answers part.
 */

function recorded(name: string) {
  const preset = PRESETS[name];
  if (preset === undefined) throw new Error(name);
  const fleet = preset.build();
  const records: TraceRecord[] = [];
  const steps: HostStepSeen[] = [];
  simulate({
    fleet,
    profile: profile('faithful'),
    seed: 5,
    sink: (r) => records.push(r),
    observeHostSteps: (s) => steps.push(s),
  });
  return { fleet, records, steps };
}

function judge(
  run: ReturnType<typeof recorded>,
  steps: readonly HostStepSeen[],
  records: readonly TraceRecord[],
) {
  const checker = new InvariantChecker(
    {
      fleet: run.fleet,
      profile: profile('faithful'),
      settings: DEFAULT_SETTINGS,
      inspect: {
        cpHost: () => undefined,
        agentHost: () => undefined,
        agentRecords: () => new Map(),
        running: () => '',
      },
    },
    [stepsAgree],
  );
  for (const s of steps) checker.observeHostStep(s);
  for (const r of records) checker.observe(r);
  return checker.failures.map((f) => f.message);
}

const withResult = (steps: readonly HostStepSeen[], at: number, result: HostStepResult) =>
  steps.map((s, i) => (i === at ? { ...s, result } : s));

describe('model.steps-agree', () => {
  for (const name of ['demo', 'bad-release', 'deferred', 'supersede'] as const) {
    it(`${name}: every step of a real run agrees with the spec model`, () => {
      const run = recorded(name);
      expect(run.steps.length).toBeGreaterThan(20);
      expect(judge(run, run.steps, run.records)).toEqual([]);
      // And through checkedRun, where the world shows the steps to the checker itself.
      const r = checkedRun({
        fleet: run.fleet,
        profile: profile('faithful'),
        seed: 5,
        invariants: [stepsAgree],
      });
      expect(r.failures).toEqual([]);
    });
  }

  it('a host record field written wrong is reported with the field', () => {
    const run = recorded('bad-release');
    const at = run.steps.findIndex(
      (s) => s.result.ok && s.event.type === 'LocalProbeFailureFirst' && s.side === 'agent',
    );
    expect(at).toBeGreaterThanOrEqual(0);
    const step = run.steps[at];
    if (step === undefined || !step.result.ok) throw new Error('step');
    const wrong = {
      ...step.result,
      record: { ...step.result.record, probeFailureFirstAt: null },
    };
    const messages = judge(run, withResult(run.steps, at, wrong), run.records);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^agent \S+ \S+ LocalProbeFailureFirst in Soaking: both say Soaking \[.*\], but the records differ in probeFailureFirstAt$/,
    );
  });

  it('effects in another order are reported, both orders shown', () => {
    const run = recorded('bad-release');
    const at = run.steps.findIndex((s) => s.result.ok && s.result.effects.length >= 2);
    expect(at).toBeGreaterThanOrEqual(0);
    const step = run.steps[at];
    if (step === undefined || !step.result.ok) throw new Error('step');
    const [first, second, ...rest] = step.result.effects;
    if (first === undefined || second === undefined) throw new Error('effects');
    const swapped = { ...step.result, effects: [second, first, ...rest] };
    const messages = judge(run, withResult(run.steps, at, swapped), run.records);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      `the machine says ${step.result.record.state} [${[second, first, ...rest].map((e) => e.type).join(', ')}], the spec model says ${step.result.record.state} [${step.result.effects.map((e) => e.type).join(', ')}]`,
    );
  });

  it('a step the machine accepts and the spec refuses is reported', () => {
    const run = recorded('demo');
    const at = run.steps.findIndex((s) => s.result.ok);
    const step = run.steps[at];
    if (step === undefined || !step.result.ok) throw new Error('step');
    // The same step replayed with an old seq: the spec refuses it (§3.7 SeqRegression).
    const stale = { ...step, event: { ...step.event, seq: step.before.lastEventSeq } };
    const messages = judge(run, [stale], []);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/the spec model says refused SeqRegression$/);
  });

  it('a rollout step to the wrong state is reported from the trace alone', () => {
    const run = recorded('bad-release');
    const at = run.records.findIndex(
      (r) =>
        r.type === 'rollout_event' &&
        r.event.type === 'HostStateChanged' &&
        r.event.to === 'Failed' &&
        r.result.ok,
    );
    expect(at).toBeGreaterThan(0);
    const edited = run.records.map((r, i) =>
      i === at && r.type === 'rollout_event' && r.result.ok
        ? {
            ...r,
            result: { ...r.result, record: { ...r.result.record, state: 'Active' as const } },
          }
        : r,
    );
    const messages = judge(run, [], edited);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(
      /^rollout \S+ HostStateChanged in Active: the machine says Active \[.*\], the spec model says Failed \[.*\]$/,
    );
  });
});
