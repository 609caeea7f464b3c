import type { MachineEntry } from '../../machines/catalog.ts';
import { classify } from './model.ts';

/**
 * The machine's own config as JSON, the shape Stately's editor imports: states, `on`
 * maps, targets, named guards and actions with their params. Without `all`, the cells
 * that are no-ops or refusals are left out, as in the other formats.
 */
export function toXStateJson(entry: MachineEntry, options: { all: boolean }): string {
  const { machine } = entry;
  const states: Record<string, unknown> = {};
  for (const [key, node] of Object.entries(machine.root.states)) {
    const on: Record<string, unknown[]> = {};
    for (const [descriptor, candidates] of node.transitions) {
      const kept = candidates
        .filter((t) => options.all || ['transition', 'self'].includes(classify(t).kind))
        .map((t) => ({
          ...(t.target?.[0] === undefined ? {} : { target: t.target[0].key }),
          ...(t.guard === undefined ? {} : { guard: t.guard }),
          ...(t.actions.length === 0 ? {} : { actions: t.actions }),
        }));
      if (kept.length > 0) on[descriptor] = kept;
    }
    states[key] = Object.keys(on).length === 0 ? {} : { on };
  }
  const config = { id: machine.id, initial: machine.config.initial, states };
  return `${JSON.stringify(config, null, 2)}\n`;
}
