/**
 * A 64-bit integer as the wire contract carries it: the u64 seqs (`seq`,
 * `last_event_seq`, `SeqRegression`), the i64 event-log seqs of a rollout record, and the
 * u64 `sustained_duration_secs`. serde reads their whole range, JavaScript numbers are
 * exact only to 2^53, so a value past that is a `bigint`; the decoder makes one only then,
 * so every value the simulator or an ordinary input produces stays a plain number and
 * the reducers' hot path never touches a bigint.
 *
 * The reducers only copy these values and compare seqs with `<=`, which JavaScript
 * evaluates exactly across `number` and `bigint`; they never add to one. The domain types
 * take the integer type as a parameter defaulting to `number`, so the simulator keeps
 * plain numbers (and its `+ 1`) and only the contract (`src/codec`) widens to `Int64`.
 */
export type Int64 = number | bigint;
