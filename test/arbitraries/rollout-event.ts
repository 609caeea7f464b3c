import fc from 'fast-check';
import type { RolloutEvent, RolloutEventType } from '../../machines/rollout/event.ts';
import { hostState } from './enums.ts';
import { instant } from './instant.ts';
import { u32 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

type Of<K extends RolloutEventType> = Extract<RolloutEvent, { type: K }>;

/** One arbitrary per `RolloutEvent` variant. */
export const rolloutEventOf: { readonly [K in RolloutEventType]: fc.Arbitrary<Of<K>> } = {
  RolloutOpened: plainRecord({
    type: fc.constant('RolloutOpened'),
    rolloutId: rolloutIdText,
    channel: text,
    targetRef: text,
    at: instant,
  }),
  HostJoined: plainRecord({
    type: fc.constant('HostJoined'),
    rolloutId: rolloutIdText,
    hostId: text,
    wave: u32,
    at: instant,
  }),
  HostStateChanged: plainRecord({
    type: fc.constant('HostStateChanged'),
    rolloutId: rolloutIdText,
    hostId: text,
    from: hostState,
    to: hostState,
    at: instant,
  }),
  WaveAdvanced: plainRecord({
    type: fc.constant('WaveAdvanced'),
    rolloutId: rolloutIdText,
    fromWave: u32,
    toWave: u32,
    at: instant,
  }),
  RolloutTerminal: plainRecord({
    type: fc.constant('RolloutTerminal'),
    rolloutId: rolloutIdText,
    at: instant,
  }),
  SuccessorOpened: plainRecord({
    type: fc.constant('SuccessorOpened'),
    supersededRolloutId: rolloutIdText,
    successorRolloutId: rolloutIdText,
    at: instant,
  }),
  RetentionExpired: plainRecord({
    type: fc.constant('RetentionExpired'),
    rolloutId: rolloutIdText,
    at: instant,
  }),
  OperatorClearance: plainRecord({
    type: fc.constant('OperatorClearance'),
    rolloutId: rolloutIdText,
    operator: text,
    reason: text,
    at: instant,
  }),
};

/** Any `RolloutEvent`, every variant equally likely. */
export const rolloutEvent: fc.Arbitrary<RolloutEvent> = fc.oneof(
  ...Object.values<fc.Arbitrary<RolloutEvent>>(rolloutEventOf),
);
