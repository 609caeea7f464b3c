import type { HostEvent } from '../../machines/host/event.ts';
import type { HostRecord } from '../../machines/host/state.ts';
import type { Instant } from '../../machines/time.ts';

/**
 * `maybe_synthesize_recovery_completion` (spec §3.12): the events the control plane
 * makes up when a heartbeat says the host already runs this record's target. Activating
 * or Deferred: the completion it missed. Pending (the database was wiped): the whole
 * chain to Converged (LIFT #5), or — design intent, `recovery_stops_at_soaking` — only to
 * Soaking, leaving convergence to the agent. The seqs are the record's next ones, which
 * the agent's own events then lose (§6.18). Applied in order, each to the record as the
 * previous one left it.
 */
export function recoveryEvents(
  record: HostRecord,
  closure: string,
  now: Instant,
  stopAtSoaking: boolean,
): HostEvent[] {
  if (record.targetClosure !== closure) return [];
  const last = record.lastEventSeq;
  const completed: HostEvent = {
    type: 'RemoteActivationCompleted',
    observedCurrentClosure: closure,
    exitCode: 0,
    completedAt: now,
    seq: last + 1,
  };
  if (record.state === 'Activating' || record.state === 'Deferred') return [completed];
  if (record.state !== 'Pending') return [];
  const chain: HostEvent[] = [
    { type: 'RemoteDispatchAck', currentClosureAtDispatch: '', receivedAt: now, seq: last + 1 },
    { ...completed, seq: last + 2 },
  ];
  if (!stopAtSoaking) {
    chain.push({
      type: 'RemoteConverged',
      convergedAt: Math.max(now, record.soakDueAt ?? now),
      currentClosure: closure,
      seq: last + 3,
    });
  }
  return chain;
}
