import { type Actor, CONTROL_PLANE, RETENTION } from './actors.ts';
import type { Message, ToRetention } from './messages.ts';
import { RUN_START, type World } from './world.ts';

const HOUR = 3_600_000;

/**
 * The retention timer (spec §4.12, §6.6): once a finished rollout's retention period has
 * passed, tell the control plane. Faithful runtime sweeps hourly and deletes rows whose
 * timestamp is older than the cutoff; the intent path emits `RetentionExpired`.
 */
export class Retention implements Actor {
  constructor(private readonly world: World) {}

  receive(message: Message): void {
    const m = message as ToRetention;
    const { world } = this;
    if (m.kind === 'expire') {
      world.send(CONTROL_PLANE, { kind: 'retention_due', rolloutId: m.rolloutId });
      return;
    }
    const due = m.anchor + world.settings.retention_days * 86_400_000;
    // The hourly sweep that first sees the row older than the cutoff.
    const at = world.profile.flags.retention_expired
      ? due
      : RUN_START + (Math.floor((due - RUN_START) / HOUR) + 1) * HOUR;
    world.scheduler.schedule(at, RETENTION, { kind: 'expire', rolloutId: m.rolloutId });
  }
}
