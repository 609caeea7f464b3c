import type { HostEffect } from '../../../machines/host/effect.ts';
import type { HostStepResult } from '../../../machines/host/step.ts';
import type { RolloutStepResult } from '../../../machines/rollout/step.ts';
import { differingKeys, plainEqual } from '../../plain-equal.ts';
import { specAgrees, specStep } from '../../spec-model/host.ts';
import { expectedStep } from '../../spec-model/rollout.ts';
import type { Invariant } from '../invariant.ts';

/*
 * Every other monitor re-derives what it needs with the very machines the run uses, so a
 * wrong cell in machines/ passes them all: the run and its judge agree on the mistake.
 * This one judges each step against the spec model (sim/spec-model/), a re-statement of
 * the spec's tables written without the machines, the one the machine tests use too.
 */

type Outcome = HostStepResult | RolloutStepResult;

/** The short form of a step's outcome: where it went and what it emitted, or its error. */
function gist(r: Outcome): string {
  if (!r.ok) return `refused ${r.error.type}`;
  const effects = (r.effects as readonly (HostEffect | { type: string })[]).map((e) => e.type);
  return `${r.record.state} [${effects.join(', ')}]`;
}

/** Where two outcomes part: the gist when it differs, else the fields that do. */
function difference(machine: Outcome, spec: Outcome): string {
  const a = gist(machine);
  const b = gist(spec);
  if (a !== b) return `the machine says ${a}, the spec model says ${b}`;
  if (machine.ok && spec.ok) {
    const fields = differingKeys(machine.record, spec.record);
    if (fields.length > 0) return `both say ${a}, but the records differ in ${fields.join(', ')}`;
    return `both say ${a}, but the effects' payloads differ: machine ${JSON.stringify(machine.effects)}, spec model ${JSON.stringify(spec.effects)}`;
  }
  return `both refuse, with different errors: machine ${JSON.stringify(machine)}, spec model ${JSON.stringify(spec)}`;
}

export const stepsAgree: Invariant = {
  id: 'model.steps-agree',
  statement:
    'every host and rollout step a run takes equals the spec model’s answer: record, effects and their order, or the error',
  source: 'spec §1.4–§1.5 and §3.6–§3.8.1 tables, as sim/spec-model/ states them',
  kind: 'safety',
  create: ({ view }) => ({
    observe(record) {
      if (record.type !== 'rollout_event') return null;
      const before = view.rollouts.get(record.rolloutId)?.row;
      if (before === undefined) return null;
      const spec = expectedStep(before, record.event);
      if (plainEqual(spec, record.result)) return null;
      return `rollout ${record.rolloutId} ${record.event.type} in ${before.state}: ${difference(record.result, spec)}`;
    },
    hostStep({ side, host, before, event, policy, result }) {
      if (specAgrees(before, event, policy, result)) return null;
      const spec = specStep(before, event, policy);
      return `${side === 'cp' ? 'control plane' : 'agent'} ${host} ${before.rolloutId} ${event.type} in ${before.state}: ${difference(result, spec)}`;
    },
  }),
};
