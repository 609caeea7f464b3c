import fc from 'fast-check';
import type { HostPolicy } from '../../machines/host/state.ts';
import type {
  HostStepInput,
  HostStepOutput,
  RolloutStepInput,
  RolloutStepOutput,
} from '../../src/codec/step-io.ts';
import { onHealthFailure } from './enums.ts';
import { hostEffect } from './host-effect.ts';
import { hostError } from './host-error.ts';
import { hostEvent } from './host-event.ts';
import { hostRecord } from './host-record.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutEffect } from './rollout-effect.ts';
import { rolloutError } from './rollout-error.ts';
import { rolloutEvent } from './rollout-event.ts';
import { rolloutRecord } from './rollout-record.ts';

export const hostPolicy: fc.Arbitrary<HostPolicy> = plainRecord({ onHealthFailure });

export const rolloutStepInput: fc.Arbitrary<RolloutStepInput> = plainRecord({
  record: rolloutRecord,
  event: rolloutEvent,
});

export const hostStepInput: fc.Arbitrary<HostStepInput> = plainRecord({
  host: hostRecord,
  event: hostEvent,
  policy: hostPolicy,
});

export const rolloutStepOutput: fc.Arbitrary<RolloutStepOutput> = fc.oneof(
  plainRecord({
    ok: fc.constant(true),
    record: rolloutRecord,
    effects: fc.array(rolloutEffect, { maxLength: 4 }),
  }),
  plainRecord({ ok: fc.constant(false), error: rolloutError }),
);

export const hostStepOutput: fc.Arbitrary<HostStepOutput> = fc.oneof(
  plainRecord({
    ok: fc.constant(true),
    record: hostRecord,
    effects: fc.array(hostEffect, { maxLength: 4 }),
  }),
  plainRecord({ ok: fc.constant(false), error: hostError }),
);
