import { compareTimestamps } from '../time.ts';
import type { HostContext } from './context.ts';
import type { HostEvent } from './event.ts';

/** The host machine's conditions, each a pure predicate; labels are what diagrams print. */
export const hostGuards = {
  /** Spec §3.7: checked before legality, so it wins over IllegalForState in every state. */
  seqRegressed: ({ record }: HostContext, event: HostEvent) => event.seq <= record.lastEventSeq,
  /** Activation failure: the policy argument (the signed manifest) decides. */
  policyRollsBack: ({ record, policy }: HostContext) =>
    policy.onHealthFailure === 'rollback-and-halt' && record.currentClosureAtDispatch !== null,
  /** Sustained failure: the policy the agent put in the event decides, not the argument. */
  eventPolicyRollsBack: ({ record }: HostContext, event: HostEvent) =>
    event.type === 'LocalSustainedFailureCrossed' &&
    event.policyApplied === 'rollback-and-halt' &&
    record.currentClosureAtDispatch !== null,
  convergedOffTarget: ({ record }: HostContext, event: HostEvent) =>
    'currentClosure' in event && event.currentClosure !== record.targetClosure,
  /** Equal counts as elapsed; no deadline means no check. */
  convergedBeforeSoak: ({ record }: HostContext, event: HostEvent) =>
    'convergedAt' in event &&
    record.soakDueAt !== null &&
    compareTimestamps(event.convergedAt, record.soakDueAt) < 0,
  /** Observe and disabled probes never gate; an empty map passes. */
  enforceProbeNotPass: ({ record }: HostContext) =>
    Object.values(record.probes).some((p) => p.mode === 'enforce' && p.status !== 'pass'),
};

export const hostGuardLabels: Record<keyof typeof hostGuards, () => string> = {
  seqRegressed: () => 'seq <= last_event_seq',
  policyRollsBack: () => 'policy == rollback-and-halt && prior closure known',
  eventPolicyRollsBack: () => 'policy_applied == rollback-and-halt && prior closure known',
  convergedOffTarget: () => 'current_closure != target_closure',
  convergedBeforeSoak: () => 'converged_at < soak_due_at',
  enforceProbeNotPass: () => 'an enforce probe is not pass',
};
