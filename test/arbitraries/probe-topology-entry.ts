import type fc from 'fast-check';
import type { ProbeTopologyEntry } from '../../machines/host/state.ts';
import { probeMode } from './enums.ts';
import { plainRecord } from './plain-record.ts';
import { probeName, text } from './text.ts';

export const probeTopologyEntry: fc.Arbitrary<ProbeTopologyEntry> = plainRecord({
  probeName,
  kind: text,
  mode: probeMode,
});
