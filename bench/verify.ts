import { newPendingHost } from '../machines/host/state.ts';
import { propertyCheck } from '../sim/check/property-check.ts';
import { explore } from '../sim/explore/explore.ts';
import { generateFleet } from '../sim/fleet/generate.ts';
import { INVARIANTS } from '../sim/invariants/index.ts';
import { profile } from '../sim/profile.ts';
import { bareHost, hostLife, T0 } from './mix.ts';

/*
 * The verifier's throughput: property-check runs per second on 10-host fleets (every
 * invariant watching), and exhaustive-exploration states per second on 3 hosts × 2 waves
 * with the full alphabet, both against the bare reducer loop measured here too.
 */

function bareStepsPerSecond(): number {
  const life = hostLife();
  const run = () => {
    let n = 0;
    for (let i = 0; i < 5000; i++) {
      let r = newPendingHost('stable@a1', `h${i}`, 'stable', 'target', T0, T0 + 300_000);
      for (const e of life) {
        r = bareHost(r, e)?.record ?? r;
        n++;
      }
    }
    return n;
  };
  run();
  const t = performance.now();
  const n = run();
  return n / ((performance.now() - t) / 1000);
}

export function benchVerify(print: (line: string) => void): void {
  const bare = bareStepsPerSecond();
  print(
    `verification (bare reducer loop here: ${Math.round(bare).toLocaleString('en-US')} host steps/s):`,
  );
  const fleet = generateFleet({
    hosts: 10,
    waves: 3,
    channels: 2,
    soakMinutes: 5,
    probeFailureRate: 0.05,
    activationFailureRate: 0.05,
    dropRate: 0.02,
  });
  for (const p of ['faithful', 'intent'] as const) {
    const r = propertyCheck({
      runs: 300,
      seed: 1,
      profile: profile(p),
      settings: {},
      invariants: INVARIANTS,
      fleet,
    });
    print(
      `  check, fixed 10-host fleet, ${p}: ${r.runs} runs in ${r.wallSeconds.toFixed(2)} s = ${(r.runs / r.wallSeconds).toFixed(0)} runs/s${r.failure === null ? '' : ' (FAILED)'}`,
    );
    const g = propertyCheck({
      runs: 300,
      seed: 1,
      profile: profile(p),
      settings: {},
      invariants: INVARIANTS,
    });
    print(
      `  check, generated fleets (≤ 10 hosts, faults), ${p}: ${(g.runs / g.wallSeconds).toFixed(0)} runs/s`,
    );
  }
  const small = generateFleet({ hosts: 3, waves: 2, channels: 1, soakMinutes: 0, releases: 1 });
  for (const p of ['faithful', 'intent'] as const) {
    const r = explore({
      fleet: small,
      profile: profile(p),
      bounds: { probeResults: 1, messageFaults: true, maxFaults: 1 },
      maxStates: 5_000_000,
    });
    const rate = r.states / r.seconds;
    print(
      `  explore 3 hosts × 2 waves, full alphabet, ${p}: ${r.states.toLocaleString('en-US')} states in ${r.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} states/s (${(bare / rate).toFixed(0)}× slower per state than one bare host step)`,
    );
  }
}
