import fc from 'fast-check';
import type { RolloutEffect } from '../../machines/rollout/effect.ts';
import { rolloutState } from './enums.ts';
import { instant } from './instant.ts';
import { i64, u32 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

type Type = RolloutEffect['type'];
type Of<K extends Type> = Extract<RolloutEffect, { type: K }>;

/** One arbitrary per `RolloutEffect` variant, including the two never emitted. */
export const rolloutEffectOf: { readonly [K in Type]: fc.Arbitrary<Of<K>> } = {
  RecordRolloutTransition: plainRecord({
    type: fc.constant('RecordRolloutTransition'),
    rolloutId: rolloutIdText,
    from: rolloutState,
    to: rolloutState,
    at: instant,
  }),
  UpdateCurrentWave: plainRecord({
    type: fc.constant('UpdateCurrentWave'),
    rolloutId: rolloutIdText,
    wave: u32,
  }),
  InsertQuarantineFromRollout: plainRecord({
    type: fc.constant('InsertQuarantineFromRollout'),
    channel: text,
    closureHash: text,
  }),
  SchedulePruning: plainRecord({
    type: fc.constant('SchedulePruning'),
    rolloutId: rolloutIdText,
    delaySeconds: i64,
  }),
};

export const rolloutEffect: fc.Arbitrary<RolloutEffect> = fc.oneof(
  ...Object.values<fc.Arbitrary<RolloutEffect>>(rolloutEffectOf),
);
