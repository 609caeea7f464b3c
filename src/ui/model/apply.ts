import type { HostState } from '../../../machines/host/state.ts';
import { targetClosure } from '../../../sim/fleet/fleet.ts';
import type { TraceRecord } from '../../../sim/trace-record.ts';
import { CODES, codeOf, NO_RECORD, rolloutStateBit } from './codes.ts';
import { createRollout, type RolloutView, type ViewModel } from './model.ts';

/*
 * The view model's reducer: one trace record in, the model moved forward in place.
 * Mutation keeps a 10,000-host run cheap (no copy per record); replay gets its
 * immutable past from checkpoints (timeline.ts) instead. Records about rollouts or
 * hosts the model has not heard of are taken as they come, so a partial trace (or a
 * counterexample cut from the middle of a run) still shows.
 */

function rolloutOf(m: ViewModel, id: string, t: number): RolloutView {
  let r = m.byId.get(id);
  if (r === undefined) {
    const at = id.lastIndexOf('@');
    r = createRollout(m.meta, {
      id,
      channel: at < 0 ? id : id.slice(0, at),
      targetRef: at < 0 ? '' : id.slice(at + 1),
      openedAt: t,
      order: m.rollouts.length,
    });
    m.rollouts.push(r);
    m.byId.set(id, r);
  }
  return r;
}

function setCp(m: ViewModel, r: RolloutView, host: number, code: number): void {
  const row = m.meta.hostWave[host] ?? -1;
  const old = r.cp[host] ?? NO_RECORD;
  if (old === code) return;
  r.cp[host] = code;
  if (row >= 0 && m.meta.hostChannel[host] === r.channel) {
    const base = row * CODES;
    r.counts[base + old] = (r.counts[base + old] ?? 0) - 1;
    r.counts[base + code] = (r.counts[base + code] ?? 0) + 1;
  }
}

function hostTransition(
  m: ViewModel,
  r: RolloutView,
  host: number,
  side: 'cp' | 'agent',
  to: HostState,
  t: number,
): void {
  r.changedAt[host] = t;
  if (side === 'cp') {
    setCp(m, r, host, codeOf(to));
    return;
  }
  r.agent[host] = codeOf(to);
  // What the host runs: the target once its activation completes, the prior closure
  // once it rolls back (the agent's record carries neither in the trace).
  const name = m.meta.hosts[host] ?? '';
  if (to === 'Soaking' || to === 'Converged') m.closure[host] = targetClosure(name, r.targetRef);
}

export function applyRecord(m: ViewModel, record: TraceRecord): void {
  m.t = record.t;
  m.applied++;
  switch (record.type) {
    case 'rollout_opened': {
      const r = m.byId.get(record.rolloutId);
      if (r === undefined) {
        const view = createRollout(m.meta, {
          id: record.rolloutId,
          channel: record.channel,
          targetRef: record.targetRef,
          openedAt: record.t,
          order: m.rollouts.length,
        });
        m.rollouts.push(view);
        m.byId.set(view.id, view);
      }
      return;
    }
    case 'rollout_event': {
      const r = rolloutOf(m, record.rolloutId, record.t);
      const e = record.event;
      if (e.type === 'HostJoined') {
        const h = m.meta.hostIndex.get(e.hostId);
        if (h !== undefined && r.cp[h] === NO_RECORD) setCp(m, r, h, codeOf('Pending'));
      }
      if (!record.result.ok) {
        r.refused++;
        m.refusals++;
        return;
      }
      for (const effect of record.result.effects) {
        if (effect.type !== 'RecordRolloutTransition') continue;
        r.path.push({
          t: record.t,
          from: effect.from,
          to: effect.to,
          event: e.type,
          index: m.applied - 1,
        });
        r.visited |= rolloutStateBit(effect.to);
        if (effect.to === 'Terminal' && r.terminalAt === null) r.terminalAt = effect.at;
      }
      r.state = record.result.record.state;
      r.visited |= rolloutStateBit(r.state);
      r.currentWave = record.currentWave;
      return;
    }
    case 'host_transition': {
      const r = rolloutOf(m, record.rolloutId, record.t);
      const h = m.meta.hostIndex.get(record.host);
      if (h !== undefined) hostTransition(m, r, h, record.side, record.to, record.t);
      if (h !== undefined && record.side === 'agent' && record.to === 'Reverted') {
        m.closure[h] = m.meta.initialClosure[h] ?? m.closure[h] ?? null;
        // A rollback returns to what ran before this rollout's dispatch: the closure of
        // the last rollout this host converged in, else its initial closure.
        for (let i = r.order - 1; i >= 0; i--) {
          const prior = m.rollouts[i];
          if (prior !== undefined && prior.agent[h] === codeOf('Converged')) {
            m.closure[h] = targetClosure(record.host, prior.targetRef);
            break;
          }
        }
      }
      return;
    }
    case 'wave_cursor':
      rolloutOf(m, record.rolloutId, record.t).currentWave = record.to;
      return;
    case 'dispatch': {
      const r = rolloutOf(m, record.rolloutId, record.t);
      const h = m.meta.hostIndex.get(record.host);
      if (h === undefined) return;
      r.dispatchedAt[h] = record.t;
      if (r.cp[h] === NO_RECORD) setCp(m, r, h, codeOf('Pending'));
      return;
    }
    case 'gate':
      return;
    case 'fault': {
      m.faults++;
      const h = record.host === null ? undefined : m.meta.hostIndex.get(record.host);
      if (h !== undefined) m.hostFaults[h] = (m.hostFaults[h] ?? 0) + 1;
      return;
    }
    case 'end':
      m.ended = record.summary;
      return;
  }
}
