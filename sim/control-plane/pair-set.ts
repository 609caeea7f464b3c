import type { RolloutId } from '../../machines/rollout/state.ts';

/**
 * A set of (rollout, host) pairs, as one set of host names per rollout: a key string
 * per pair would cost a fleet of a million hosts a string each, where the host names
 * are already there to share.
 */
export class PairSet {
  private readonly byRollout = new Map<RolloutId, Set<string>>();

  has(id: RolloutId, host: string): boolean {
    return this.byRollout.get(id)?.has(host) === true;
  }

  add(id: RolloutId, host: string): void {
    let hosts = this.byRollout.get(id);
    if (hosts === undefined) {
      hosts = new Set();
      this.byRollout.set(id, hosts);
    }
    hosts.add(host);
  }
}
