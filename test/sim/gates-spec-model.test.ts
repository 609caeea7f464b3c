import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { HOST_STATES, type HostState, newPendingHost } from '../../machines/host/state.ts';
import { openRolloutRecord, ROLLOUT_STATES, rolloutId } from '../../machines/rollout/state.ts';
import { evaluateForDispatch, type GateView } from '../../sim/control-plane/gates.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import { PROFILES } from '../../sim/profile.ts';
import { specBlockingGate } from '../../sim/spec-model/gates.ts';
import { gateFleet } from './gate-fleet.ts';

/*
 * The control plane's gate stack (sim/control-plane/gates.ts) against the spec model's
 * (sim/spec-model/gates.ts), which progress.dispatch-when-allowed judges the planner by:
 * over random worlds, the same first blocking gate, or none. A world is the gate tests'
 * fleet (a channel without waves, a host in no wave) with random edges (a cross-channel
 * and an unknown gating host among them) and budgets (some without a limit), and random
 * answers to everything a gate reads.
 */

const HOSTS = ['s0', 's1a', 's1b', 's2', 's9', 'e1', 'e2', 'e3', 'l1'];
const CHANNELS = ['stable', 'edge', 'lab'];

const worldArb = fc.record({
  channelEdges: fc.subarray([
    { gates: 'edge', gated: 'stable', reason: null },
    { gates: 'stable', gated: 'edge', reason: null },
    { gates: 'ghost', gated: 'stable', reason: null },
  ]),
  hostEdges: fc.subarray([
    { gated: 's1b', gates: 's1a', reason: null },
    { gated: 's2', gates: 's0', reason: null },
    { gated: 's2', gates: 'e1', reason: null },
    { gated: 'e2', gates: 'e1', reason: null },
    { gated: 's1a', gates: 'ghost', reason: null },
  ]),
  budgets: fc.array(
    fc.record({
      hosts: fc.subarray(HOSTS, { minLength: 1 }),
      max: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
    }),
    { maxLength: 3 },
  ),
  intent: fc.boolean(),
  manifests: fc.dictionary(fc.constantFrom(...CHANNELS), fc.constantFrom('r1', 'r2')),
  rows: fc.dictionary(
    fc.constantFrom('edge@r1', 'edge@r2', 'stable@r1', 'stable@r2'),
    fc.option(fc.nat(100), { nil: null }),
  ),
  states: fc.dictionary(fc.constantFrom(...HOSTS), fc.constantFrom(...HOST_STATES)),
  quarantined: fc.boolean(),
  inFlight: fc.nat(3),
  failing: fc.array(fc.nat(2), { minLength: 4, maxLength: 4 }),
  counter: fc.nat(2),
  channel: fc.constantFrom(...CHANNELS),
  state: fc.constantFrom(...ROLLOUT_STATES),
  currentWave: fc.nat(3),
  host: fc.constantFrom(...HOSTS),
});

type World = typeof worldArb extends fc.Arbitrary<infer W> ? W : never;

function fleetOf(w: World): Fleet {
  return gateFleet({
    channel_edges: w.channelEdges,
    host_edges: w.hostEdges,
    disruption_budgets: w.budgets.map((b, i) => ({
      selector: `b${i}`,
      hosts: b.hosts,
      max_in_flight: b.max,
      max_in_flight_pct: null,
    })),
  });
}

function viewOf(w: World, fleet: Fleet): GateView {
  const id = rolloutId(w.channel, 'r1');
  return {
    fleet,
    flags: w.intent ? PROFILES.intent : PROFILES.faithful,
    manifestRef: (channel) => w.manifests[channel],
    row: (rid) => {
      const terminalAt = w.rows[rid];
      if (terminalAt === undefined) return undefined;
      const [channel, ref] = rid.split('@') as [string, string];
      return { ...openRolloutRecord(channel, ref, 0), terminalAt };
    },
    hostRecord: (rid, host) => {
      const state: HostState | undefined = rid === id ? w.states[host] : undefined;
      return state === undefined
        ? undefined
        : { ...newPendingHost(rid, host, w.channel, `r1-${host}`, 0, 0), state };
    },
    quarantined: () => w.quarantined,
    inFlight: () => w.inFlight,
    failingBefore: (_rid, wave) => w.failing.slice(0, wave).reduce((a, b) => a + b, 0),
    budgetCounter: () => w.counter,
  };
}

describe('the gate stack and the spec model of it', () => {
  test.prop([worldArb], { numRuns: 2000 })('block with the same first gate, or both pass', (w) => {
    const fleet = fleetOf(w);
    const view = viewOf(w, fleet);
    const rollout = {
      ...openRolloutRecord(w.channel, 'r1', 0),
      state: w.state,
      currentWave: w.currentWave,
    };
    const record = { targetClosure: `r1-${w.host}` };
    expect(specBlockingGate(view, rollout, w.host, record)).toBe(
      evaluateForDispatch(view, rollout, w.host, record)?.gate ?? null,
    );
  });
});
