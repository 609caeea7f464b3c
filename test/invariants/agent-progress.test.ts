import { describe, expect, it } from 'vitest';
import type { ProbeStatus } from '../../machines/host/state.ts';
import { rolloutId } from '../../machines/rollout/state.ts';
import { makeFleet, probeFault } from '../../sim/fleet/build.ts';
import { probe as probeDecl } from '../../sim/fleet/defaults.ts';
import { at, expectPasses, expectViolation, type Trace } from './support.ts';

/*
 * The agent's verdicts on time (sim/invariants/rules/agent-progress.ts): a sustained
 * failure is acted on by the first advance tick past its threshold, counted from the
 * FIRST failure, and an observe-mode probe neither holds a host back nor fails it.
 * Bad traces are the agent bugs that produce them: a failure clock restarted by a second
 * failure, a tick skipped, observe results counted as enforce ones.
 */

const ID = rolloutId('stable', 'v1');

/**
 * One host `a` (soak 1 min) with an enforce `http` probe and an observe `metrics` probe,
 * both set to be flaky: the traces say when they fail.
 */
const fleet = makeFleet({
  name: 'observe-test',
  channels: { stable: { rollout_policy: 'one', initial_ref: 'v1', releases: [] } },
  rollout_policies: {
    one: {
      strategy: 'staged',
      on_health_failure: 'rollback-and-halt',
      waves: [{ hosts: ['a'], soak_minutes: 1 }],
    },
  },
  hosts: {
    a: {
      channel: 'stable',
      tags: [],
      probes: [
        probeDecl('http', { interval_seconds: 15 }),
        probeDecl('metrics', { mode: 'observe', interval_seconds: 15 }),
      ],
      initial_closure: 'a-base',
    },
  },
  faults: { probes: [probeFault({ pattern: 'flaky', hosts: ['a'], refs: ['v1'] })] },
});

/**
 * A probe result on a's records, the agent's way: the first failure is kept through
 * later passes (spec §3.10), and a probe that starts failing leaves a `probe_failed`
 * fault record.
 */
function result(s: Trace, name: string, status: ProbeStatus): void {
  const before = s.inspect.agentHost('a', ID);
  const onset = status === 'fail' && before?.probes[name]?.status !== 'fail';
  s.probe(ID, 'a', name, status);
  const first = before?.probeFailureFirstAt ?? (status === 'fail' ? s.now : null);
  const agent = s.inspect.agentHost('a', ID);
  if (agent !== undefined) s.inspect.setAgent('a', { ...agent, probeFailureFirstAt: first });
  if (onset)
    s.emit({ type: 'fault', t: s.now, kind: 'probe_failed', host: 'a', detail: `${ID} ${name}` });
}

/** Open, dispatch at 0, a soaks from 10 s (soak due at 60 s), both probes pass at 15 s. */
function soak(s: Trace): void {
  s.open('stable', 'v1');
  s.dispatch(ID, 'a');
  s.at(1).host(ID, 'a', 'Activating');
  s.at(10).host(ID, 'a', 'Soaking');
  s.at(15);
  result(s, 'http', 'pass');
  result(s, 'metrics', 'pass');
}

/** http fails from 20 s on, every 15 s: the threshold (120 s) is crossed at 140 s. */
function httpFailsFrom20(s: Trace, until: number): void {
  for (let t = 20; t <= until; t += 15) result(s.at(t), 'http', 'fail');
}

/** a fails at `t`, rolls back 10 s later: the rest of a rollback-and-halt run. */
function failAndRevert(s: Trace, t: number): void {
  s.at(t).host(ID, 'a', 'Failed');
  s.at(t + 10).host(ID, 'a', 'Reverted');
}

describe('progress.sustained-failure-acted', () => {
  it('passes: a fails at the first tick past 140 s, however its ticks are phased', () => {
    for (const t of [140, 142, 145]) {
      expectPasses(fleet, (s) => {
        soak(s);
        httpFailsFrom20(s, t);
        failAndRevert(s, t);
      });
    }
  });

  it('passes: a failure that clears before the threshold holds nothing', () => {
    expectPasses(fleet, (s) => {
      soak(s);
      httpFailsFrom20(s, 35);
      result(s.at(50), 'http', 'pass');
      s.at(62).host(ID, 'a', 'Converged');
      s.at(65).terminal(ID);
    });
  });

  it('reports a failure clock restarted by a second failure (first at 20 s, failed only at 170 s)', () => {
    const { finding } = expectViolation('progress.sustained-failure-acted', {
      fleet,
      script: (s) => {
        soak(s);
        result(s.at(20), 'http', 'fail');
        result(s.at(35), 'http', 'pass');
        for (let t = 50; t <= 170; t += 15) result(s.at(t), 'http', 'fail');
        failAndRevert(s, 170);
      },
    });
    expect(finding.message).toBe(
      'a on stable@v1 went Failed only at 170 s: enforce probe http failing since 50 s, first failure at 20 s, threshold 120 s',
    );
    expect(finding.t).toBe(at(170));
  });

  it('reports a failure the agent never recorded as the first (a probe that passed, then failed)', () => {
    const { finding } = expectViolation('progress.sustained-failure-acted', {
      fleet,
      script: (s) => {
        soak(s);
        // The results, but no probe_failure_first_at: the agent's clock never started.
        for (let t = 20; t <= 290; t += 15) {
          result(s.at(t), 'http', 'fail');
          const agent = s.inspect.agentHost('a', ID);
          if (agent !== undefined) s.inspect.setAgent('a', { ...agent, probeFailureFirstAt: null });
        }
        s.at(300);
      },
    });
    // Judged from when the monitor first saw it failing: never earlier than the truth.
    expect(finding.message).toMatch(
      /^a on stable@v1 still Soaking at \d+ s: enforce probe http failing since (\d+) s, first failure at \1 s, threshold 120 s$/,
    );
  });

  it('reports a tick skipped past the threshold (ticks at 141 s, 146 s: failed at 146 s)', () => {
    const { finding } = expectViolation('progress.sustained-failure-acted', {
      fleet,
      script: (s) => {
        soak(s);
        httpFailsFrom20(s, 146);
        failAndRevert(s, 146);
      },
    });
    expect(finding.message).toMatch(/^a on stable@v1 went Failed only at 146 s/);
  });

  it('reports a host left Soaking on a failing probe for good', () => {
    const { finding } = expectViolation('progress.sustained-failure-acted', {
      fleet,
      script: (s) => {
        soak(s);
        httpFailsFrom20(s, 290);
        s.at(300);
      },
    });
    expect(finding.message).toBe(
      'a on stable@v1 still Soaking at 300 s: enforce probe http failing since 20 s, first failure at 20 s, threshold 120 s',
    );
  });
});

describe('progress.observe-never-holds', () => {
  it('passes: a converges at the first tick past its soak with metrics (observe) failing', () => {
    expectPasses(fleet, (s) => {
      soak(s);
      result(s.at(20), 'metrics', 'fail');
      s.at(62).host(ID, 'a', 'Converged');
      s.at(65).terminal(ID);
    });
  });

  it('passes: an enforce failure that clears holds a only until its next passing result', () => {
    expectPasses(fleet, (s) => {
      soak(s);
      result(s.at(20), 'metrics', 'fail');
      result(s.at(50), 'http', 'fail');
      result(s.at(80), 'http', 'pass');
      s.at(82).host(ID, 'a', 'Converged');
      s.at(85).terminal(ID);
    });
  });

  it('reports a failed on metrics alone (observe results counted as enforce ones)', () => {
    const { finding } = expectViolation('progress.observe-never-holds', {
      fleet,
      script: (s) => {
        soak(s);
        result(s.at(20), 'metrics', 'fail');
        failAndRevert(s, 142);
      },
    });
    expect(finding.message).toBe('a Failed on stable@v1 with only observe-mode metrics failing');
    expect(finding.t).toBe(at(142));
  });

  it('reports a held Soaking past its soak while metrics fails', () => {
    const { finding } = expectViolation('progress.observe-never-holds', {
      fleet,
      script: (s) => {
        soak(s);
        result(s.at(20), 'metrics', 'fail');
        s.at(300);
      },
    });
    expect(finding.message).toBe(
      'a on stable@v1 still Soaking at 300 s, ready to converge since 60 s (observe-mode metrics failing)',
    );
  });

  it('reports a converging only once metrics passes again', () => {
    const { finding } = expectViolation('progress.observe-never-holds', {
      fleet,
      script: (s) => {
        soak(s);
        result(s.at(20), 'metrics', 'fail');
        result(s.at(200), 'metrics', 'pass');
        s.at(202).host(ID, 'a', 'Converged');
        s.at(205).terminal(ID);
      },
    });
    expect(finding.message).toBe('a on stable@v1 converged only at 202 s, ready since 60 s');
  });
});
