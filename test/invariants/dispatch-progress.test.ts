import { describe, expect, it } from 'vitest';
import { newPendingHost } from '../../machines/host/state.ts';
import { rolloutId } from '../../machines/rollout/state.ts';
import { channelWaves, targetClosure } from '../../sim/fleet/fleet.ts';
import { dispatchCompliance } from '../../sim/invariants/rules/dispatch-compliance.ts';
import { dispatchWhenAllowed } from '../../sim/invariants/rules/dispatch-progress.ts';
import {
  at,
  expectPasses,
  expectViolation,
  FAITHFUL,
  INTENT,
  play,
  rollThrough,
  stagedFleet,
  stepSeen,
  type Trace,
} from './support.ts';

/*
 * progress.dispatch-when-allowed (sim/invariants/rules/dispatch-progress.ts): a planner
 * that holds a host the spec's gate stack would pass stalls the rollout without breaking
 * any safety rule. Good traces hold hosts exactly where a gate says so; bad ones hold one
 * a gate too many, the realistic way (a budget off by one, a stale compliance failure, a
 * host skipped with no gate at all).
 */

const ID = rolloutId('stable', 'v1');

/** b and c (wave 1) under one budget of `max` hosts in flight. */
const budgeted = (max: number) =>
  stagedFleet({
    budgets: [
      { selector: 'wave-1', hosts: ['b', 'c'], max_in_flight: max, max_in_flight_pct: null },
    ],
  });

/**
 * `open_rollout` as the control plane does it: the row, then a Pending record for every
 * host of the channel (spec §4.2), which is what the planner later reads.
 */
function open(s: Trace): string {
  const id = s.open('stable', 'v1');
  for (const w of channelWaves(s.fleet, 'stable'))
    for (const h of w.hosts)
      s.inspect.setCp(newPendingHost(id, h, 'stable', targetClosure(h, 'v1'), s.now, s.now));
  return id;
}

function gate(s: Trace, host: string, name: string, reason: string): void {
  s.emit({ type: 'gate', t: s.now, rolloutId: ID, host, gate: name, reason });
}

/** The first planning run after the open: a goes, the later waves wait on the cursor. */
function firstRun(s: Trace): void {
  s.at(15).dispatch(ID, 'a');
  gate(s, 'b', 'wave-promotion', 'wave 1 > current wave 0');
  gate(s, 'c', 'wave-promotion', 'wave 1 > current wave 0');
  gate(s, 'd', 'wave-promotion', 'wave 2 > current wave 0');
}

/** a converges (soak 1 min) and the planning run at 90 s moves the cursor to wave 1. */
function waveZero(s: Trace): void {
  s.at(16).host(ID, 'a', 'Activating');
  s.at(25).host(ID, 'a', 'Soaking');
  s.at(30).probe(ID, 'a', 'http', 'pass');
  s.at(85).host(ID, 'a', 'Converged');
  s.at(90).cursor(ID, 0);
}

/**
 * Under `budgeted(1)`: wave 0 done, b goes and soaks, and c waits on the budget in the
 * run that sent b.
 */
function bSoaksFirst(s: Trace): void {
  open(s);
  firstRun(s);
  waveZero(s);
  s.dispatch(ID, 'b');
  gate(s, 'c', 'disruption-budget', 'wave-1: 1 in flight, max 1');
  s.at(91).host(ID, 'b', 'Activating');
  s.at(100).host(ID, 'b', 'Soaking');
}

/** As `waveZero`, but a's probe fails once and passes again before a converges. */
function waveZeroFailsOnce(s: Trace): void {
  open(s);
  firstRun(s);
  s.at(16).host(ID, 'a', 'Activating');
  s.at(25).host(ID, 'a', 'Soaking');
  s.at(30).probe(ID, 'a', 'http', 'fail');
  s.at(45).probe(ID, 'a', 'http', 'pass');
  s.at(85).host(ID, 'a', 'Converged');
  s.at(90).cursor(ID, 0);
}

/**
 * The control plane's step of a probe result for a (passing unless said), which logs a
 * ProbeResult: shown to the checker, the run shows its steps, so the monitors keep the
 * rows themselves.
 */
function probeStep(s: Trace, status: 'pass' | 'fail' = 'pass'): void {
  const before = {
    ...newPendingHost(ID, 'a', 'stable', targetClosure('a', 'v1'), at(0), at(60)),
    state: 'Soaking' as const,
    lastEventSeq: 3,
  };
  const step = stepSeen('cp', 'a', before, {
    type: 'RemoteProbeResult',
    probeName: 'http',
    mode: 'enforce',
    status,
    observedAt: at(30),
    failureReason: status === 'fail' ? 'HTTP 500' : null,
    subResults: null,
    seq: 4,
  });
  expect(step.result.ok && step.result.effects.map((e) => e.type)).toContain(
    'RemoteAppendEventLog',
  );
  s.checker.observeHostStep(step);
}

describe('progress.dispatch-when-allowed', () => {
  it('passes: each run sends exactly the hosts the gates let through', () => {
    expectPasses(stagedFleet(), (s) => {
      open(s);
      firstRun(s);
      waveZero(s);
      s.converge(ID, ['b', 'c'], 90);
      s.at(165).cursor(ID, 1);
      s.converge(ID, 'd', 165);
      s.at(240).terminal(ID);
    });
  });

  it('passes: a budget of one holds the second wave-1 host in the run that sent the first', () => {
    expectPasses(budgeted(1), (s) => {
      // The same-run counter (D-008) has b already; c waits, then goes once b is done.
      bSoaksFirst(s);
      s.at(105).probe(ID, 'b', 'http', 'pass');
      s.at(160).host(ID, 'b', 'Converged');
      s.converge(ID, 'c', 165);
      s.at(240).cursor(ID, 1);
      s.converge(ID, 'd', 240);
      s.at(315).terminal(ID);
    });
  });

  it('passes: a whole uneventful rollout, every wave sent as soon as the cursor reaches it', () => {
    expectPasses(stagedFleet(), (s) => {
      open(s);
      rollThrough(s, ID, 15);
    });
  });

  it('reports a budget of two that holds the second host (used + 1 ≥ max, off by one)', () => {
    const { finding } = expectViolation('progress.dispatch-when-allowed', {
      fleet: budgeted(2),
      script: (s) => {
        open(s);
        firstRun(s);
        waveZero(s);
        s.dispatch(ID, 'b');
        gate(s, 'c', 'disruption-budget', 'wave-1: 2 in flight, max 2');
        s.at(91);
      },
    });
    expect(finding.message).toBe(
      'c on stable@v1 passes every gate of the spec but was not dispatched (held at disruption-budget: wave-1: 2 in flight, max 2)',
    );
    expect(finding.t).toBe(at(91));
  });

  // A probe of a failed once and passes now; the planner holds wave 1 at compliance-wave.
  const staleRow = (s: Trace) => {
    waveZeroFailsOnce(s);
    gate(s, 'b', 'compliance-wave', '1 failing enforce controls in earlier waves');
    gate(s, 'c', 'compliance-wave', '1 failing enforce controls in earlier waves');
    s.at(95);
  };

  it('passes under faithful: a control that failed once keeps holding later waves (spec §4.11, its row is never deleted)', () => {
    const trace = play(stagedFleet(), FAITHFUL, staleRow, { invariants: [dispatchWhenAllowed] });
    expect(trace.checker.failures).toEqual([]);
  });

  it('reports that hold under intent, where only the latest result counts (spec §6 item 15)', () => {
    const trace = play(stagedFleet(), INTENT, staleRow, { invariants: [dispatchWhenAllowed] });
    expect(trace.checker.failures.map((f) => f.message)).toEqual([
      'b on stable@v1 passes every gate of the spec but was not dispatched (held at compliance-wave: 1 failing enforce controls in earlier waves)',
    ]);
  });

  /** Wave 0 converges clean, and the planner holds wave 1 at compliance-wave. */
  const heldAtCompliance = (s: Trace) => {
    open(s);
    firstRun(s);
    waveZero(s);
    gate(s, 'b', 'compliance-wave', '1 failing enforce controls in earlier waves');
    gate(s, 'c', 'compliance-wave', '1 failing enforce controls in earlier waves');
    s.at(95);
  };

  it("judges faithful's compliance hold by the probe_failures rows the spec says the control plane's steps write, not by its tables", () => {
    // The tables say a's control failed (an observe-mode failure counted, say), though no
    // step logged a failing enforce result: the hold at wave 1 is the planner's mistake.
    const wrongRow = (steps: boolean) => (s: Trace) => {
      s.inspect.probeFailures.set(`${ID}\u0000a`, new Set(['http']));
      if (steps) probeStep(s);
      heldAtCompliance(s);
    };
    const live = play(stagedFleet(), FAITHFUL, wrongRow(true), {
      invariants: [dispatchWhenAllowed],
    });
    expect(live.checker.failures.map((f) => f.message)).toEqual([
      'b on stable@v1 passes every gate of the spec but was not dispatched (held at compliance-wave: 1 failing enforce controls in earlier waves)',
    ]);
    // A trace replay has no steps: the monitor reads the tables it is shown, as before.
    const replay = play(stagedFleet(), FAITHFUL, wrongRow(false), {
      invariants: [dispatchWhenAllowed],
    });
    expect(replay.checker.failures).toEqual([]);
  });

  it('reports wave 1 held at compliance-wave when no control of wave 0 ever failed', () => {
    const { finding } = expectViolation('progress.dispatch-when-allowed', {
      fleet: stagedFleet(),
      script: heldAtCompliance,
    });
    expect(finding.message).toMatch(/^b on stable@v1 passes every gate .* compliance-wave/);
  });

  // a (wave 0) and b (wave 1) share a budget of one. Under v1, b defers and c fails and
  // rolls back: v1 halts, Reverted under intent, which prunes it at once, before any
  // successor opens, so it is never superseded. b's reboot brings it back soaking v1's
  // closure; then v2 opens, and its planning run at 215 s holds a for the budget.
  const acrossWaves = stagedFleet({
    budgets: [
      { selector: 'tag:app', hosts: ['a', 'b'], max_in_flight: 1, max_in_flight_pct: null },
    ],
  });
  const V2 = rolloutId('stable', 'v2');
  const heldForPrunedRollout = (s: Trace) => {
    open(s);
    firstRun(s);
    waveZero(s);
    s.dispatch(ID, 'b').dispatch(ID, 'c');
    gate(s, 'd', 'wave-promotion', 'wave 2 > current wave 1');
    s.at(91).host(ID, 'b', 'Activating').host(ID, 'c', 'Activating');
    s.at(95).host(ID, 'b', 'Deferred');
    s.at(100).host(ID, 'c', 'Failed');
    s.at(110).host(ID, 'c', 'Reverted').prune(ID);
    s.at(170).host(ID, 'b', 'Soaking');
    s.at(175).probe(ID, 'b', 'http', 'pass');
    s.at(200).open('stable', 'v2');
    for (const w of channelWaves(s.fleet, 'stable'))
      for (const h of w.hosts)
        s.inspect.setCp(newPendingHost(V2, h, 'stable', targetClosure(h, 'v2'), s.now, s.now));
    const held = (host: string, name: string, reason: string) =>
      s.emit({ type: 'gate', t: s.now, rolloutId: V2, host, gate: name, reason });
    const planningRun = () => {
      held('a', 'disruption-budget', 'tag:app: 1 in flight, max 1');
      held('b', 'wave-promotion', 'wave 1 > current wave 0');
      held('c', 'wave-promotion', 'wave 1 > current wave 0');
      held('d', 'wave-promotion', 'wave 2 > current wave 0');
    };
    s.at(215);
    planningRun();
    return planningRun;
  };

  it('passes under intent: v2 holds a while b soaks v1, a rollout pruned before v2 opened', () => {
    // Not superseded, yet no longer current: b still works for v1, and intent counts it.
    const script = (s: Trace) => {
      heldForPrunedRollout(s);
    };
    const trace = play(acrossWaves, INTENT, script, { invariants: [dispatchWhenAllowed] });
    expect(trace.checker.failures).toEqual([]);
  });

  it('reports a still held once b is done with v1', () => {
    const { finding } = expectViolation('progress.dispatch-when-allowed', {
      fleet: acrossWaves,
      script: (s) => {
        const planningRun = heldForPrunedRollout(s);
        s.at(230).host(ID, 'b', 'Converged');
        s.at(245);
        planningRun();
        s.at(246);
      },
    });
    expect(finding.message).toBe(
      'a on stable@v2 passes every gate of the spec but was not dispatched (held at disruption-budget: tag:app: 1 in flight, max 1)',
    );
    expect(finding.t).toBe(at(246));
  });

  it('reports a host skipped without any gate record (the planner forgot it)', () => {
    const { finding } = expectViolation('progress.dispatch-when-allowed', {
      fleet: stagedFleet(),
      script: (s) => {
        open(s);
        firstRun(s);
        waveZero(s);
        s.dispatch(ID, 'b');
        s.at(91).host(ID, 'b', 'Activating');
      },
    });
    expect(finding.message).toBe(
      'c on stable@v1 passes every gate of the spec but was not dispatched',
    );
  });
});

/*
 * dispatch.compliance-wave (sim/invariants/rules/dispatch-compliance.ts), the same gate's
 * other side: a planner that lets a later wave go while an earlier one has a failing
 * enforce control, by the profile's count.
 */
describe('dispatch.compliance-wave', () => {
  /** a's probe failed once and passes now; wave 1 is sent when the cursor reaches it. */
  const sentAfterRecovery = (s: Trace) => {
    waveZeroFailsOnce(s);
    s.dispatch(ID, 'b').dispatch(ID, 'c');
  };

  it('reports wave 1 sent under faithful while a control of wave 0 that once failed still has its row (spec §4.11)', () => {
    const trace = play(stagedFleet(), FAITHFUL, sentAfterRecovery, {
      invariants: [dispatchCompliance],
    });
    expect(trace.checker.failures.map((f) => [f.message, f.t])).toEqual([
      [
        'b (wave 1) dispatched by stable@v1 while earlier waves have failing enforce controls (a 1)',
        at(90),
      ],
    ]);
  });

  it('passes the same run under intent, where only the latest result counts (spec §6 item 15)', () => {
    const trace = play(stagedFleet(), INTENT, sentAfterRecovery, {
      invariants: [dispatchCompliance],
    });
    expect(trace.checker.failures).toEqual([]);
  });

  it('reports wave 1 sent under intent while the latest result of a wave-0 probe fails', () => {
    const trace = play(
      stagedFleet(),
      INTENT,
      (s) => {
        open(s);
        firstRun(s);
        waveZero(s);
        s.at(88).probe(ID, 'a', 'http', 'fail');
        s.at(90).dispatch(ID, 'b');
      },
      { invariants: [dispatchCompliance] },
    );
    expect(trace.checker.failures.map((f) => f.message)).toEqual([
      'b (wave 1) dispatched by stable@v1 while earlier waves have failing enforce controls (a 1)',
    ]);
  });

  it('passes a host sent while a peer of its own wave has a failing control (only earlier waves count, spec §4.11)', () => {
    // b and c (wave 1) share a budget of one: b goes first, its probe fails once, and c
    // goes once b is done. Faithful's row for b stands, but b is c's own wave.
    for (const prof of [FAITHFUL, INTENT]) {
      const trace = play(
        budgeted(1),
        prof,
        (s) => {
          bSoaksFirst(s);
          s.at(105).probe(ID, 'b', 'http', 'fail');
          if (prof === FAITHFUL) s.at(110).probe(ID, 'b', 'http', 'pass');
          s.at(160).host(ID, 'b', 'Converged');
          s.at(165).dispatch(ID, 'c');
        },
        { invariants: [dispatchCompliance] },
      );
      expect(trace.checker.failures).toEqual([]);
    }
  });

  it('counts again after a step inside one planning run: a failure logged between two of its dispatches', () => {
    const trace = play(
      stagedFleet(),
      FAITHFUL,
      (s) => {
        probeStep(s);
        open(s);
        firstRun(s);
        waveZero(s);
        s.dispatch(ID, 'b');
        probeStep(s, 'fail');
        s.dispatch(ID, 'c');
      },
      { invariants: [dispatchCompliance] },
    );
    expect(trace.checker.failures.map((f) => [f.message, f.t])).toEqual([
      [
        'c (wave 1) dispatched by stable@v1 while earlier waves have failing enforce controls (a 1)',
        at(90),
      ],
    ]);
  });

  it('passes a whole uneventful rollout and a clean wave 0, under both profiles', () => {
    expectPasses(stagedFleet(), (s) => {
      open(s);
      rollThrough(s, ID, 15);
    });
  });

  it("counts faithful's rows from the control plane's steps when the run shows them, not from its tables", () => {
    // The tables hold a row no step wrote (an observe-mode failure counted, say): the
    // planner that goes by the spec's rows and sends wave 1 is right.
    const trace = play(
      stagedFleet(),
      FAITHFUL,
      (s) => {
        s.inspect.probeFailures.set(`${ID}\u0000a`, new Set(['http']));
        probeStep(s);
        open(s);
        firstRun(s);
        waveZero(s);
        s.dispatch(ID, 'b');
      },
      { invariants: [dispatchCompliance] },
    );
    expect(trace.checker.failures).toEqual([]);
  });
});
