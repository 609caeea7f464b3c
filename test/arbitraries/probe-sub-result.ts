import fc from 'fast-check';
import type { ProbeSubResult } from '../../machines/host/state.ts';
import { probeMode, probeStatus } from './enums.ts';
import { plainRecord } from './plain-record.ts';
import { text } from './text.ts';

export const probeSubResult: fc.Arbitrary<ProbeSubResult> = plainRecord({
  controlId: text,
  status: probeStatus,
  framework: text,
  article: fc.option(text, { nil: null }),
  effectiveMode: probeMode,
  overrideReason: fc.option(text, { nil: null }),
});
