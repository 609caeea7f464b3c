import type { HostRecord } from '../../../machines/host/state.ts';
import type { RolloutId } from '../../../machines/rollout/state.ts';
import type { HostStepSeen } from '../../world.ts';

/*
 * The compliance gate's count (spec §4.11) as the spec defines it, for the monitors that
 * judge the gate both ways: held too long (`progress.dispatch-when-allowed`) and let
 * through too early (`dispatch.compliance-wave`).
 */

/** The key of a (rollout, host) pair in the rows below. */
export const controlKey = (id: RolloutId, host: string) => `${id}\u0000${host}`;

/** The host of a `controlKey`. */
export const hostOfKey = (key: string) => key.slice(key.indexOf('\u0000') + 1);

/**
 * The control plane's probe_failures rows as the spec says they are written (§4.11), from
 * its steps: a row per failing enforce control of a ProbeResult it logs, or for the probe
 * itself when it reports no controls. Rebuilt here rather than read from its tables, so a
 * mistake in writing them (an observe-mode failure counted) is seen.
 */
export type ControlRows = Map<string, Set<string>>;

export function noteProbeFailures(rows: ControlRows, step: HostStepSeen): void {
  if (step.side !== 'cp' || !step.result.ok) return;
  for (const effect of step.result.effects) {
    if (effect.type !== 'RemoteAppendEventLog' || effect.payload.type !== 'ProbeResult') continue;
    const p = effect.payload;
    const failed: string[] = [];
    if (p.subResults !== null) {
      for (const c of p.subResults)
        if (c.effectiveMode === 'enforce' && c.status === 'fail') failed.push(c.controlId);
    } else if (p.mode === 'enforce' && p.status === 'fail') failed.push(p.probeName);
    if (failed.length === 0) continue;
    const k = controlKey(step.before.rolloutId, step.host);
    let controls = rows.get(k);
    if (controls === undefined) {
      controls = new Set();
      rows.set(k, controls);
    }
    for (const c of failed) controls.add(c);
  }
}

/** The failing enforce probes on a host's record: the latest result of each (spec §4.11). */
export function failingEnforce(r: HostRecord | undefined): number {
  if (r === undefined) return 0;
  let n = 0;
  for (const p of Object.values(r.probes)) if (p.mode === 'enforce' && p.status === 'fail') n++;
  return n;
}
