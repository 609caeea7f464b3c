/**
 * A point in time as milliseconds since the Unix epoch, UTC.
 *
 * Inside the machines and the simulator time is a plain number: comparisons are
 * cheap and the virtual clock adds to it. Codecs turn it into RFC 3339 at the boundary.
 */
export type Instant = number;
