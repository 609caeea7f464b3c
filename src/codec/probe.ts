import type { ProbeRecord, ProbeSubResult, ProbeTopologyEntry } from '../../machines/host/state.ts';
import type { Timestamp } from '../../machines/time.ts';
import { type Codec, nullable, skippedWhenNone, string, withDefault } from './codec.ts';
import { probeMode, probeStatus } from './enums.ts';
import { struct } from './struct.ts';
import { timestamp } from './timestamp.ts';

/** `ProbeRecord`, spec §3.3; `mode` defaults to `enforce` when missing (older state). */
export const probeRecord: Codec<ProbeRecord<Timestamp>> = struct({
  status: probeStatus,
  mode: withDefault(probeMode, 'enforce'),
  lastObservedAt: timestamp,
  lastPassAt: nullable(timestamp),
  failureReason: nullable(string),
});

/** `ProbeSubResult`, spec §3.3; `effective_mode` defaults to `enforce` when missing. */
export const probeSubResult: Codec<ProbeSubResult> = struct({
  controlId: string,
  status: probeStatus,
  framework: string,
  article: nullable(string),
  effectiveMode: withDefault(probeMode, 'enforce'),
  /**
   * The one `skip_serializing_if` field of the step contract at 080d6cd
   * (`nixfleet-state-machine/src/state.rs`; the README's Conformance section lists the
   * search).
   */
  overrideReason: skippedWhenNone(string),
});

/** `ProbeTopologyEntry`, spec §3.3. */
export const probeTopologyEntry: Codec<ProbeTopologyEntry> = struct({
  probeName: string,
  kind: string,
  mode: probeMode,
});
