import fc from 'fast-check';
import type { RolloutRecord } from '../../machines/rollout/state.ts';
import { rolloutState } from './enums.ts';
import { instant } from './instant.ts';
import { i64, u32 } from './numbers.ts';
import { plainRecord } from './plain-record.ts';
import { rolloutIdText, text } from './text.ts';

/** Any well-typed record, in any state; not necessarily one the lifecycle can reach. */
export const rolloutRecord: fc.Arbitrary<RolloutRecord> = plainRecord({
  rolloutId: rolloutIdText,
  channel: text,
  targetRef: text,
  state: rolloutState,
  currentWave: u32,
  openedEventLogSeq: fc.option(i64, { nil: null }),
  lastTransitionEventLogSeq: fc.option(i64, { nil: null }),
  openedAt: instant,
  terminalAt: fc.option(instant, { nil: null }),
  supersededAt: fc.option(instant, { nil: null }),
});
