import type { Instant } from '../machines/time.ts';
import { type Actor, CONTROL_PLANE, RETENTION } from './actors.ts';
import type { Message, ToRetention } from './messages.ts';
import { retentionMs } from './settings.ts';
import { RUN_START, type World } from './world.ts';

const HOUR = 3_600_000;

/**
 * The retention timer (spec §4.12, §6.6): once a finished rollout's retention period has
 * passed, tell the control plane. Faithful runtime sweeps hourly and deletes rows whose
 * timestamp is older than the cutoff; the intent path emits `RetentionExpired`.
 */
export class Retention implements Actor {
  /** Instants of the expiries on their way, so a run does not settle before one is due. */
  private readonly pending: Instant[] = [];

  constructor(private readonly world: World) {}

  /** The earliest expiry still to come, or null. */
  nextDue(): Instant | null {
    return this.pending.length === 0 ? null : Math.min(...this.pending);
  }

  receive(message: Message): void {
    const m = message as ToRetention;
    const { world } = this;
    if (m.kind === 'expire') {
      this.pending.splice(this.pending.indexOf(world.now), 1);
      // Still to come until the control plane has handled it: counted down there.
      world.scripted++;
      world.send(CONTROL_PLANE, { kind: 'retention_due', rolloutId: m.rolloutId });
      return;
    }
    const due = m.anchor + retentionMs(world.settings);
    // The hourly sweep that first sees the row older than the cutoff.
    const at = world.profile.flags.retention_expired
      ? due
      : RUN_START + (Math.floor((due - RUN_START) / HOUR) + 1) * HOUR;
    this.pending.push(at);
    world.scheduler.schedule(at, RETENTION, { kind: 'expire', rolloutId: m.rolloutId });
  }
}
