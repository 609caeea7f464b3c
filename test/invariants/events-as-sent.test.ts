import { describe, expect, it } from 'vitest';
import type { HostEvent } from '../../machines/host/event.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { InvariantChecker } from '../../sim/invariants/checker.ts';
import { eventsAsSent } from '../../sim/invariants/rules/events-as-sent.ts';
import { type Profile, profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { simulate } from '../../sim/simulate.ts';
import type { HostStepSeen } from '../../sim/world.ts';
import { FAITHFUL, INTENT, StubInspect, stagedFleet } from './support.ts';

/*
 * host.events-as-sent over the host steps of real runs on a lossy, duplicating wire with
 * failing probes and activations, then with one step bent the way a broken sent log,
 * outbox or route would bend it.
 */

const fleet = generateFleet({
  hosts: 6,
  waves: 2,
  channels: 1,
  soakMinutes: 2,
  probeFailureRate: 0.1,
  activationFailureRate: 0.1,
  dropRate: 0.2,
  duplicateRate: 0.2,
  releases: 1,
  releaseEveryMinutes: 3,
});

function steps(prof: Profile, seed: number): HostStepSeen[] {
  const seen: HostStepSeen[] = [];
  simulate({ fleet, profile: prof, seed, observeHostSteps: (s) => seen.push(s) });
  return seen;
}

function judge(seen: readonly HostStepSeen[]): string[] {
  const checker = new InvariantChecker(
    {
      fleet: stagedFleet(),
      profile: INTENT,
      settings: DEFAULT_SETTINGS,
      inspect: new StubInspect(),
    },
    [eventsAsSent],
  );
  for (const s of seen) checker.observeHostStep(s);
  return checker.failures.map((f) => f.message);
}

/** The first step the control plane took of an agent's event of this type. */
function firstCp(seen: readonly HostStepSeen[], type: HostEvent['type']): number {
  const i = seen.findIndex((s) => s.side === 'cp' && !s.synthesized && s.event.type === type);
  expect(i).toBeGreaterThanOrEqual(0);
  return i;
}

function bent(seen: readonly HostStepSeen[], i: number, event: HostEvent): HostStepSeen[] {
  return seen.map((s, j) => (j === i ? { ...s, event } : s));
}

describe('host.events-as-sent', () => {
  it.each([
    ['faithful', FAITHFUL],
    ['intent', INTENT],
  ] as const)('passes the steps of real runs under %s on a lossy, duplicating wire', (_n, prof) => {
    for (const seed of [1, 2, 3]) {
      const seen = steps(prof, seed);
      const cp = seen.filter(
        (s) => s.side === 'cp' && !s.synthesized && s.event.type.startsWith('Remote'),
      );
      expect(cp.length).toBeGreaterThan(20);
      expect(judge(seen)).toEqual([]);
    }
  });

  it('reports an event stepped with a field the agent did not send (a probe result rebuilt as a pass)', () => {
    const seen = steps(profile('intent'), 1);
    const i = firstCp(seen, 'RemoteProbeResult');
    const s = seen[i] as HostStepSeen;
    if (s.event.type !== 'RemoteProbeResult') throw new Error('not a probe result');
    const flipped = s.event.status === 'pass' ? 'fail' : 'pass';
    const [message] = judge(bent(seen, i, { ...s.event, status: flipped }));
    expect(message).toBe(
      `${s.host} on ${s.before.rolloutId}: the control plane stepped RemoteProbeResult seq ${s.event.seq} unlike the agent's event of that seq: status "${flipped}", sent "${s.event.status}"`,
    );
  });

  it('reports an event under a seq the agent never emitted', () => {
    const seen = steps(profile('faithful'), 1);
    const i = firstCp(seen, 'RemoteActivationStarted');
    const s = seen[i] as HostStepSeen;
    expect(judge(bent(seen, i, { ...s.event, seq: 999 } as HostEvent))).toEqual([
      `${s.host} on ${s.before.rolloutId}: the control plane stepped RemoteActivationStarted seq 999, which the agent never emitted`,
    ]);
  });

  it("does not judge the control plane's own recovery events", () => {
    const seen = steps(profile('faithful'), 1);
    const i = firstCp(seen, 'RemoteActivationStarted');
    const s = seen[i] as HostStepSeen;
    const made = seen.map((x, j) =>
      j === i ? { ...x, event: { ...s.event, seq: 999 } as HostEvent, synthesized: true } : x,
    );
    expect(judge(made)).toEqual([]);
  });
});
