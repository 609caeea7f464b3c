import { type Actor, CONTROL_PLANE, PUBLISHER } from './actors.ts';
import type { Message, ToPublisher } from './messages.ts';
import type { World } from './world.ts';

/**
 * Channel releases: signs a new ref for a channel when its schedule says so. The control
 * plane's manifest poll picks it up; that is how rollouts open and successors supersede.
 */
export class Publisher implements Actor {
  /** Channels that already got their unscheduled successor. */
  private readonly surprised = new Set<string>();

  constructor(private readonly world: World) {}

  /** Every channel's initial ref now, then each release at its time. */
  start(): void {
    const { world } = this;
    for (const [channel, c] of Object.entries(world.fleet.channels).sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      // Signed before the control plane's first manifest poll, which is immediate.
      world.scripted++;
      world.send(CONTROL_PLANE, { kind: 'manifest_signed', channel, ref: c.initial_ref });
      for (const release of c.releases) {
        world.scripted++;
        world.send(
          PUBLISHER,
          { kind: 'publish', channel, ref: release.ref },
          release.at_seconds * 1000,
        );
      }
    }
    const successors = world.fleet.faults.successor_releases;
    if (successors !== undefined && successors.rate > 0) {
      // Not scripted input: a run that has settled does not wait for these moments, so a
      // successor lands only on a rollout still in flight or just finished (in the settle
      // window), which is where it is interesting.
      for (let i = 1; i * successors.every_seconds <= successors.until_seconds; i++) {
        world.send(
          PUBLISHER,
          { kind: 'maybe_release', index: i },
          i * successors.every_seconds * 1000,
        );
      }
    }
  }

  receive(message: Message): void {
    const m = message as ToPublisher;
    const { world } = this;
    if (m.kind === 'maybe_release') {
      const rate = world.fleet.faults.successor_releases?.rate ?? 0;
      for (const channel of Object.keys(world.fleet.channels).sort()) {
        if (this.surprised.has(channel)) continue;
        if (!world.choices.fault(() => `successor published on ${channel}`, rate)) continue;
        this.surprised.add(channel);
        const ref = `hotfix-${m.index}`;
        world.trace({
          type: 'fault',
          t: world.now,
          kind: 'successor_release',
          host: null,
          detail: `${channel} ${ref}`,
        });
        world.scripted++;
        world.send(CONTROL_PLANE, { kind: 'manifest_signed', channel, ref });
      }
      return;
    }
    // Still scripted until the control plane has it: counted down there.
    world.send(CONTROL_PLANE, { kind: 'manifest_signed', channel: m.channel, ref: m.ref });
  }
}
