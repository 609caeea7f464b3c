import { entry } from '../map-entry.ts';

/**
 * Every fleet host numbered within its channel. A rollout holds only its channel's hosts,
 * so its per-host lists are as long as the channel, not the fleet: sized by the fleet,
 * 16,000 one-host channels took 16,000 lists of 16,000 entries (1 GB), and 200,000 ran
 * out of memory. One channel of a million hosts costs what it did.
 */
export class HostNumbering {
  /** Each host's channel and number within it, by its number in the fleet. */
  private readonly channelOf: Int32Array;
  private readonly local: Int32Array;
  private readonly channels = new Map<string, { readonly id: number; readonly hosts: string[] }>();

  /** `hosts`: the fleet's hosts in their fleet order; `slot` finds a host's place in it. */
  constructor(
    hosts: readonly string[],
    channelOfHost: (host: string) => string,
    private readonly slot: (host: string) => number | undefined,
  ) {
    this.channelOf = new Int32Array(hosts.length);
    this.local = new Int32Array(hosts.length);
    hosts.forEach((host, i) => {
      const c = entry(this.channels, channelOfHost(host), () => ({
        id: this.channels.size,
        hosts: [],
      }));
      this.channelOf[i] = c.id;
      this.local[i] = c.hosts.length;
      c.hosts.push(host);
    });
  }

  /** The channel's number, or -1 for one without hosts. */
  channel(name: string): number {
    return this.channels.get(name)?.id ?? -1;
  }

  /** How many hosts the channel has. */
  size(name: string): number {
    return this.hosts(name).length;
  }

  /** The channel's hosts, numbered in the fleet's order. */
  hosts(name: string): readonly string[] {
    return this.channels.get(name)?.hosts ?? [];
  }

  /** The host's number within channel number `channel`, or undefined if it is not one of its hosts. */
  within(host: string, channel: number): number | undefined {
    const i = this.slot(host);
    return i === undefined || this.channelOf[i] !== channel ? undefined : this.local[i];
  }
}
