import type { RolloutId } from '../../machines/rollout/state.ts';

/**
 * A set of (rollout, host) pairs: a byte per host of the fleet for each rollout, the
 * host found by its number in the fleet. Key strings, or a Set of names per rollout,
 * would cost a million-host fleet 25 to 70 bytes a host.
 */
export class PairSet {
  private readonly byRollout = new Map<RolloutId, Uint8Array>();

  constructor(
    private readonly hostIndex: (host: string) => number,
    private readonly fleetSize: number,
  ) {}

  has(id: RolloutId, host: string): boolean {
    return this.byRollout.get(id)?.[this.hostIndex(host)] === 1;
  }

  add(id: RolloutId, host: string): void {
    let hosts = this.byRollout.get(id);
    if (hosts === undefined) {
      hosts = new Uint8Array(this.fleetSize);
      this.byRollout.set(id, hosts);
    }
    hosts[this.hostIndex(host)] = 1;
  }
}
