import type { Invariant } from './invariant.ts';
import { AGENT_PROGRESS_INVARIANTS } from './rules/agent-progress.ts';
import { cursorAdvancesOnTime } from './rules/cursor-progress.ts';
import { DISPATCH_INVARIANTS } from './rules/dispatch.ts';
import { dispatchCompliance } from './rules/dispatch-compliance.ts';
import { DISPATCH_PROGRESS_INVARIANTS } from './rules/dispatch-progress.ts';
import { eventsAsSent } from './rules/events-as-sent.ts';
import { hostChangesForwarded } from './rules/forwarding.ts';
import { HOST_INVARIANTS } from './rules/host.ts';
import { HOST_EFFECT_INVARIANTS } from './rules/host-effects.ts';
import { LIVENESS_INVARIANTS } from './rules/liveness.ts';
import { retentionOnTime } from './rules/retention.ts';
import { rollbackNotOverNewer } from './rules/rollback-over-newer.ts';
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
  rollbackNotOverNewer,
  eventsAsSent,
  ...LIVENESS_INVARIANTS,
  ...DISPATCH_PROGRESS_INVARIANTS,
  cursorAdvancesOnTime,
  ...AGENT_PROGRESS_INVARIANTS,
  stepsAgree,
  retentionOnTime,
];

/**
 * The invariants a run must watch to judge `chosen`: those that end the judging come too.
 * Without them a chosen one goes on past the point where no monitor can follow the run
 * (`check --invariant host.seq-grows` failed a faithful run whose rollout id was opened
 * again, its new records taken for the old ones going back). Their findings are reported
 * with the rest: they say where the judging stopped.
 */
export function judgeable(chosen: readonly Invariant[]): readonly Invariant[] {
  const missing = INVARIANTS.filter((i) => i.endsJudgement === true && !chosen.includes(i));
  return missing.length === 0 ? chosen : [...chosen, ...missing];
}

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
