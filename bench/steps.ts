import type { HostEvent } from '../machines/host/event.ts';
import { type HostRecord, newPendingHost } from '../machines/host/state.ts';
import { hostStep, hostStepViaXState } from '../machines/host/step.ts';
import type { RolloutEvent } from '../machines/rollout/event.ts';
import { openRolloutRecord, type RolloutRecord } from '../machines/rollout/state.ts';
import { rolloutStep, rolloutStepViaXState } from '../machines/rollout/step.ts';
import { nsPerOp, row } from './measure.ts';
import { bareHost, bareRollout, hostLife, POLICY, rolloutLife, T0 } from './mix.ts';

/*
 * What one reducer step costs. The limit is a bare reducer: a hand-written switch over
 * the same event mix that builds the same new record and effect list. The compiled step
 * is what the simulator uses; XState's `transition()` is the reference it is checked
 * against.
 */

const LIVES = 2000;

function runHosts(
  step: (r: HostRecord, e: HostEvent) => { ok?: boolean; record?: HostRecord } | null,
  events: HostEvent[],
): number {
  let n = 0;
  for (let i = 0; i < LIVES; i++) {
    let record = newPendingHost('stable@a1', `h${i}`, 'stable', 'target', T0, T0 + 300_000);
    for (const e of events) {
      const r = step(record, e);
      n++;
      if (r !== null && r.ok !== false && r.record !== undefined) record = r.record;
    }
    if (record.state !== 'Converged') throw new Error('host bench did not converge');
  }
  return n;
}

function runRollouts(
  step: (r: RolloutRecord, e: RolloutEvent) => { ok?: boolean; record?: RolloutRecord } | null,
  events: RolloutEvent[],
): number {
  let n = 0;
  for (let i = 0; i < LIVES; i++) {
    let record = openRolloutRecord('stable', 'a1', T0);
    for (const e of events) {
      const r = step(record, e);
      n++;
      if (r !== null && r.ok !== false && r.record !== undefined) record = r.record;
    }
    if (record.state !== 'Terminal') throw new Error('rollout bench did not terminate');
  }
  return n;
}

export function benchSteps(print: (line: string) => void): void {
  const host = hostLife();
  const hostOps = LIVES * host.length;
  const bareH = nsPerOp(() => runHosts(bareHost, host), hostOps);
  print(`host machine (${host.length}-event agent lifecycle × ${LIVES}):`);
  print(row('bare reducer loop (the limit)', bareH, bareH));
  print(
    row(
      'hostStep (compiled from the XState machine)',
      nsPerOp(() => runHosts((r, e) => hostStep(r, e, POLICY), host), hostOps),
      bareH,
    ),
  );
  print(
    row(
      'hostStepViaXState (xstate transition())',
      nsPerOp(() => runHosts((r, e) => hostStepViaXState(r, e, POLICY), host), hostOps, 3),
      bareH,
    ),
  );

  const rollout = rolloutLife();
  const rolloutOps = LIVES * rollout.length;
  const bareR = nsPerOp(() => runRollouts(bareRollout, rollout), rolloutOps);
  print(`rollout machine (${rollout.length}-event lifecycle × ${LIVES}):`);
  print(row('bare reducer loop (the limit)', bareR, bareR));
  print(
    row(
      'rolloutStep (compiled from the XState machine)',
      nsPerOp(() => runRollouts(rolloutStep, rollout), rolloutOps),
      bareR,
    ),
  );
  print(
    row(
      'rolloutStepViaXState (xstate transition())',
      nsPerOp(() => runRollouts(rolloutStepViaXState, rollout), rolloutOps, 3),
      bareR,
    ),
  );
}
