import type { HostEvent, HostEventType } from '../../machines/host/event.ts';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import type { HostPolicy, HostRecord } from '../../machines/host/state.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import type { RolloutEvent, RolloutEventType } from '../../machines/rollout/event.ts';
import { ROLLOUT_EVENT_TYPES } from '../../machines/rollout/event.ts';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { RUN_START } from '../../sim/world.ts';
import { hostEventOf, rolloutEventOf } from '../ui/explorer/events.ts';

/*
 * A record with no prior closure (recovery synthesis builds those) is never reached by
 * events: every way out of Pending records the closure the event carries, so the
 * "prior closure unknown" branches are not generated here.
 *
 * Event generators for path search: for a record and an event type, the events whose
 * field values reach each branch of that cell's guards (WaveAdvanced to >, =, < from;
 * HostStateChanged to each host state; seq above or at last; converge before or after
 * soak, on or off target; probes passing or failing). `requires` says what the record
 * must hold for the variant to mean what its label says (e.g. an enforce probe failing);
 * the search looks for the shortest path to a record that satisfies it.
 */

export interface Variant<R, E> {
  readonly label: string;
  readonly event: E;
  readonly requires?: (record: R) => boolean;
  /** Refusal-only variants (a regressed seq) are not worth walking through. */
  readonly refusal?: boolean;
}

const MINUTE = 60_000;
/** The rollout record has no counter, so its events share one instant. */
const ROLLOUT_NOW = RUN_START + 60 * MINUTE;

export function rolloutVariants(
  type: RolloutEventType,
  r: RolloutRecord,
): Variant<RolloutRecord, RolloutEvent>[] {
  const base = rolloutEventOf(type, r, ROLLOUT_NOW);
  if (base.type === 'HostStateChanged') {
    return HOST_STATES.map((to) => ({ label: `to ${to}`, event: { ...base, to } }));
  }
  if (base.type === 'WaveAdvanced') {
    const from = r.currentWave;
    return [
      { label: 'to_wave > from_wave', event: { ...base, fromWave: from, toWave: from + 1 } },
      { label: 'to_wave = from_wave', event: { ...base, fromWave: from, toWave: from } },
      {
        label: 'to_wave < from_wave',
        event: { ...base, fromWave: from + 1, toWave: from },
      },
    ];
  }
  return [{ label: type, event: base }];
}

export function allRolloutVariants(r: RolloutRecord): Variant<RolloutRecord, RolloutEvent>[] {
  return ROLLOUT_EVENT_TYPES.flatMap((type) => rolloutVariants(type, r));
}

/** Host events are stamped a minute per seq, so soak (5 minutes after dispatch) passes on its own. */
export function hostNow(h: HostRecord): number {
  return RUN_START + (h.lastEventSeq + 1) * MINUTE;
}

const enforceNotPass = (h: HostRecord) =>
  Object.values(h.probes).some((p) => p.mode === 'enforce' && p.status !== 'pass');
const priorKnown = (h: HostRecord) => h.currentClosureAtDispatch !== null;

export function hostVariants(
  type: HostEventType,
  h: HostRecord,
  policy: HostPolicy,
): Variant<HostRecord, HostEvent>[] {
  const base = hostEventOf(type, h, policy, hostNow(h));
  const regressed: Variant<HostRecord, HostEvent> = {
    label: 'seq <= last_event_seq',
    event: { ...base, seq: h.lastEventSeq },
    refusal: true,
  };
  const next = (label: string, event: HostEvent, requires?: (r: HostRecord) => boolean) => ({
    label,
    event,
    ...(requires === undefined ? {} : { requires }),
  });
  switch (base.type) {
    case 'LocalActivate':
    case 'RemoteDispatchAck':
      return [next('next seq', base), regressed];
    case 'LocalActivationFailed':
      return [next('next seq', base), regressed];
    case 'LocalSustainedFailureCrossed':
    case 'RemoteFailed':
      return [
        next('policy_applied halt', { ...base, policyApplied: 'halt' }),
        next(
          'policy_applied rollback-and-halt',
          { ...base, policyApplied: 'rollback-and-halt' },
          priorKnown,
        ),
        regressed,
      ];
    case 'LocalProbeResult':
    case 'RemoteProbeResult':
      return [
        next('status pass', base),
        next('status fail', { ...base, status: 'fail', failureReason: 'HTTP 503' }),
        regressed,
      ];
    case 'LocalConvergedReached':
    case 'RemoteConverged': {
      const due = h.soakDueAt ?? hostNow(h);
      return [
        next('after soak, on target, probes passing', base, (r) => !enforceNotPass(r)),
        next('current_closure != target_closure', { ...base, currentClosure: 'off-target' }),
        next(
          'converged_at < soak_due_at',
          { ...base, convergedAt: due - 1 },
          (r) => r.soakDueAt !== null,
        ),
        next(
          'converged_at = soak_due_at',
          { ...base, convergedAt: due },
          (r) => !enforceNotPass(r),
        ),
        next('an enforce probe failing', base, enforceNotPass),
        regressed,
      ];
    }
    default:
      return [next(`next seq`, base), regressed];
  }
}

export function allHostVariants(
  h: HostRecord,
  policy: HostPolicy,
): Variant<HostRecord, HostEvent>[] {
  return HOST_EVENT_TYPES.flatMap((type) => hostVariants(type, h, policy));
}
