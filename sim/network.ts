import type { Instant } from '../machines/time.ts';
import type { Actor } from './actors.ts';
import type { Choices } from './choice.ts';
import type { NetworkFaults } from './fleet/fleet.ts';
import type { Message, ToNetwork } from './messages.ts';
import type { TraceSink } from './trace-record.ts';

/**
 * The wire between agents and the control plane. Every crossing message gets a latency
 * drawn from the PRNG (so messages reorder), may be dropped or duplicated, and is lost
 * while its host is cut off by a partition window.
 */
export class Network implements Actor {
  constructor(
    private readonly faults: NetworkFaults,
    private readonly choices: Choices,
    private readonly schedule: (at: Instant, to: number, message: Message) => void,
    private readonly trace: TraceSink,
    private readonly start: Instant,
    private readonly onScriptDone: (opens: boolean) => void,
    private readonly outages: boolean,
  ) {}

  /** Whether a message can ever be lost: drops, partitions or control-plane outages. */
  get lossy(): boolean {
    return this.faults.drop_rate > 0 || this.faults.partitions.length > 0 || this.outages;
  }

  /** Whether `host` is cut off from the control plane at `now`. */
  partitioned(host: string, now: Instant): boolean {
    for (const p of this.faults.partitions) {
      const from = this.start + p.from_seconds * 1000;
      const to = this.start + p.to_seconds * 1000;
      if (now >= from && now < to && (p.hosts.length === 0 || p.hosts.includes(host))) return true;
    }
    return false;
  }

  /** Partition windows are cut by the PRNG-free script; they are traced as they open and close. */
  receive(message: Message): void {
    const m = message as ToNetwork;
    const p = this.faults.partitions[m.index];
    if (p === undefined) return;
    const hosts = p.hosts.length === 0 ? 'all hosts' : p.hosts.join(',');
    const now = this.start + (m.opens ? p.from_seconds : p.to_seconds) * 1000;
    this.trace({
      type: 'fault',
      t: now,
      kind: m.opens ? 'partition_start' : 'partition_end',
      host: null,
      detail: hosts,
    });
    this.onScriptDone(m.opens);
  }

  send(now: Instant, host: string, to: number, message: Message): void {
    if (this.faults.partitions.length > 0 && this.partitioned(host, now)) return;
    if (this.choices.fault(() => `drop ${message.kind} ${host}`, this.faults.drop_rate)) {
      this.trace({ type: 'fault', t: now, kind: 'drop', host, detail: message.kind });
      return;
    }
    this.schedule(now + this.latency(host, message), to, message);
    if (this.choices.fault(() => `duplicate ${message.kind} ${host}`, this.faults.duplicate_rate)) {
      this.trace({ type: 'fault', t: now, kind: 'duplicate', host, detail: message.kind });
      this.schedule(now + this.latency(host, message), to, message);
    }
  }

  private latency(host: string, message: Message): number {
    const [min, max] = this.faults.latency_ms;
    return this.choices.delay(() => `delay ${message.kind} ${host}`, min, max, true);
  }
}
