/*
 * Corpus lines where rollout-sim knowingly answers differently from nixfleet, each with
 * its reason (README "Conformance" lists them too). The corpus suite fails if one of
 * these starts agreeing (the entry is stale) or any other line differs.
 *
 * Empty: every line agrees. The last entries (integers past 2^53 in u64 seqs and i64
 * event-log seqs) went when the contract started carrying them exactly (machines/int64.ts).
 */

/** Case name → why rollout-sim differs there. */
export const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {};
