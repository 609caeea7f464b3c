import { newPendingHost } from '../machines/host/state.ts';
import { propertyCheck } from '../sim/check/property-check.ts';
import { explore } from '../sim/explore/explore.ts';
import { withFaultAlphabet } from '../sim/explore/fault-alphabet.ts';
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
  // Every fault kind possible, one a path: each path is a whole timed run of the simulator.
  const small = withFaultAlphabet(
    generateFleet({
      hosts: 3,
      waves: 2,
      channels: 1,
      soakMinutes: 0,
      releases: 1,
      releaseEveryMinutes: 2,
    }),
    'all',
  );
  for (const p of ['faithful', 'intent'] as const) {
    const r = explore({ fleet: small, profile: profile(p), maxFaults: 1, maxRuns: 1_000_000 });
    // A state of the exploration is the world after one delivery of some path.
    const rate = r.deliveries / r.seconds;
    print(
      `  explore 3 hosts × 2 waves, every fault kind, ${p}: ${r.runs.toLocaleString('en-US')} paths, ${r.deliveries.toLocaleString('en-US')} deliveries (states) in ${r.seconds.toFixed(1)} s = ${Math.round(rate).toLocaleString('en-US')} states/s (${(bare / rate).toFixed(0)} bare host steps a state)`,
    );
  }
}
