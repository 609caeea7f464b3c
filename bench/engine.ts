import { type AnyActorRef, assign, createActor, setup } from 'xstate';
import type { HostEvent } from '../machines/host/event.ts';
import { hostMachine } from '../machines/host/machine.ts';
import { newPendingHost } from '../machines/host/state.ts';
import { PRESETS } from '../sim/fleet/presets/index.ts';
import { profile } from '../sim/profile.ts';
import { simulate } from '../sim/simulate.ts';
import { bareHost, hostLife, POLICY, T0 } from './mix.ts';

/*
 * What the simulator engine costs per host-machine step, against
 *  (a) the limit: a bare reducer loop over each host's agent lifecycle;
 *  (b) a naive baseline: one XState actor per host, spawned under one parent actor that
 *      routes every event to its child — what "an actor per host" means done directly;
 *  (c) the engine: a whole staged-N simulation (agents, control plane, network, planner,
 *      scheduler), wall time divided by the host-machine steps it made on both sides.
 */

function bare(hosts: number, life: readonly HostEvent[]): number {
  const start = performance.now();
  for (let i = 0; i < hosts; i++) {
    let record = newPendingHost('stable@a1', `h${i}`, 'stable', 'target', T0, T0 + 300_000);
    for (const e of life) record = bareHost(record, e)?.record ?? record;
    if (record.state !== 'Converged') throw new Error('bare host did not converge');
  }
  return performance.now() - start;
}

type Routed = { type: 'route'; host: string; event: HostEvent };

const parentMachine = setup({
  types: {
    context: {} as { hosts: Record<string, AnyActorRef> },
    events: {} as Routed | { type: 'spawn'; host: string },
  },
  actors: { host: hostMachine },
}).createMachine({
  context: { hosts: {} },
  on: {
    spawn: {
      actions: assign({
        hosts: ({ context, event, spawn }) => ({
          ...context.hosts,
          [event.host]: spawn('host', {
            id: event.host,
            input: {
              record: newPendingHost('stable@a1', event.host, 'stable', 'target', T0, T0 + 300_000),
              policy: POLICY,
              effects: [],
              error: null,
            },
          }),
        }),
      }),
    },
    route: {
      actions: ({ context, event }) => {
        const child = context.hosts[event.host];
        child?.send(event.event);
      },
    },
  },
});

function naive(hosts: number, life: readonly HostEvent[]): number {
  const start = performance.now();
  const parent = createActor(parentMachine).start();
  const names = Array.from({ length: hosts }, (_, i) => `h${i}`);
  for (const host of names) parent.send({ type: 'spawn', host });
  for (const e of life) for (const host of names) parent.send({ type: 'route', host, event: e });
  const last = parent.getSnapshot().context.hosts[names[names.length - 1] as string];
  if (last?.getSnapshot().value !== 'Converged') throw new Error('naive host did not converge');
  parent.stop();
  return performance.now() - start;
}

export function benchEngine(
  print: (line: string) => void,
  presetName: 'staged-1k' | 'staged-10k',
): void {
  const fleet = PRESETS[presetName]?.build();
  if (fleet === undefined) throw new Error(`no preset ${presetName}`);
  const hosts = Object.keys(fleet.hosts).length;
  const life = hostLife();

  simulate({ fleet, profile: profile('faithful'), seed: 1 }); // warm-up
  const runs: number[] = [];
  let summary = simulate({ fleet, profile: profile('faithful'), seed: 1 }).summary;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    summary = simulate({ fleet, profile: profile('faithful'), seed: 1 }).summary;
    runs.push(performance.now() - t0);
  }
  runs.sort((a, b) => a - b);
  const engineMs = runs[1] as number;
  const rss = process.memoryUsage().rss;
  const steps = summary.events.hostSteps;
  const engineNs = (engineMs * 1e6) / steps;

  bare(hosts, life);
  const bareNs = (bare(hosts, life) * 1e6) / (hosts * life.length);
  const naiveNs = (naive(hosts, life) * 1e6) / (hosts * life.length);

  print(`engine on ${presetName} (${hosts.toLocaleString('en-US')} hosts, faithful, seed 1):`);
  print(
    `  simulated ${summary.simSeconds} s in ${(engineMs / 1000).toFixed(2)} s wall (median of 3): ${(summary.simSeconds / (engineMs / 1000)).toFixed(0)}× real time; process rss ${(rss / 1e6).toFixed(0)} MB`,
  );
  print(
    `  ${steps.toLocaleString('en-US')} host steps, ${summary.events.rolloutSteps.toLocaleString('en-US')} rollout steps, ${summary.events.scheduled.toLocaleString('en-US')} deliveries; rollout ${summary.rollouts[0]?.state}`,
  );
  const line = (name: string, ns: number) =>
    print(
      `  ${name.padEnd(52)} ${ns.toFixed(0).padStart(7)} ns/host step ${(ns / bareNs).toFixed(1).padStart(7)}× bare`,
    );
  line('(a) bare reducer loop, agent lifecycles (the limit)', bareNs);
  line('(b) naive: one XState actor per host under a parent', naiveNs);
  line('(c) rollout-sim engine, whole simulation', engineNs);
  print(`  engine is ${(naiveNs / engineNs).toFixed(1)}× the naive baseline`);
}

// `node bench/engine.ts <preset>`: one preset in a process of its own, so that runs do
// not inherit each other's heap.
if (import.meta.url === `file://${process.argv[1]}`) {
  benchEngine(
    (line) => process.stdout.write(`${line}\n`),
    (process.argv[2] ?? 'staged-1k') as 'staged-1k',
  );
}
