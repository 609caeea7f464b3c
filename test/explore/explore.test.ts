import { describe, expect, it } from 'vitest';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import type { RolloutEvent } from '../../machines/rollout/event.ts';
import {
  openRolloutRecord,
  ROLLOUT_STATES,
  type RolloutState,
} from '../../machines/rollout/state.ts';
import { rolloutStep } from '../../machines/rollout/step.ts';
import { type ExploreResult, explore, runPlan } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/*
 * `explore` runs the simulator itself down every path of its faults. On a 2-host, 2-wave
 * fleet with one release and every fault kind possible: the states each profile reaches
 * (spec §6 items 2, 3), coverage cells the reducers themselves produce, paths that are
 * timed runs (a plan re-run gives the same trace), the fault and run bounds, determinism.
 */

const small = (): Fleet =>
  withFaultAlphabet(
    generateFleet({
      hosts: 2,
      waves: 2,
      channels: 1,
      soakMinutes: 0,
      releases: 1,
      releaseEveryMinutes: 2,
    }),
    'all',
  );

const memo = new Map<string, ExploreResult>();
function cached(name: 'faithful' | 'intent'): ExploreResult {
  let r = memo.get(name);
  if (r === undefined) {
    r = explore({ fleet: small(), profile: profile(name), maxFaults: 1, maxRuns: 100_000 });
    memo.set(name, r);
  }
  return r;
}

describe('reachable states per profile (spec §6 items 2, 3)', () => {
  it('faithful never reaches Converging or Reverted (no WaveAdvanced; failure forwarded first)', () => {
    const r = cached('faithful');
    expect(r.coverage.rolloutStates.has('Converging')).toBe(false);
    expect(r.coverage.rolloutStates.has('Reverted')).toBe(false);
    for (const s of ['Opening', 'Active', 'Terminal', 'Failed', 'Superseded'])
      expect(r.coverage.rolloutStates.has(s), s).toBe(true);
  });

  it('intent reaches Converging (§6.2) and Reverted (§6.3)', () => {
    const r = cached('intent');
    expect(r.coverage.rolloutStates.has('Converging')).toBe(true);
    expect(r.coverage.rolloutStates.has('Reverted')).toBe(true);
  });

  it('every host state is reached once a fault is allowed, and none goes wrong without one', () => {
    for (const name of ['faithful', 'intent'] as const) {
      const r = cached(name);
      for (const s of HOST_STATES) expect(r.coverage.hostStates.has(s), `${name} ${s}`).toBe(true);
      const clean = explore({ fleet: small(), profile: profile(name), maxFaults: 0, maxRuns: 10 });
      expect(clean.runs).toBe(1);
      expect(clean.coverage.hostStates.has('Failed')).toBe(false);
      expect(clean.coverage.hostStates.has('Deferred')).toBe(false);
    }
  });
});

describe('coverage cells are real machine outcomes', () => {
  const at = '2026-05-16T01:00:00Z';
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: every rollout cell agrees with rolloutStep from that state for that event`, () => {
      for (const [key, outcomes] of cached(name).coverage.rollout) {
        const [state, event] = key.split('|') as [RolloutState, RolloutEvent['type']];
        expect(ROLLOUT_STATES).toContain(state);
        // The state-changing outcomes must be what the table gives for some event of that type.
        for (const o of outcomes) {
          if (o === state || !(ROLLOUT_STATES as readonly string[]).includes(o)) continue;
          const record = { ...openRolloutRecord('stable', 'v1', Date.parse(at)), state };
          const probe: RolloutEvent | null =
            event === 'SuccessorOpened'
              ? {
                  type: event,
                  supersededRolloutId: 'stable@v1',
                  successorRolloutId: 'stable@v2',
                  at: Date.parse(at),
                }
              : event === 'RolloutTerminal'
                ? { type: event, rolloutId: 'stable@v1', at: Date.parse(at) }
                : null;
          if (probe === null) continue;
          const result = rolloutStep(record, probe);
          expect(result.ok && result.record.state, key).toBe(o);
        }
      }
    });

    it(`${name}: every host cell is a host state and event, its outcomes host states or errors`, () => {
      for (const [key, outcomes] of cached(name).coverage.host) {
        const [state, event] = key.split('|');
        expect(HOST_STATES).toContain(state);
        expect(HOST_EVENT_TYPES).toContain(event);
        for (const o of outcomes)
          expect([...HOST_STATES, 'IllegalForState', 'SeqRegression', 'Invariant']).toContain(o);
      }
    });
  }

  it('the cells of the happy path and of a rollback', () => {
    const host = cached('faithful').coverage.host;
    expect(host.get('Pending|LocalActivate')).toEqual(new Set(['Activating']));
    expect(host.get('Pending|RemoteDispatchAck')).toEqual(new Set(['Activating']));
    expect(host.get('Soaking|LocalConvergedReached')).toContain('Converged');
    expect(host.get('Failed|LocalRollbackCompleted')).toEqual(new Set(['Reverted']));
    expect(host.get('Failed|RemoteRollbackComplete')).toEqual(new Set(['Reverted']));
    expect(host.get('Soaking|LocalSustainedFailureCrossed')).toEqual(new Set(['Failed']));
  });
});

describe('paths are timed runs', () => {
  it('re-running a plan gives the same trace, and the fault-free plan is a plain run', () => {
    const fleet = small();
    const records = (plan: readonly number[]) => {
      const out: TraceRecord[] = [];
      runPlan({ fleet, profile: profile('faithful'), plan, sink: (r) => out.push(r) });
      return JSON.stringify(out);
    };
    expect(records([3])).toBe(records([3]));
    expect(records([3])).not.toBe(records([]));
    // Without faults and on fault-free fleet the planned answers are a timed run's too.
    const clean = generateFleet({ hosts: 2, waves: 2, channels: 1, soakMinutes: 0 });
    const planned: TraceRecord[] = [];
    runPlan({ fleet: clean, profile: profile('intent'), plan: [], sink: (r) => planned.push(r) });
    const summary = simulate({ fleet: clean, profile: profile('intent'), seed: 0 }).summary;
    expect(planned.at(-1)?.type).toBe('end');
    const end = planned.at(-1) as Extract<TraceRecord, { type: 'end' }>;
    expect(end.summary.rollouts.map((r) => r.state)).toEqual(summary.rollouts.map((r) => r.state));
  });

  it('each fault a path takes is named and timed', () => {
    const fleet = small();
    const run = runPlan({ fleet, profile: profile('faithful'), plan: [0, 5] });
    expect(run.choices.taken.map((f) => f.index)).toEqual([0, 5]);
    for (const f of run.choices.taken) {
      expect(f.what).toMatch(
        /^(drop|duplicate|delay|switch fails|switch deferred|slow switch|probe .+ breaks|clock skew) /,
      );
      expect(f.at).toBeGreaterThanOrEqual(Date.parse('2026-05-16T01:00:00Z'));
    }
  });
});

describe('bounds', () => {
  it('one fault a path runs one path per choice point of the fault-free run, plus that run', () => {
    const r = cached('intent');
    expect(r.runs).toBe(r.choicePoints + 1);
    expect(r.truncated).toBe(false);
  });

  it('maxRuns stops the search there and says so', () => {
    const r = explore({ fleet: small(), profile: profile('intent'), maxFaults: 2, maxRuns: 50 });
    expect(r.runs).toBe(50);
    expect(r.truncated).toBe(true);
  });
});

describe('determinism', () => {
  it('two explorations give the same counts, coverage and violations', () => {
    const again = explore({
      fleet: small(),
      profile: profile('faithful'),
      maxFaults: 1,
      maxRuns: 100_000,
    });
    const first = cached('faithful');
    expect(again.runs).toBe(first.runs);
    expect(again.deliveries).toBe(first.deliveries);
    expect(JSON.stringify([...again.coverage.host].map(([k, v]) => [k, [...v]]))).toBe(
      JSON.stringify([...first.coverage.host].map(([k, v]) => [k, [...v]])),
    );
    expect(again.violations).toEqual(first.violations);
  });
});
