import type { TraceRecord } from '../../../sim/trace-record.ts';

/*
 * The records `g` jumps between: injected faults, events the rollout reducer refused,
 * hosts the control plane sees fail or roll back, and rollouts that fail or revert.
 * Violations found by a checker come on top of these, as extra marks handed to the
 * replay (open.ts).
 */

export function markOf(r: TraceRecord): string | null {
  switch (r.type) {
    case 'fault':
      return `fault ${r.kind}${r.host === null ? '' : ` on ${r.host}`}`;
    case 'rollout_event':
      if (!r.result.ok) return `${r.rolloutId} refused ${r.event.type}: ${r.result.error.type}`;
      for (const e of r.result.effects) {
        if (e.type === 'RecordRolloutTransition' && (e.to === 'Failed' || e.to === 'Reverted')) {
          return `${r.rolloutId} ${e.from} → ${e.to}`;
        }
      }
      return null;
    case 'host_transition':
      return r.side === 'cp' && (r.to === 'Failed' || r.to === 'Reverted')
        ? `${r.host} ${r.from} → ${r.to}`
        : null;
    default:
      return null;
  }
}

/** Whether a record moves a rollout from one state to another (replay's "next transition"). */
export function isRolloutTransition(r: TraceRecord): boolean {
  return (
    r.type === 'rollout_event' &&
    r.result.ok &&
    r.result.effects.some((e) => e.type === 'RecordRolloutTransition')
  );
}
