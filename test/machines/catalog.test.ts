import { describe, expect, it } from 'vitest';
import { MACHINES } from '../../machines/catalog.ts';
import { HOST_EVENT_TYPES } from '../../machines/host/event.ts';
import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_EVENT_TYPES } from '../../machines/rollout/event.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';

/*
 * The catalog the diagram and walk tools read: each entry agrees with its machine, every
 * guard the machine names has a label that reads as a condition, and the refusal guards
 * are exactly the ones fronting every cell (the host's seq pre-check, spec §3.7).
 */

type Named = string | { readonly type: string; readonly params?: unknown };
const nameOf = (n: Named) => (typeof n === 'string' ? n : n.type);
const paramsOf = (n: Named) => (typeof n === 'string' ? undefined : n.params);

interface Candidate {
  readonly guard: Named | undefined;
}

function candidatesOf(name: keyof typeof MACHINES): Candidate[][] {
  const states = MACHINES[name].machine.root.states as Record<
    string,
    { readonly transitions: Map<string, readonly Candidate[]> }
  >;
  return Object.values(states).flatMap((node) => [...node.transitions.values()].map((c) => [...c]));
}

describe('MACHINES', () => {
  it('lists the rollout and host machines under their own names and ids', () => {
    expect(Object.keys(MACHINES)).toEqual(['rollout', 'host']);
    for (const [key, entry] of Object.entries(MACHINES)) {
      expect(entry.name).toBe(key);
      expect(entry.machine.id).toBe(key);
    }
  });

  it("carries each machine's states (in table order) and events", () => {
    expect(MACHINES.rollout.states).toEqual([...ROLLOUT_STATES]);
    expect(MACHINES.rollout.events).toEqual([...ROLLOUT_EVENT_TYPES]);
    expect(MACHINES.host.states).toEqual([...HOST_STATES]);
    expect(MACHINES.host.events).toEqual([...HOST_EVENT_TYPES]);
    for (const entry of Object.values(MACHINES)) {
      expect(Object.keys(entry.machine.root.states)).toEqual([...entry.states]);
    }
  });

  for (const name of ['rollout', 'host'] as const) {
    it(`${name}: every guard used has a label, non-empty and distinct per guard and params`, () => {
      const entry = MACHINES[name];
      const labels = new Map<string, string>();
      for (const candidates of candidatesOf(name)) {
        for (const { guard } of candidates) {
          if (guard === undefined) continue;
          const fn = entry.guardLabels[nameOf(guard)];
          expect(fn, nameOf(guard)).toBeTypeOf('function');
          const label = fn?.(paramsOf(guard) as never);
          expect(label, nameOf(guard)).toMatch(/\S/);
          labels.set(`${nameOf(guard)} ${JSON.stringify(paramsOf(guard))}`, label as string);
        }
      }
      expect(new Set(labels.values()).size).toBe(labels.size);
      // Every labelled guard is used: no label is left over from a removed guard.
      const used = new Set([...labels.keys()].map((k) => k.split(' ')[0]));
      expect(new Set(Object.keys(entry.guardLabels))).toEqual(used);
    });

    it(`${name}: the refusal guards are exactly those in front of every cell`, () => {
      const cells = candidatesOf(name);
      const firstGuards = new Set(
        cells.map((c) => (c[0]?.guard === undefined ? '' : nameOf(c[0].guard))),
      );
      const fronting = firstGuards.size === 1 && !firstGuards.has('') ? [...firstGuards] : [];
      expect([...MACHINES[name].refusalGuards]).toEqual(fronting);
    });
  }

  it('the host refusal guard is the seq pre-check; the rollout has none', () => {
    expect(MACHINES.host.refusalGuards).toEqual(['seqRegressed']);
    expect(MACHINES.rollout.refusalGuards).toEqual([]);
  });

  it('the rollout host-outcome label names the host state it waits for', () => {
    expect(MACHINES.rollout.guardLabels.hostWentTo?.({ to: 'Failed' } as never)).toContain(
      'Failed',
    );
  });
});
