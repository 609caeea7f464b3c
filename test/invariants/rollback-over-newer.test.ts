import { describe, expect, it } from 'vitest';
import { rollbackNotOverNewer } from '../../sim/invariants/rules/rollback-over-newer.ts';
import type { Profile } from '../../sim/profile.ts';
import { FAITHFUL, INTENT, play, stagedFleet, type Trace } from './support.ts';

/*
 * host.rollback-not-over-newer on hand-written traces of host a: v1's record fails and
 * reverts, v2's switch runs before or after that. Only the invariant under test watches:
 * the stories stop once the rollback is done.
 */

const fleet = stagedFleet();

type Story = (s: Trace) => void;

function judge(prof: Profile, story: Story) {
  const trace = play(fleet, prof, story, { invariants: [rollbackNotOverNewer] });
  const pick = (fs: typeof trace.checker.failures) => fs.map((f) => f.message);
  return { failures: pick(trace.checker.failures), deviations: pick(trace.checker.deviations) };
}

/** v1 activating on a when v2 is published; v2's dispatch reaches the agent at 21 s. */
function v1ThenV2(s: Trace) {
  const v1 = s.open('stable', 'v1');
  s.dispatch(v1, 'a');
  s.at(1).host(v1, 'a', 'Activating');
  const v2 = s.at(20).open('stable', 'v2');
  s.dispatch(v2, 'a');
  s.at(21).agent(v2, 'a', 'Activating');
  return { v1, v2 };
}

const OVER = "a: the rollback of stable@v1 put a-base back after stable@v2's switch to v2-a";

describe('host.rollback-not-over-newer', () => {
  it('passes: the failed activation reverts first, then the newer switch runs', () => {
    const story: Story = (s) => {
      const { v1, v2 } = v1ThenV2(s);
      s.at(60).host(v1, 'a', 'Failed');
      s.at(70).host(v1, 'a', 'Reverted');
      s.at(130).agent(v2, 'a', 'Soaking');
    };
    for (const prof of [FAITHFUL, INTENT])
      expect(judge(prof, story)).toEqual({ failures: [], deviations: [] });
  });

  it('reports a failed activation whose rollback ran after the newer switch, under every profile', () => {
    const story: Story = (s) => {
      const { v1, v2 } = v1ThenV2(s);
      s.at(60).host(v1, 'a', 'Failed');
      // The rollback waited behind v2's switch (stop33-agent-rollback-queued-last).
      s.at(120).agent(v2, 'a', 'Soaking');
      s.at(130).host(v1, 'a', 'Reverted');
    };
    for (const prof of [FAITHFUL, INTENT])
      expect(judge(prof, story)).toEqual({
        failures: [`${OVER} (stable@v2 Soaking)`],
        deviations: [],
      });
  });

  it("a superseded soak that fails after the newer switch: faithful's known deviation, an intent failure", () => {
    const story: Story = (s) => {
      const v1 = s.open('stable', 'v1');
      s.dispatch(v1, 'a');
      s.at(1).host(v1, 'a', 'Activating');
      s.at(10).host(v1, 'a', 'Soaking');
      const v2 = s.at(20).open('stable', 'v2');
      s.dispatch(v2, 'a');
      s.at(21).agent(v2, 'a', 'Activating');
      s.at(30).agent(v2, 'a', 'Soaking');
      s.at(40).agent(v2, 'a', 'Converged');
      // faithful's agent still soaks v1: its probe verdict fails it, and it rolls back.
      s.at(180).host(v1, 'a', 'Failed');
      s.at(190).host(v1, 'a', 'Reverted');
    };
    const message = `${OVER} (stable@v2 Converged)`;
    expect(judge(FAITHFUL, story)).toEqual({ failures: [], deviations: [message] });
    expect(judge(INTENT, story)).toEqual({ failures: [message], deviations: [] });
  });

  it("a deferral whose reboot fails after the newer switch: faithful's known deviation too", () => {
    // The switch lock was free once v1 deferred, so v2's switch ran; a failure that comes
    // with the reboot is no failed activation's rollback jumping the queue.
    const story: Story = (s) => {
      const { v1, v2 } = v1ThenV2(s);
      s.at(10).host(v1, 'a', 'Deferred');
      s.at(30).agent(v2, 'a', 'Soaking');
      s.at(200).host(v1, 'a', 'Failed');
      s.at(210).host(v1, 'a', 'Reverted');
    };
    const message = `${OVER} (stable@v2 Soaking)`;
    expect(judge(FAITHFUL, story)).toEqual({ failures: [], deviations: [message] });
    expect(judge(INTENT, story)).toEqual({ failures: [message], deviations: [] });
  });

  it("passes while the newer rollout's switch has not run: it runs after the revert", () => {
    const story: Story = (s) => {
      const { v1 } = v1ThenV2(s);
      s.at(60).host(v1, 'a', 'Failed');
      s.at(70).host(v1, 'a', 'Reverted');
    };
    expect(judge(INTENT, story)).toEqual({ failures: [], deviations: [] });
  });
});
