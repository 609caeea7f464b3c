import fc from 'fast-check';
import type { HostTransitionError } from '../../machines/host/error.ts';
import { hostEventType, hostState } from './enums.ts';
import { u64 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

type Type = HostTransitionError['type'];
type Of<K extends Type> = Extract<HostTransitionError, { type: K }>;

/** One arbitrary per host `TransitionError` variant, including the never-produced `Unimplemented`. */
export const hostErrorOf: { readonly [K in Type]: fc.Arbitrary<Of<K>> } = {
  IllegalForState: plainRecord({
    type: fc.constant('IllegalForState'),
    from: hostState,
    event: hostEventType,
    rolloutId: rolloutIdText,
    hostname: text,
  }),
  SeqRegression: plainRecord({
    type: fc.constant('SeqRegression'),
    got: u64,
    last: u64,
    rolloutId: rolloutIdText,
    hostname: text,
  }),
  Invariant: plainRecord({ type: fc.constant('Invariant'), message: text }),
  Unimplemented: plainRecord({
    type: fc.constant('Unimplemented'),
    from: hostState,
    event: hostEventType,
  }),
};

export const hostError: fc.Arbitrary<HostTransitionError> = fc.oneof(
  ...Object.values<fc.Arbitrary<HostTransitionError>>(hostErrorOf),
);
