import fc from 'fast-check';
import type { RolloutTransitionError } from '../../machines/rollout/error.ts';
import { rolloutEventType, rolloutState } from './enums.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

type Type = RolloutTransitionError['type'];
type Of<K extends Type> = Extract<RolloutTransitionError, { type: K }>;

/** One arbitrary per `RolloutTransitionError` variant, including the never-produced ones. */
export const rolloutErrorOf: { readonly [K in Type]: fc.Arbitrary<Of<K>> } = {
  IllegalForState: plainRecord({
    type: fc.constant('IllegalForState'),
    from: rolloutState,
    event: rolloutEventType,
    rolloutId: rolloutIdText,
  }),
  SupersessionExpected: plainRecord({
    type: fc.constant('SupersessionExpected'),
    rolloutId: rolloutIdText,
    channel: text,
  }),
  Invariant: plainRecord({ type: fc.constant('Invariant'), message: text }),
  Unimplemented: plainRecord({
    type: fc.constant('Unimplemented'),
    from: rolloutState,
    event: rolloutEventType,
  }),
};

export const rolloutError: fc.Arbitrary<RolloutTransitionError> = fc.oneof(
  ...Object.values<fc.Arbitrary<RolloutTransitionError>>(rolloutErrorOf),
);
