import fc from 'fast-check';
import type { ProbeRecord } from '../../machines/host/state.ts';
import { probeMode, probeStatus } from './enums.ts';
import { instant } from './instant.ts';
import { plainRecord } from './plain-record.ts';
import { text } from './text.ts';

export const probeRecord: fc.Arbitrary<ProbeRecord> = plainRecord({
  status: probeStatus,
  mode: probeMode,
  lastObservedAt: instant,
  lastPassAt: fc.option(instant, { nil: null }),
  failureReason: fc.option(text, { nil: null }),
});
