/*
 * Corpus lines where rollout-sim knowingly answers differently from nixfleet, each with
 * its reason (README "Conformance" lists them too). The corpus suite fails if one of
 * these starts agreeing (the entry is stale) or any other line differs.
 */

const BEYOND_2_53 =
  'integers past 2^53 (u64 seqs, i64 event-log seqs): the domain types carry seqs as ' +
  'JavaScript numbers, exact only up to 2^53, so rollout-sim refuses larger ones with ' +
  'InvalidInput instead of rounding them; serde reads the full u64/i64 range';

/** Case name → why rollout-sim differs there. */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  'seq=2^53': BEYOND_2_53,
  'last_event_seq=2^53': BEYOND_2_53,
  'seq=2^53+1': BEYOND_2_53,
  'last_event_seq=2^53+1': BEYOND_2_53,
  'seq=2^64-1': BEYOND_2_53,
  'last_event_seq=2^64-1': BEYOND_2_53,
  'opened_event_log_seq=2^53': BEYOND_2_53,
  'opened_event_log_seq=2^63-1': BEYOND_2_53,
  'opened_event_log_seq=-2^63': BEYOND_2_53,
};
