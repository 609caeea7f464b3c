import { type Actor, CONTROL_PLANE, OPERATOR } from './actors.ts';
import type { Message, ToOperator } from './messages.ts';
import type { World } from './world.ts';

/**
 * The human at the console: reboots hosts whose activation was deferred (after a while),
 * and issues `OperatorClearance` when the fleet's script says so.
 */
export class Operator implements Actor {
  /** Hosts with a reboot already on its way. */
  private readonly rebooting = new Set<string>();

  constructor(private readonly world: World) {}

  start(): void {
    const { world } = this;
    for (const c of world.fleet.operator.clearances) {
      world.scripted++;
      world.send(
        OPERATOR,
        { kind: 'clearance_due', channel: c.channel, reason: c.reason },
        c.at_seconds * 1000,
      );
    }
  }

  receive(message: Message): void {
    const m = message as ToOperator;
    const { world } = this;
    switch (m.kind) {
      case 'host_deferred': {
        const range = world.fleet.operator.reboot_deferred_after_seconds;
        if (range === null || this.rebooting.has(m.host)) return;
        this.rebooting.add(m.host);
        world.scripted++;
        world.send(
          OPERATOR,
          { kind: 'reboot_due', host: m.host },
          world.choices.delay(
            () => `late reboot ${m.host}`,
            range[0] * 1000,
            range[1] * 1000,
            false,
          ),
        );
        return;
      }
      case 'reboot_due':
        world.scripted--;
        this.rebooting.delete(m.host);
        world.send(world.agent(m.host), { kind: 'reboot' });
        return;
      case 'clearance_due':
        // Counted down by the control plane when it handles the clearance.
        world.send(CONTROL_PLANE, {
          kind: 'operator_clearance',
          channel: m.channel,
          operator: 'operator',
          reason: m.reason,
        });
        return;
    }
  }
}
