import { describe, expect, it } from 'vitest';
import { type HostRecord, type HostState, newPendingHost } from '../../machines/host/state.ts';
import {
  openRolloutRecord,
  type RolloutId,
  type RolloutRecord,
  type RolloutState,
  rolloutId,
} from '../../machines/rollout/state.ts';
import {
  type Block,
  evaluateForDispatch,
  GATES,
  type GateView,
  hostWave,
  rolloutEvaluator,
} from '../../sim/control-plane/gates.ts';
import type { DisruptionBudget, Fleet } from '../../sim/fleet/fleet.ts';
import { PROFILES, type ProfileFlags } from '../../sim/profile.ts';
import { gateFleet } from './gate-fleet.ts';

/*
 * The planner's gate stack (spec §4.5–§4.11, and the planner-gate tests of §5.7), one
 * gate at a time, through a hand-built GateView: a pass case and a block case per gate,
 * which gate wins when several block, and the same-run budget accumulator.
 *
 * The fleet: channel `stable` (policy `staged`: wave 0 = s0, wave 1 = s1a s1b, wave 2 =
 * s2; `s9` is in no wave), channel `edge` (policy `flat`: no waves; e1 e2 e3) and
 * channel `lab` (policy `staged` too, but none of its hosts is in a wave of it).
 */

const budget = (selector: string, hosts: string[], max: number | null): DisruptionBudget => ({
  selector,
  hosts,
  max_in_flight: max,
  max_in_flight_pct: null,
});

/** A view in which nothing blocks: no manifests, no quarantine, nothing in flight or failing. */
function view(f: Fleet, overrides: Partial<GateView> = {}): GateView {
  return {
    fleet: f,
    flags: PROFILES.faithful,
    manifestRef: () => undefined,
    row: () => undefined,
    hostRecord: () => undefined,
    quarantined: () => false,
    inFlight: () => 0,
    failingBefore: () => 0,
    budgetCounter: () => 0,
    ...overrides,
  };
}

const intent: ProfileFlags = PROFILES.intent;

function rollout(
  channel: string,
  fields: { state?: RolloutState; currentWave?: number; terminalAt?: number | null } = {},
): RolloutRecord {
  return { ...openRolloutRecord(channel, 'r1', 0), state: 'Active', ...fields };
}

function pending(r: RolloutRecord, host: string, state: HostState = 'Pending'): HostRecord {
  return { ...newPendingHost(r.rolloutId, host, r.channel, `r1-${host}`, 0, 0), state };
}

/** Run the stack for `host` of `r`, building its Pending record. */
function evaluate(v: GateView, r: RolloutRecord, host: string): Block | null {
  return evaluateForDispatch(v, r, host, pending(r, host));
}

describe('the gate stack', () => {
  it('has the seven gates of spec §4.5 (the intent halt gate first)', () => {
    expect(GATES).toHaveLength(7);
  });

  it('passes a wave-0 host when nothing blocks', () => {
    expect(evaluate(view(gateFleet()), rollout('stable'), 's0')).toBeNull();
  });

  it('passes every host of a channel with no waves when nothing blocks', () => {
    const r = rollout('edge');
    for (const host of ['e1', 'e2', 'e3']) expect(evaluate(view(gateFleet()), r, host)).toBeNull();
  });
});

describe('halt (intent only, spec §6.9)', () => {
  for (const state of ['Failed', 'Reverted'] as const) {
    it(`blocks every host of a ${state} rollout under intent`, () => {
      const block = evaluate(
        view(gateFleet(), { flags: intent }),
        rollout('stable', { state }),
        's0',
      );
      expect(block).toEqual({ gate: 'halt', reason: `rollout is ${state}` });
    });

    it(`lets a ${state} rollout dispatch under faithful: only terminal_at is checked (spec §4.5)`, () => {
      expect(evaluate(view(gateFleet()), rollout('stable', { state }), 's0')).toBeNull();
    });
  }

  for (const state of ['Opening', 'Active', 'Converging'] as const) {
    it(`passes an ${state} rollout under intent`, () => {
      expect(
        evaluate(view(gateFleet(), { flags: intent }), rollout('stable', { state }), 's0'),
      ).toBeNull();
    });
  }

  it('is checked before quarantine', () => {
    const v = view(gateFleet(), { flags: intent, quarantined: () => true });
    expect(evaluate(v, rollout('stable', { state: 'Failed' }), 's0')?.gate).toBe('halt');
  });
});

describe('quarantine (spec §4.7)', () => {
  it("blocks a host whose target closure is quarantined on the rollout's channel", () => {
    const asked: [string, string][] = [];
    const v = view(gateFleet(), {
      quarantined: (channel, closure) => {
        asked.push([channel, closure]);
        return channel === 'stable' && closure === 'r1-s0';
      },
    });
    expect(evaluate(v, rollout('stable'), 's0')).toEqual({
      gate: 'quarantine',
      reason: 'closure r1-s0 is quarantined on stable',
    });
    expect(asked).toEqual([['stable', 'r1-s0']]);
  });

  it('passes a closure that is not quarantined (another closure of the channel is)', () => {
    const v = view(gateFleet(), { quarantined: (_, closure) => closure === 'r1-s1a' });
    expect(evaluate(v, rollout('stable'), 's0')).toBeNull();
  });

  it('is checked before channel edges', () => {
    const v = view(
      gateFleet({ channel_edges: [{ gates: 'edge', gated: 'stable', reason: null }] }),
      {
        quarantined: () => true,
        manifestRef: () => 'r1',
      },
    );
    expect(evaluate(v, rollout('stable'), 's0')?.gate).toBe('quarantine');
  });
});

describe('channel edges (spec §4.8)', () => {
  const edged = () =>
    gateFleet({ channel_edges: [{ gates: 'edge', gated: 'stable', reason: 'edge first' }] });
  const predecessor = (fields: Partial<RolloutRecord>): RolloutRecord => ({
    ...openRolloutRecord('edge', 'r7', 0),
    ...fields,
  });

  it('passes when the predecessor channel has no verified manifest', () => {
    const asked: string[] = [];
    const v = view(edged(), {
      manifestRef: (channel) => {
        asked.push(channel);
        return undefined;
      },
    });
    expect(evaluate(v, rollout('stable'), 's0')).toBeNull();
    expect(asked).toEqual(['edge']);
  });

  it("blocks when the predecessor's manifest exists but its rollout is not opened", () => {
    const v = view(edged(), { manifestRef: (c) => (c === 'edge' ? 'r7' : undefined) });
    expect(evaluate(v, rollout('stable'), 's0')).toEqual({
      gate: 'channel-edges',
      reason: 'edge@r7 is not opened yet',
    });
  });

  for (const state of ['Opening', 'Active', 'Converging', 'Failed', 'Reverted'] as const) {
    it(`blocks while the predecessor's current rollout is ${state} (no terminal_at)`, () => {
      const row = predecessor({ state });
      const v = view(edged(), {
        manifestRef: (c) => (c === 'edge' ? 'r7' : undefined),
        row: (id) => (id === rolloutId('edge', 'r7') ? row : undefined),
      });
      expect(evaluate(v, rollout('stable'), 's0')).toEqual({
        gate: 'channel-edges',
        reason: `edge@r7 is ${state}, not terminal`,
      });
    });
  }

  it("passes once the predecessor's current rollout has terminal_at (the D-020 regression)", () => {
    const row = predecessor({ state: 'Terminal', terminalAt: 1_000 });
    const v = view(edged(), {
      manifestRef: (c) => (c === 'edge' ? 'r7' : undefined),
      row: (id) => (id === rolloutId('edge', 'r7') ? row : undefined),
    });
    expect(evaluate(v, rollout('stable'), 's0')).toBeNull();
  });

  it('reads the row of the current manifest only: a terminal older rollout does not unblock', () => {
    const older = {
      ...openRolloutRecord('edge', 'r6', 0),
      state: 'Superseded' as const,
      terminalAt: 5,
    };
    const current = predecessor({ state: 'Active' });
    const rows = new Map<RolloutId, RolloutRecord>([
      [older.rolloutId, older],
      [current.rolloutId, current],
    ]);
    const v = view(edged(), { manifestRef: () => 'r7', row: (id) => rows.get(id) });
    expect(evaluate(v, rollout('stable'), 's0')?.gate).toBe('channel-edges');
  });

  it('ignores edges that gate another channel', () => {
    const f = gateFleet({ channel_edges: [{ gates: 'stable', gated: 'edge', reason: null }] });
    const v = view(f, { manifestRef: () => 'r7' });
    expect(evaluate(v, rollout('stable'), 's0')).toBeNull();
  });

  it('checks every edge into the channel: a satisfied first edge does not end the check', () => {
    const f = gateFleet({
      channel_edges: [
        { gates: 'lab', gated: 'stable', reason: null },
        { gates: 'edge', gated: 'stable', reason: null },
      ],
    });
    const v = view(f, { manifestRef: (c) => (c === 'edge' ? 'r7' : undefined) });
    expect(evaluate(v, rollout('stable'), 's0')?.reason).toBe('edge@r7 is not opened yet');
    const terminalLab = {
      ...openRolloutRecord('lab', 'r3', 0),
      state: 'Terminal' as const,
      terminalAt: 9,
    };
    const v2 = view(f, {
      manifestRef: (c) => (c === 'edge' ? 'r7' : 'r3'),
      row: (id) => (id === terminalLab.rolloutId ? terminalLab : undefined),
    });
    expect(evaluate(v2, rollout('stable'), 's0')?.reason).toBe('edge@r7 is not opened yet');
  });

  it('is checked before wave promotion', () => {
    const v = view(edged(), { manifestRef: () => 'r7' });
    expect(evaluate(v, rollout('stable'), 's2')?.gate).toBe('channel-edges');
  });
});

describe('wave promotion (spec §4.5)', () => {
  it('passes every host of a channel with no waves, whatever the cursor', () => {
    expect(evaluate(view(gateFleet()), rollout('edge', { currentWave: 0 }), 'e3')).toBeNull();
  });

  it('blocks a host whose wave is beyond the cursor', () => {
    expect(evaluate(view(gateFleet()), rollout('stable'), 's1a')).toEqual({
      gate: 'wave-promotion',
      reason: 'wave 1 > current wave 0',
    });
    expect(evaluate(view(gateFleet()), rollout('stable', { currentWave: 1 }), 's2')).toEqual({
      gate: 'wave-promotion',
      reason: 'wave 2 > current wave 1',
    });
  });

  it('passes a host in the current wave and in earlier waves', () => {
    const r = rollout('stable', { currentWave: 1 });
    expect(evaluate(view(gateFleet()), r, 's1a')).toBeNull();
    expect(evaluate(view(gateFleet()), r, 's1b')).toBeNull();
    expect(evaluate(view(gateFleet()), r, 's0')).toBeNull();
  });

  it('hands out one block value per (wave, cursor)', () => {
    const r = rollout('stable');
    const first = evaluate(view(gateFleet()), r, 's1a');
    expect(evaluate(view(gateFleet()), r, 's1b')).toBe(first);
    expect(evaluate(view(gateFleet()), r, 's2')).not.toEqual(first);
    expect(evaluate(view(gateFleet()), rollout('stable', { currentWave: 1 }), 's2')?.reason).toBe(
      'wave 2 > current wave 1',
    );
  });

  it('blocks a host in no wave of a channel that has waves: HostUnstaged, default deny', () => {
    expect(evaluate(view(gateFleet()), rollout('stable', { currentWave: 2 }), 's9')).toEqual({
      gate: 'wave-promotion-host-unstaged',
      reason: 's9 is in no wave of stable',
    });
    expect(evaluate(view(gateFleet()), rollout('lab'), 'l1')?.gate).toBe(
      'wave-promotion-host-unstaged',
    );
  });

  it('treats a host of another channel as unstaged in this one', () => {
    expect(evaluate(view(gateFleet()), rollout('stable', { currentWave: 2 }), 'e1')?.gate).toBe(
      'wave-promotion-host-unstaged',
    );
  });

  it('is checked before host edges', () => {
    const f = gateFleet({ host_edges: [{ gated: 's2', gates: 's0', reason: null }] });
    expect(evaluate(view(f), rollout('stable'), 's2')?.gate).toBe('wave-promotion');
  });
});

describe('hostWave', () => {
  it("is the host's wave index within its own channel, -1 elsewhere or when unstaged", () => {
    const f = gateFleet();
    expect(hostWave(f, 'stable', 's0')).toBe(0);
    expect(hostWave(f, 'stable', 's1b')).toBe(1);
    expect(hostWave(f, 'stable', 's2')).toBe(2);
    expect(hostWave(f, 'stable', 's9')).toBe(-1);
    expect(hostWave(f, 'edge', 's0')).toBe(-1);
    expect(hostWave(f, 'edge', 'e1')).toBe(-1);
    expect(hostWave(f, 'stable', 'nobody')).toBe(-1);
  });
});

describe('host edges (spec §4.9)', () => {
  const edged = (gates = 's1a') =>
    gateFleet({ host_edges: [{ gated: 's1b', gates, reason: null }] });

  function withGating(state: HostState | undefined, f = edged()) {
    const r = rollout('stable', { currentWave: 1 });
    const asked: [RolloutId, string][] = [];
    const v = view(f, {
      hostRecord: (id, host) => {
        asked.push([id, host]);
        return state === undefined || host !== 's1a' ? undefined : pending(r, host, state);
      },
    });
    return { block: evaluate(v, r, 's1b'), asked, r };
  }

  for (const state of ['Converged', 'Deferred'] as const) {
    it(`passes when the gating host is ${state} in the same rollout`, () => {
      const { block, asked, r } = withGating(state);
      expect(block).toBeNull();
      expect(asked).toEqual([[r.rolloutId, 's1a']]);
    });
  }

  for (const state of ['Pending', 'Activating', 'Soaking', 'Failed', 'Reverted'] as const) {
    it(`blocks while the gating host is ${state}`, () => {
      expect(withGating(state).block).toEqual({ gate: 'host-edge', reason: `s1a is ${state}` });
    });
  }

  it('blocks when the gating host has no record in this rollout', () => {
    expect(withGating(undefined).block).toEqual({
      gate: 'host-edge',
      reason: 's1a is not in this rollout',
    });
  });

  it('skips an edge whose gating host is on another channel, or unknown', () => {
    expect(withGating(undefined, edged('e1')).block).toBeNull();
    expect(withGating(undefined, edged('ghost')).block).toBeNull();
  });

  it('ignores edges that gate another host', () => {
    const f = gateFleet({ host_edges: [{ gated: 's1a', gates: 's0', reason: null }] });
    expect(evaluate(view(f), rollout('stable', { currentWave: 1 }), 's1b')).toBeNull();
  });

  it('checks every edge of the host: a satisfied or skipped first edge does not end the check', () => {
    const f = gateFleet({
      host_edges: [
        { gated: 's1b', gates: 'e1', reason: null },
        { gated: 's1b', gates: 's0', reason: null },
        { gated: 's1b', gates: 's1a', reason: null },
      ],
    });
    const r = rollout('stable', { currentWave: 1 });
    const v = view(f, {
      hostRecord: (_, host) => (host === 's0' ? pending(r, host, 'Converged') : undefined),
    });
    expect(evaluate(v, r, 's1b')).toEqual({
      gate: 'host-edge',
      reason: 's1a is not in this rollout',
    });
  });

  it('is checked before the disruption budget', () => {
    const f = gateFleet({
      host_edges: [{ gated: 's1b', gates: 's1a', reason: null }],
      disruption_budgets: [budget('all', ['s1b'], 0)],
    });
    expect(evaluate(view(f), rollout('stable', { currentWave: 1 }), 's1b')?.gate).toBe('host-edge');
  });
});

describe('disruption budget (spec §4.10)', () => {
  const budgeted = (...budgets: DisruptionBudget[]) => gateFleet({ disruption_budgets: budgets });

  it('passes while in-flight hosts plus this run are below the maximum', () => {
    const asked: { hosts?: readonly string[]; except?: string; selector?: string } = {};
    const v = view(budgeted(budget('edge-hosts', ['e1', 'e2', 'e3'], 3)), {
      inFlight: (hosts, except) => {
        asked.hosts = hosts;
        asked.except = except;
        return 1;
      },
      budgetCounter: (selector) => {
        asked.selector = selector;
        return 1;
      },
    });
    expect(evaluate(v, rollout('edge'), 'e2')).toBeNull();
    // The host being decided never counts against itself.
    expect(asked).toEqual({ hosts: ['e1', 'e2', 'e3'], except: 'e2', selector: 'edge-hosts' });
  });

  it('blocks once in-flight hosts plus this run reach the maximum', () => {
    const f = budgeted(budget('edge-hosts', ['e1', 'e2', 'e3'], 3));
    expect(
      evaluate(view(f, { inFlight: () => 2, budgetCounter: () => 1 }), rollout('edge'), 'e1'),
    ).toEqual({
      gate: 'disruption-budget',
      reason: 'edge-hosts: 3 in flight, max 3',
    });
    expect(evaluate(view(f, { inFlight: () => 3 }), rollout('edge'), 'e1')?.gate).toBe(
      'disruption-budget',
    );
    expect(evaluate(view(f, { budgetCounter: () => 3 }), rollout('edge'), 'e1')?.gate).toBe(
      'disruption-budget',
    );
    expect(evaluate(view(f, { inFlight: () => 5 }), rollout('edge'), 'e1')?.reason).toBe(
      'edge-hosts: 5 in flight, max 3',
    );
  });

  it('a budget of 0 blocks every host it covers', () => {
    const f = budgeted(budget('frozen', ['e2'], 0));
    expect(evaluate(view(f), rollout('edge'), 'e2')?.reason).toBe('frozen: 0 in flight, max 0');
  });

  it('ignores a budget that does not cover the host', () => {
    const f = budgeted(budget('others', ['e2', 'e3'], 1));
    expect(evaluate(view(f, { inFlight: () => 9 }), rollout('edge'), 'e1')).toBeNull();
  });

  it('never blocks with max_in_flight = None, whatever is in flight (the percentage is ignored)', () => {
    const f = budgeted({
      selector: 'pct',
      hosts: ['e1'],
      max_in_flight: null,
      max_in_flight_pct: 1,
    });
    expect(
      evaluate(view(f, { inFlight: () => 9, budgetCounter: () => 9 }), rollout('edge'), 'e1'),
    ).toBeNull();
  });

  it('checks every budget covering the host: the first with room does not end the check', () => {
    const f = budgeted(
      budget('roomy', ['e1'], 10),
      budget('pct', ['e1'], null),
      budget('tight', ['e1'], 1),
    );
    const v = view(f, { budgetCounter: (s) => (s === 'tight' ? 1 : 0) });
    expect(evaluate(v, rollout('edge'), 'e1')).toEqual({
      gate: 'disruption-budget',
      reason: 'tight: 1 in flight, max 1',
    });
  });

  it('the same-run accumulator: three Pending hosts, max 1 → one dispatch, the 2nd and 3rd held (D-008)', () => {
    // The planner's side of §4.5 step 3: each dispatch bumps the counter of every budget
    // covering the host, and the gate reads it for the next host of the run.
    const f = budgeted(budget('edge-hosts', ['e1', 'e2', 'e3'], 1));
    const counters = new Map<string, number>();
    const v = view(f, { budgetCounter: (s) => counters.get(s) ?? 0 });
    const r = rollout('edge');
    const decisions = ['e1', 'e2', 'e3'].map((host) => {
      const block = evaluate(v, r, host);
      if (block === null) {
        for (const b of f.disruption_budgets) {
          if (b.hosts.includes(host)) counters.set(b.selector, (counters.get(b.selector) ?? 0) + 1);
        }
      }
      return block?.gate ?? 'dispatch';
    });
    expect(decisions).toEqual(['dispatch', 'disruption-budget', 'disruption-budget']);
  });

  it('is checked before the compliance wave', () => {
    const f = budgeted(budget('all', ['s1a'], 1));
    const v = view(f, { inFlight: () => 1, failingBefore: () => 4 });
    expect(evaluate(v, rollout('stable', { currentWave: 1 }), 's1a')?.gate).toBe(
      'disruption-budget',
    );
  });
});

describe('compliance wave (spec §4.11)', () => {
  it('blocks a later-wave host while enforce controls fail in earlier waves', () => {
    const asked: [RolloutId, number][] = [];
    const r = rollout('stable', { currentWave: 2 });
    const v = view(gateFleet(), {
      failingBefore: (id, wave) => {
        asked.push([id, wave]);
        return 2;
      },
    });
    expect(evaluate(v, r, 's2')).toEqual({
      gate: 'compliance-wave',
      reason: '2 failing enforce controls in earlier waves',
    });
    expect(asked).toEqual([[r.rolloutId, 2]]);
    expect(evaluate(view(gateFleet(), { failingBefore: () => 1 }), r, 's1a')?.reason).toBe(
      '1 failing enforce controls in earlier waves',
    );
  });

  it('passes a later-wave host when no earlier enforce control fails', () => {
    expect(evaluate(view(gateFleet()), rollout('stable', { currentWave: 2 }), 's2')).toBeNull();
  });

  it('passes wave-0 hosts and hosts of a channel with no waves, whatever fails', () => {
    const v = view(gateFleet(), { failingBefore: () => 3 });
    expect(evaluate(v, rollout('stable', { currentWave: 2 }), 's0')).toBeNull();
    expect(evaluate(v, rollout('edge'), 'e1')).toBeNull();
  });

  it('on its own, passes a host in no wave (the wave gate holds such a host first)', () => {
    const compliance = GATES[6];
    if (compliance === undefined) throw new Error('no compliance gate');
    const r = rollout('stable', { currentWave: 2 });
    const v = view(gateFleet(), { failingBefore: () => 3 });
    expect(compliance(v, r, 's9', pending(r, 's9'))).toBeNull();
    expect(compliance(v, r, 's2', pending(r, 's2'))?.gate).toBe('compliance-wave');
  });
});

describe("the planner's per-rollout evaluator", () => {
  const hosts = ['s0', 's1a', 's1b', 's2', 's9', 'e1', 'l1', 'nobody'];
  const edged = gateFleet({
    channel_edges: [{ gates: 'edge', gated: 'stable', reason: 'edge first' }],
    host_edges: [{ gates: 's1a', gated: 's1b', reason: 'one at a time' }],
    disruption_budgets: [budget('db', ['s1a', 's1b', 's2'], 1)],
  });
  const edgeRow = { ...rollout('edge'), terminalAt: null };
  const cases: [string, GateView, RolloutRecord][] = [
    ['nothing blocks', view(gateFleet()), rollout('stable', { currentWave: 1 })],
    [
      'halted (intent)',
      view(gateFleet(), { flags: intent }),
      rollout('stable', { state: 'Failed' }),
    ],
    [
      'a closure quarantined',
      view(gateFleet(), { quarantined: (_c, closure) => closure === 'r1-s1a' }),
      rollout('stable', { currentWave: 2 }),
    ],
    [
      'a channel edge not terminal',
      view(edged, { manifestRef: () => 'r1', row: () => edgeRow }),
      rollout('stable', { currentWave: 2 }),
    ],
    [
      'a budget full and failing controls',
      view(edged, { inFlight: () => 1, failingBefore: (_id, wave) => (wave > 1 ? 2 : 0) }),
      rollout('stable', { currentWave: 2 }),
    ],
  ];
  for (const [what, v, r] of cases) {
    it(`gives the stack's block for every host: ${what}`, () => {
      const evaluate = rolloutEvaluator(v, r);
      for (const host of hosts) {
        expect(evaluate(host, pending(r, host))).toStrictEqual(
          evaluateForDispatch(v, r, host, pending(r, host)),
        );
      }
    });
  }

  it('judges the gates that read only the rollout once for all its hosts', () => {
    let asked = 0;
    const v = view(
      gateFleet({ channel_edges: [{ gates: 'edge', gated: 'stable', reason: 'edge first' }] }),
      {
        manifestRef: () => {
          asked++;
          return undefined;
        },
      },
    );
    const evaluate = rolloutEvaluator(v, rollout('stable'));
    for (const host of hosts) evaluate(host, pending(rollout('stable'), host));
    expect(asked).toBe(1);
  });
});
