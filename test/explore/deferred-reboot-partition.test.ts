import { describe, expect, it } from 'vitest';
import { explore } from '../../sim/explore/explore.ts';
import { withFaultAlphabet } from '../../sim/explore/fault-alphabet.ts';
import { INVARIANTS } from '../../sim/invariants/index.ts';
import type { Invariant } from '../../sim/invariants/invariant.ts';
import { profile } from '../../sim/profile.ts';
import { exampleFleet } from './example-fleet.ts';

/*
 * examples/deferred-reboot-partition.yaml: a host defers while cut off and boots into the
 * change just as the network heals, its reports still unsent. With one more lost report
 * (the all alphabet's drop), the boot heartbeat meets a control plane that heard neither
 * the switch start nor the deferral: the snapshot it answers is older than the agent's
 * Deferred record, the case intent's boot-overtaken merge exists for (sim/agent/agent.ts,
 * `bootOvertook`), which no generated check case reached in 1,000 runs.
 */

const declared = exampleFleet('deferred-reboot-partition');
/** As `explore --fleet` reads it: every fault kind possible. */
const fleet = withFaultAlphabet(declared, 'all');

/** Reports an agent taking a Soaking snapshot older than its own Deferred record. */
const overtaken: Invariant = {
  id: 'test.boot-overtook-deferral',
  statement: 'no agent takes a Soaking snapshot older than its Deferred record',
  source: 'this test',
  kind: 'safety',
  create: ({ inspect }) => ({
    observe: (r) => {
      if (r.type !== 'host_transition' || r.side !== 'agent') return null;
      if (r.from !== 'Deferred' || r.to !== 'Soaking') return null;
      const local = inspect.agentHost(r.host, r.rolloutId);
      const snapshot = inspect.cpHost(r.rolloutId, r.host);
      if (local === undefined || snapshot === undefined) return null;
      return local.lastEventSeq > snapshot.lastEventSeq
        ? `agent seq ${local.lastEventSeq}, snapshot seq ${snapshot.lastEventSeq}`
        : null;
    },
  }),
};

const run = (p: 'faithful' | 'intent', maxFaults: number, extra: readonly Invariant[] = []) =>
  explore({
    fleet,
    declared,
    profile: profile(p),
    maxFaults,
    maxRuns: 10_000,
    invariants: [...INVARIANTS, ...extra],
  });

describe('explore --fleet examples/deferred-reboot-partition.yaml', () => {
  it('intent: every path with one fault of any kind is clean', () => {
    const r = run('intent', 1);
    expect(r.truncated).toBe(false);
    expect(r.violations).toEqual([]);
  });

  it('faithful: only its known deviations (the §3.12 merge; a Converged lost to a failed manifest poll, §6.17)', () => {
    const r = run('faithful', 1);
    expect(r.violations.map((v) => [v.invariant, v.deviation !== null])).toEqual([
      ['host.views-agree', true],
      ['liveness.heals', true],
      ['host.rollback-kept', true],
    ]);
    const heals = r.violations.find((v) => v.invariant === 'liveness.heals');
    expect(heals?.path.map((f) => f.what)).toEqual([
      expect.stringMatching(/^manifest of \S+ fails$/),
    ]);
  });

  it('intent: one lost report makes the boot overtake the Deferred record; none does not', () => {
    const found = (maxFaults: number) =>
      run('intent', maxFaults, [overtaken]).violations.map((v) => [
        v.invariant,
        v.path.map((f) => f.what),
      ]);
    expect(found(0)).toEqual([]);
    expect(found(1)).toEqual([['test.boot-overtook-deferral', ['drop agent_event web-01']]]);
  });
});
