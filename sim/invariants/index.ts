import type { Invariant } from './invariant.ts';
import { AGENT_PROGRESS_INVARIANTS } from './rules/agent-progress.ts';
import { cursorAdvancesOnTime } from './rules/cursor-progress.ts';
import { DISPATCH_INVARIANTS } from './rules/dispatch.ts';
import { dispatchCompliance } from './rules/dispatch-compliance.ts';
import { DISPATCH_PROGRESS_INVARIANTS } from './rules/dispatch-progress.ts';
import { hostChangesForwarded } from './rules/forwarding.ts';
import { HOST_INVARIANTS } from './rules/host.ts';
import { HOST_EFFECT_INVARIANTS } from './rules/host-effects.ts';
import { LIVENESS_INVARIANTS } from './rules/liveness.ts';
import { retentionOnTime } from './rules/retention.ts';
import { ROLLOUT_INVARIANTS } from './rules/rollout.ts';
import { stepsAgree } from './rules/spec-model.ts';

/** The invariant library, shared by the tests and `rollout-sim check`. */
export const INVARIANTS: readonly Invariant[] = [
  ...ROLLOUT_INVARIANTS,
  hostChangesForwarded,
  ...DISPATCH_INVARIANTS,
  dispatchCompliance,
  ...HOST_INVARIANTS,
  ...HOST_EFFECT_INVARIANTS,
  ...LIVENESS_INVARIANTS,
  ...DISPATCH_PROGRESS_INVARIANTS,
  cursorAdvancesOnTime,
  ...AGENT_PROGRESS_INVARIANTS,
  stepsAgree,
  retentionOnTime,
];

export function invariantById(id: string): Invariant | undefined {
  return INVARIANTS.find((i) => i.id === id);
}

export type {
  AgentRefusal,
  Inspect,
  Invariant,
  Monitor,
  MonitorContext,
  Violation,
} from './invariant.ts';
