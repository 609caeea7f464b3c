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
import { type ExploreResult, explore, TABLES } from '../../sim/explore/explore.ts';
import type { ExploreBounds } from '../../sim/explore/model.ts';
import { hostsOf, makeFleet } from '../../sim/fleet/build.ts';
import { probe } from '../../sim/fleet/defaults.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile } from '../../sim/profile.ts';

/*
 * `explore` (issue 4 item 4) on fleets small enough for the test suite: 2 hosts in 2
 * waves (host-01 | host-02) with one release, and for symmetry 3 hosts in 2 waves
 * (host-01 | host-02 host-03) under intent only. What the explorer reports must be real:
 * the states each profile can reach (spec §6 items 2, 3, 6), coverage cells that the
 * reducer itself produces, fewer states with symmetric hosts counted once and the same
 * coverage, the fault and state bounds, and the same answer every time.
 */

const BOUNDS: ExploreBounds = { probeResults: 1, messageFaults: true, maxFaults: 1 };
const MAX_STATES = 1_000_000;

const small = (): Fleet =>
  generateFleet({ hosts: 2, waves: 2, channels: 1, soakMinutes: 0, releases: 1 });

function run(
  fleet: Fleet,
  name: 'faithful' | 'intent',
  bounds: Partial<ExploreBounds> = {},
  maxStates = MAX_STATES,
): ExploreResult {
  return explore({ fleet, profile: profile(name), bounds: { ...BOUNDS, ...bounds }, maxStates });
}

/** Each exhaustive run once per file: faithful on 2×2 is the slowest (about 10⁴ states). */
const memo = new Map<string, ExploreResult>();
function cached(name: 'faithful' | 'intent'): ExploreResult {
  let r = memo.get(name);
  if (r === undefined) {
    r = run(small(), name);
    memo.set(name, r);
  }
  return r;
}

/** Coverage as plain sorted data, for equality. */
function plain(r: ExploreResult) {
  const cells = (m: ReadonlyMap<string, ReadonlySet<string>>) =>
    [...m].map(([k, v]) => [k, [...v].sort()] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  return {
    rollout: cells(r.coverage.rollout),
    host: cells(r.coverage.host),
    rolloutStates: [...r.coverage.rolloutStates].sort(),
    hostStates: [...r.coverage.hostStates].sort(),
  };
}

const reached = (r: ExploreResult) => ROLLOUT_STATES.filter((s) => r.coverage.rolloutStates.has(s));

describe('reachable rollout states per profile (spec §6 items 2, 3, 6)', () => {
  it('faithful never reaches Converging, Reverted or Pruned, and reaches the other five', () => {
    const r = cached('faithful');
    expect(r.truncated).toBe(false);
    expect(reached(r)).toEqual(['Opening', 'Active', 'Terminal', 'Failed', 'Superseded']);
    for (const s of ['Converging', 'Reverted', 'Pruned'] as const)
      expect(r.coverage.rolloutStates.has(s)).toBe(false);
    // No cell starts from or leads to a state faithful cannot reach.
    for (const [key, outcomes] of r.coverage.rollout) {
      expect(key).not.toMatch(/^(Converging|Reverted|Pruned)\|/);
      for (const o of ['Converging', 'Reverted', 'Pruned']) expect(outcomes.has(o)).toBe(false);
    }
    expect(r.violations).toEqual([]);
  });

  it('intent reaches Converging (§6.2), Reverted (§6.3) and Pruned (§6.6)', () => {
    const r = cached('intent');
    expect(r.truncated).toBe(false);
    for (const s of [
      'Opening',
      'Active',
      'Converging',
      'Terminal',
      'Reverted',
      'Superseded',
      'Pruned',
    ])
      expect(r.coverage.rolloutStates.has(s), s).toBe(true);
    // Each through the reducer, by the event spec §6 names.
    expect(r.coverage.rollout.get('Active|WaveAdvanced')?.has('Converging')).toBe(true);
    expect(r.coverage.rollout.get('Active|HostStateChanged')?.has('Reverted')).toBe(true);
    expect(r.coverage.rollout.get('Terminal|RetentionExpired')).toEqual(new Set(['Pruned']));
    expect(r.violations).toEqual([]);
  });

  it('every host state is reached under both profiles once a fault is allowed', () => {
    for (const name of ['faithful', 'intent'] as const)
      expect([...cached(name).coverage.hostStates].sort(), name).toEqual([...HOST_STATES].sort());
  });
});

/**
 * Every outcome `rolloutStep` can give from a record in `state` for some event of type
 * `type`: the guards read only `to` (HostStateChanged) and `fromWave`/`toWave`
 * (WaveAdvanced), so enumerating those covers every event of the type.
 */
function possibleOutcomes(state: RolloutState, type: RolloutEvent['type']): Set<string> {
  const record = { ...openRolloutRecord('stable', 'v1', 0), state, currentWave: 1 };
  const id = record.rolloutId;
  const events: RolloutEvent[] = [];
  switch (type) {
    case 'RolloutOpened':
      events.push({ type, rolloutId: id, channel: 'stable', targetRef: 'v1', at: 0 });
      break;
    case 'HostJoined':
      for (const wave of [0, 1, 2]) events.push({ type, rolloutId: id, hostId: 'h', wave, at: 0 });
      break;
    case 'HostStateChanged':
      for (const from of HOST_STATES)
        for (const to of HOST_STATES)
          events.push({ type, rolloutId: id, hostId: 'h', from, to, at: 0 });
      break;
    case 'WaveAdvanced':
      for (const [fromWave, toWave] of [
        [1, 2],
        [1, 1],
        [1, 0],
      ] as const)
        events.push({ type, rolloutId: id, fromWave, toWave, at: 0 });
      break;
    case 'RolloutTerminal':
    case 'RetentionExpired':
      events.push({ type, rolloutId: id, at: 0 });
      break;
    case 'SuccessorOpened':
      events.push({ type, supersededRolloutId: id, successorRolloutId: 'stable@v2', at: 0 });
      break;
    case 'OperatorClearance':
      events.push({ type, rolloutId: id, operator: 'op', reason: 'r', at: 0 });
      break;
  }
  return new Set(
    events.map((e) => {
      const r = rolloutStep(record, e);
      return r.ok ? r.record.state : r.error.type;
    }),
  );
}

const ROLLOUT_ERRORS = ['IllegalForState', 'SupersessionExpected', 'Invariant', 'Unimplemented'];
const HOST_ERRORS = ['IllegalForState', 'SeqRegression', 'Invariant', 'Unimplemented'];

describe('coverage cells are real machine outcomes', () => {
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: every rollout cell agrees with rolloutStep from that state for that event`, () => {
      const r = cached(name);
      expect(r.coverage.rollout.size).toBeGreaterThan(0);
      for (const [key, outcomes] of r.coverage.rollout) {
        const [state, event, ...rest] = key.split('|');
        expect(rest, key).toEqual([]);
        expect(TABLES.rollout.states, key).toContain(state);
        expect(TABLES.rollout.events, key).toContain(event);
        const possible = possibleOutcomes(state as RolloutState, event as RolloutEvent['type']);
        expect(outcomes.size, key).toBeGreaterThan(0);
        for (const o of outcomes) expect(possible, `${key} → ${o}`).toContain(o);
        for (const o of outcomes)
          expect([...ROLLOUT_STATES, ...ROLLOUT_ERRORS], `${key} → ${o}`).toContain(o);
        // A state reached by a cell is a reached state.
        for (const o of outcomes)
          if ((ROLLOUT_STATES as readonly string[]).includes(o))
            expect(r.coverage.rolloutStates.has(o), `${key} → ${o}`).toBe(true);
        expect(r.coverage.rolloutStates.has(state as string), key).toBe(true);
      }
    });

    it(`${name}: every host cell is a host state and event, its outcomes host states or errors`, () => {
      const r = cached(name);
      expect(r.coverage.host.size).toBeGreaterThan(0);
      for (const [key, outcomes] of r.coverage.host) {
        const [state, event, ...rest] = key.split('|');
        expect(rest, key).toEqual([]);
        expect(TABLES.host.states, key).toContain(state);
        expect(HOST_EVENT_TYPES, key).toContain(event);
        expect(outcomes.size, key).toBeGreaterThan(0);
        for (const o of outcomes) {
          expect([...HOST_STATES, ...HOST_ERRORS], `${key} → ${o}`).toContain(o);
          if ((HOST_STATES as readonly string[]).includes(o))
            expect(r.coverage.hostStates.has(o), `${key} → ${o}`).toBe(true);
        }
      }
    });
  }

  it('the cells the spec table fixes', () => {
    const faithful = cached('faithful').coverage.rollout;
    const intent = cached('intent').coverage.rollout;
    expect(faithful.get('Active|RolloutTerminal')).toEqual(new Set(['Terminal']));
    for (const cells of [faithful, intent]) {
      expect(cells.get('Opening|HostJoined')).toEqual(new Set(['Active']));
      expect(cells.get('Active|SuccessorOpened')).toEqual(new Set(['Superseded']));
    }
    // faithful moves the cursor by a direct write: no WaveAdvanced ever reaches the reducer.
    expect([...faithful.keys()].filter((k) => k.endsWith('|WaveAdvanced'))).toEqual([]);
    const waveAdvanced = intent.get('Active|WaveAdvanced');
    expect(waveAdvanced).toBeDefined();
    expect(waveAdvanced?.has('Converging') || waveAdvanced?.has('Active')).toBe(true);
    // Under intent the rollout reaches Terminal from Converging.
    expect(intent.get('Converging|RolloutTerminal')).toEqual(new Set(['Terminal']));
  });

  it('host cells for the happy path', () => {
    for (const name of ['faithful', 'intent'] as const) {
      const cells = cached(name).coverage.host;
      expect(cells.get('Pending|LocalActivate'), name).toEqual(new Set(['Activating']));
      expect(cells.get('Activating|LocalActivationCompleted'), name).toEqual(new Set(['Soaking']));
      expect(cells.get('Soaking|LocalConvergedReached'), name).toEqual(new Set(['Converged']));
      expect(cells.get('Soaking|RemoteConverged'), name).toEqual(new Set(['Converged']));
    }
  });
});

/** Host-01 in wave 0, host-02 and host-03 in wave 1; `pin` puts host-02 in an inert budget. */
function threeHosts(pin: boolean): Fleet {
  const names = ['host-01', 'host-02', 'host-03'];
  return makeFleet({
    name: pin ? 'pinned' : 'symmetric',
    channels: {
      stable: {
        rollout_policy: 'default',
        initial_ref: 'v1',
        releases: [{ at_seconds: 3600, ref: 'v2' }],
      },
    },
    rollout_policies: {
      default: {
        strategy: 'staged',
        on_health_failure: 'rollback-and-halt',
        waves: [
          { hosts: ['host-01'], soak_minutes: 0 },
          { hosts: ['host-02', 'host-03'], soak_minutes: 0 },
        ],
      },
    },
    hosts: hostsOf(names, { channel: 'stable', tags: ['stable'], probes: [probe('http')] }),
    // No limit, so the gate never blocks: only the symmetry reduction sees the difference.
    disruption_budgets: pin
      ? [{ selector: 'pin', hosts: ['host-02'], max_in_flight: null, max_in_flight_pct: null }]
      : [],
  });
}

describe('symmetry reduction', () => {
  it('two interchangeable wave-1 hosts are counted once: fewer states, the same coverage', () => {
    const symmetric = run(threeHosts(false), 'intent');
    const pinned = run(threeHosts(true), 'intent');
    expect(symmetric.truncated).toBe(false);
    expect(pinned.truncated).toBe(false);
    expect(symmetric.states).toBeLessThan(pinned.states);
    expect(symmetric.transitions).toBeLessThan(pinned.transitions);
    // Swapping two hosts maps most states to a different one: close to half as many.
    expect(symmetric.states).toBeLessThan(pinned.states * 0.75);
    expect(plain(symmetric)).toEqual(plain(pinned));
    expect(symmetric.violations).toEqual([]);
    expect(pinned.violations).toEqual([]);
  });

  it('the generated 3×2 fleet is the symmetric one', () => {
    const generated = generateFleet({
      hosts: 3,
      waves: 2,
      channels: 1,
      soakMinutes: 0,
      releases: 1,
    });
    const a = run(generated, 'intent', { maxFaults: 0 });
    const b = run(threeHosts(false), 'intent', { maxFaults: 0 });
    expect(a.states).toBe(b.states);
    expect(a.states).toBeLessThan(run(threeHosts(true), 'intent', { maxFaults: 0 }).states);
  });
});

describe('bounds', () => {
  it('maxFaults 0 explores strictly fewer states than maxFaults 1, and no host fails', () => {
    for (const name of ['faithful', 'intent'] as const) {
      const none = run(small(), name, { maxFaults: 0 });
      const one = cached(name);
      expect(none.truncated).toBe(false);
      expect(none.states, name).toBeLessThan(one.states);
      expect(none.transitions, name).toBeLessThan(one.transitions);
      for (const s of ['Failed', 'Reverted', 'Deferred'])
        expect(none.coverage.hostStates.has(s), `${name}: ${s}`).toBe(false);
      expect(one.coverage.hostStates.has('Failed'), name).toBe(true);
      // Without faults every rollout that is not superseded ends Terminal.
      expect(none.coverage.rolloutStates.has('Terminal'), name).toBe(true);
      for (const s of ['Failed', 'Reverted', 'Pruned'])
        expect(none.coverage.rolloutStates.has(s), `${name}: ${s}`).toBe(false);
      expect(none.violations).toEqual([]);
    }
  });

  it('without message faults there are fewer transitions (a lost dispatch is planned again at once)', () => {
    const without = run(small(), 'intent', { messageFaults: false });
    // A lost dispatch leaves the host Pending, so the planner queues it again: the state is
    // one a delayed-then-delivered wire also reaches. Only the transitions must shrink.
    expect(without.states).toBeLessThanOrEqual(cached('intent').states);
    expect(without.transitions).toBeLessThan(cached('intent').transitions);
    expect(without.violations).toEqual([]);
  });

  it('maxStates stops the search there and says so', () => {
    const full = cached('intent');
    for (const maxStates of [2, 50, 500]) {
      const r = run(small(), 'intent', {}, maxStates);
      expect(r.truncated, String(maxStates)).toBe(true);
      expect(r.states, String(maxStates)).toBe(maxStates);
      expect(r.transitions).toBeLessThan(full.transitions);
    }
    const exact = run(small(), 'intent', {}, full.states + 1);
    expect(exact.truncated).toBe(false);
    expect(exact.states).toBe(full.states);
  });
});

describe('determinism', () => {
  it('two runs give the same counts and the same coverage', () => {
    for (const name of ['faithful', 'intent'] as const) {
      const bounds = name === 'faithful' ? { maxFaults: 0 } : {};
      const a = run(small(), name, bounds);
      const b = run(small(), name, bounds);
      expect(b.states, name).toBe(a.states);
      expect(b.transitions, name).toBe(a.transitions);
      expect(plain(b), name).toEqual(plain(a));
      expect(b.violations).toEqual(a.violations);
    }
    // The same as the cached run, made with its own fleet object.
    const again = run(small(), 'intent');
    expect(again.states).toBe(cached('intent').states);
    expect(plain(again)).toEqual(plain(cached('intent')));
  });
});
