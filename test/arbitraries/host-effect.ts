import fc from 'fast-check';
import type { HostEffect } from '../../machines/host/effect.ts';
import { hostState, logLevel } from './enums.ts';
import { instant } from './instant.ts';
import { finiteDouble } from './numbers.ts';
import { outboundAgentEvent } from './outbound.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

type Type = HostEffect['type'];
type Of<K extends Type> = Extract<HostEffect, { type: K }>;

const pairs = fc.array(fc.tuple(text, text), { maxLength: 3 });

/** One arbitrary per host `Effect` variant, including the four never produced. */
export const hostEffectOf: { readonly [K in Type]: fc.Arbitrary<Of<K>> } = {
  LocalFireSwitch: plainRecord({
    type: fc.constant('LocalFireSwitch'),
    rolloutId: rolloutIdText,
    target: text,
  }),
  LocalFireRollbackTo: plainRecord({
    type: fc.constant('LocalFireRollbackTo'),
    rolloutId: rolloutIdText,
    closure: text,
  }),
  LocalResetProbeCache: plainRecord({
    type: fc.constant('LocalResetProbeCache'),
    rolloutId: rolloutIdText,
  }),
  LocalEmitEvent: plainRecord({
    type: fc.constant('LocalEmitEvent'),
    rolloutId: rolloutIdText,
    payload: outboundAgentEvent,
    durable: fc.boolean(),
  }),
  RemoteQueueDispatch: plainRecord({
    type: fc.constant('RemoteQueueDispatch'),
    host: text,
    rolloutId: rolloutIdText,
    targetClosure: text,
    soakDueAt: instant,
  }),
  RemoteInsertQuarantine: plainRecord({
    type: fc.constant('RemoteInsertQuarantine'),
    channel: text,
    closure: text,
  }),
  RemoteOpenRolloutRecord: plainRecord({
    type: fc.constant('RemoteOpenRolloutRecord'),
    rolloutId: rolloutIdText,
    channel: text,
    host: text,
  }),
  RemoteAppendEventLog: plainRecord({
    type: fc.constant('RemoteAppendEventLog'),
    host: text,
    rolloutId: rolloutIdText,
    payload: outboundAgentEvent,
  }),
  RecordTransition: plainRecord({
    type: fc.constant('RecordTransition'),
    host: text,
    rolloutId: rolloutIdText,
    from: hostState,
    to: hostState,
    at: instant,
  }),
  EmitMetric: plainRecord({
    type: fc.constant('EmitMetric'),
    name: text,
    labels: pairs,
    value: finiteDouble,
  }),
  EmitLog: plainRecord({
    type: fc.constant('EmitLog'),
    level: logLevel,
    target: text,
    message: text,
    fields: pairs,
  }),
};

export const hostEffect: fc.Arbitrary<HostEffect> = fc.oneof(
  ...Object.values<fc.Arbitrary<HostEffect>>(hostEffectOf),
);
