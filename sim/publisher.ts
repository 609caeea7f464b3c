import { type Actor, CONTROL_PLANE, PUBLISHER } from './actors.ts';
import type { Message, ToPublisher } from './messages.ts';
import type { World } from './world.ts';

/**
 * Channel releases: signs a new ref for a channel when its schedule says so. The control
 * plane's manifest poll picks it up; that is how rollouts open and successors supersede.
 */
export class Publisher implements Actor {
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
  }

  receive(message: Message): void {
    const m = message as ToPublisher;
    // Still scripted until the control plane has it: counted down there.
    this.world.send(CONTROL_PLANE, { kind: 'manifest_signed', channel: m.channel, ref: m.ref });
  }
}
