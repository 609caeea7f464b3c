import { HOST_STATES, type HostState } from '../../machines/host/state.ts';
import type { Fleet } from '../../sim/fleet/fleet.ts';
import type { RunSummary } from '../../sim/summary.ts';
import type { TraceRecord } from '../../sim/trace-record.ts';

/** The rows the report's charts plot, in seconds since the run's start. */
export interface TraceData {
  readonly rolloutStates: { rollout: string; state: string; start: number; end: number }[];
  /** `order`: the state's place in the host machine, so every panel stacks them alike. */
  readonly waveStates: { panel: string; t: number; state: string; order: number; hosts: number }[];
  readonly gateHolds: { t: number; gate: string; hosts: number }[];
  readonly faults: { t: number; kind: string; host: string; detail: string }[];
  /** Rollout-machine transitions the run took (`from|to`), and host-machine cells (`from|event|to`). */
  readonly rolloutReached: Set<string>;
  readonly hostReached: Set<string>;
  readonly end: number;
  readonly summary: RunSummary | null;
}

const SAMPLES = 120;

/**
 * Folds a trace into chart rows. Host and gate counts are sampled at `SAMPLES` evenly
 * spaced instants, which keeps a 10k-host trace's page small while still showing every
 * phase of a rollout that lasts more than 1/120 of the run.
 */
export function traceData(fleet: Fleet, start: number, records: readonly TraceRecord[]): TraceData {
  const sec = (t: number) => (t - start) / 1000;
  const last = records.at(-1);
  const end = Math.max(1, last === undefined ? 0 : sec(last.t));
  const step = end / SAMPLES;
  const waveOf = new Map<string, number>();
  for (const [, ch] of Object.entries(fleet.channels)) {
    const policy = fleet.rollout_policies[ch.rollout_policy];
    policy?.waves.forEach((w, i) => {
      for (const h of w.hosts) waveOf.set(h, i);
    });
  }
  const rolloutStates: TraceData['rolloutStates'] = [];
  const open = new Map<string, { state: string; start: number }>();
  const hostState = new Map<string, HostState>();
  const held = new Map<string, string>();
  const waveStates: TraceData['waveStates'] = [];
  const gateHolds: TraceData['gateHolds'] = [];
  const faults: TraceData['faults'] = [];
  const rolloutReached = new Set<string>();
  const hostReached = new Set<string>();
  let summary: RunSummary | null = null;
  let nextSample = 0;

  const sample = (t: number) => {
    const counts = new Map<string, number>();
    for (const [key, state] of hostState) {
      const [rollout, host] = key.split(' ') as [string, string];
      const k = `${rollout} · wave ${waveOf.get(host) ?? '?'}\u0000${state}`;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    for (const [k, n] of counts) {
      const [panel, state] = k.split('\u0000') as [string, string];
      waveStates.push({
        panel,
        t,
        state,
        order: HOST_STATES.indexOf(state as HostState),
        hosts: n,
      });
    }
    const gates = new Map<string, number>();
    for (const g of held.values()) gates.set(g, (gates.get(g) ?? 0) + 1);
    for (const [gate, n] of gates) gateHolds.push({ t, gate, hosts: n });
  };

  for (const r of records) {
    const t = sec(r.t);
    while (nextSample <= t && nextSample <= end) {
      sample(nextSample);
      nextSample += step;
    }
    switch (r.type) {
      case 'rollout_opened':
        open.set(r.rolloutId, { state: 'Opening', start: t });
        break;
      case 'rollout_event': {
        if (!r.result.ok) break;
        const cur = open.get(r.rolloutId);
        const next = r.result.record.state;
        if (cur !== undefined && cur.state !== next) {
          rolloutStates.push({ rollout: r.rolloutId, state: cur.state, start: cur.start, end: t });
          rolloutReached.add(`${cur.state}|${next}`);
          open.set(r.rolloutId, { state: next, start: t });
        }
        break;
      }
      case 'host_transition':
        hostReached.add(`${r.from}|${r.event}|${r.to}`);
        if (r.side === 'cp') {
          hostState.set(`${r.rolloutId} ${r.host}`, r.to);
          if (r.to !== 'Pending') held.delete(`${r.rolloutId} ${r.host}`);
        }
        break;
      case 'gate':
        held.set(`${r.rolloutId} ${r.host}`, r.gate);
        if (!hostState.has(`${r.rolloutId} ${r.host}`))
          hostState.set(`${r.rolloutId} ${r.host}`, 'Pending');
        break;
      case 'dispatch':
        held.delete(`${r.rolloutId} ${r.host}`);
        if (!hostState.has(`${r.rolloutId} ${r.host}`))
          hostState.set(`${r.rolloutId} ${r.host}`, 'Pending');
        break;
      case 'fault':
        faults.push({ t, kind: r.kind, host: r.host ?? '', detail: r.detail });
        break;
      case 'end':
        summary = r.summary;
        break;
    }
  }
  while (nextSample <= end) {
    sample(nextSample);
    nextSample += step;
  }
  for (const [rollout, cur] of open)
    rolloutStates.push({ rollout, state: cur.state, start: cur.start, end });
  return {
    rolloutStates,
    waveStates,
    gateHolds,
    faults,
    rolloutReached,
    hostReached,
    end,
    summary,
  };
}
