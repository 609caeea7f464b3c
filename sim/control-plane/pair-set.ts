import { type RolloutId, rolloutChannel } from '../../machines/rollout/state.ts';
import type { HostNumbering } from './host-numbering.ts';

/**
 * A set of (rollout, host) pairs: a byte per host of the rollout's channel for each
 * rollout, the host found by its number in the channel. Key strings, or a Set of names
 * per rollout, would cost a million-host fleet 25 to 70 bytes a host.
 */
export class PairSet {
  private readonly byRollout = new Map<RolloutId, { channel: number; hosts: Uint8Array }>();
  /** Pairs of a host outside the rollout's channel (none in a simulation). */
  private readonly others = new Set<string>();

  constructor(private readonly numbering: HostNumbering) {}

  has(id: RolloutId, host: string): boolean {
    const entry = this.byRollout.get(id);
    if (entry === undefined) return false;
    const n = this.numbering.within(host, entry.channel);
    return n === undefined ? this.others.has(`${id}\u0000${host}`) : entry.hosts[n] === 1;
  }

  add(id: RolloutId, host: string): void {
    let entry = this.byRollout.get(id);
    if (entry === undefined) {
      const channel = rolloutChannel(id);
      entry = {
        channel: this.numbering.channel(channel),
        hosts: new Uint8Array(this.numbering.size(channel)),
      };
      this.byRollout.set(id, entry);
    }
    const n = this.numbering.within(host, entry.channel);
    if (n === undefined) this.others.add(`${id}\u0000${host}`);
    else entry.hosts[n] = 1;
  }
}
