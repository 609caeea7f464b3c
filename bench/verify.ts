import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { newPendingHost } from '../machines/host/state.ts';
import { explore } from '../sim/explore/explore.ts';
import { withFaultAlphabet } from '../sim/explore/fault-alphabet.ts';
import { generateFleet } from '../sim/fleet/generate.ts';
import { profile } from '../sim/profile.ts';
import { bareHost, hostLife, T0 } from './mix.ts';

/*
 * The verifier's throughput: `check` runs per second on 10-host fleets (every invariant
 * watching, through the compiled CLI as a user runs it), and exhaustive-exploration states
 * per second on 3 hosts × 2 waves with the full alphabet, both against the bare reducer
 * loop measured here too.
 */

export function bareStepsPerSecond(): number {
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

const BIN = fileURLToPath(new URL('../bin/rollout-sim.js', import.meta.url));

type CheckResult = { runs: number; seconds: number; failed: boolean };

function checkCli(args: readonly string[], workers: number): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [BIN, 'check', ...args, '--workers', String(workers), '--json', '--out', tmpdir()],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.on('error', reject);
    child.on('close', () => {
      try {
        const report = JSON.parse(out) as { runs: number; wall_seconds: number; failure: unknown };
        resolve({
          runs: report.runs,
          seconds: report.wall_seconds,
          failed: report.failure !== null,
        });
      } catch {
        reject(new Error(`check ${args.join(' ')} printed no JSON report`));
      }
    });
  });
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

export async function benchVerify(print: (line: string) => void): Promise<void> {
  const bare = bareStepsPerSecond();
  print(
    `verification (bare reducer loop here: ${Math.round(bare).toLocaleString('en-US')} host steps/s):`,
  );
  // `check` as a user runs it: the compiled CLI (dist/, built by npm install), one thread
  // and the default pool of two; the report's own wall time leaves start-up out.
  const fixed = [
    '--hosts',
    '10',
    '--waves',
    '3',
    '--channels',
    '2',
    '--soak',
    '5',
    '--probe-failure-rate',
    '0.05',
    '--activation-failure-rate',
    '0.05',
    '--drop-rate',
    '0.02',
  ];
  const runs = ['--runs', '2000', '--seed', '1'];
  for (const p of ['faithful', 'intent'] as const) {
    for (const [what, fleet] of [
      ['fixed 10-host fleet', fixed],
      ['generated fleets (≤ 10 hosts, faults)', []],
    ] as const) {
      const args = [...fleet, '--profile', p, ...runs];
      const one = await checkCli(args, 1);
      const two = await checkCli(args, 2);
      const rates = [one, two].map((r, i) => {
        const rate = r.runs / r.seconds;
        return `${i + 1} worker${i === 0 ? '' : 's'} ${Math.round(rate)} runs/s (${Math.round(bare / rate).toLocaleString('en-US')} bare host steps a run)${r.failed ? ' (FAILED)' : ''}`;
      });
      print(`  check, ${what}, ${p}: ${rates.join(', ')}`);
      // What two cores allow for this work, whatever the pool does: the same runs as two
      // separate one-thread processes side by side (--shard 1/2 and 2/2, no pool, no
      // messages between them). Each process warms its own JIT and compiles on the other
      // core too, so this is the ceiling a pool of two isolates can reach here.
      const halves = await Promise.all(
        ['1/2', '2/2'].map((k) => checkCli([...args, '--shard', k], 1)),
      );
      const apart = Math.max(...halves.map((r) => r.seconds));
      print(
        `    2 workers ${ratio(one.seconds, two.seconds)} faster than 1; two one-thread processes on half the runs each, side by side: ${ratio(one.seconds, apart)} (the ceiling)`,
      );
    }
  }
  // A long campaign: each isolate optimises the same code once (V8's TurboFan, about 1.9 s
  // of background compile a thread here), which a 2,000-run check pays for a fifth of its
  // time and a 10,000-run one much less; the rate a designer's long campaign sees.
  for (const p of ['faithful', 'intent'] as const) {
    const args = [...fixed, '--profile', p, '--runs', '10000', '--seed', '1'];
    const one = await checkCli(args, 1);
    const two = await checkCli(args, 2);
    const rate = (r: CheckResult) =>
      `${Math.round(r.runs / r.seconds)} runs/s${r.failed ? ' (FAILED)' : ''}`;
    print(
      `  check, fixed 10-host fleet, ${p}, 10,000 runs: 1 worker ${rate(one)}, 2 workers ${rate(two)} (${ratio(one.seconds, two.seconds)} faster)`,
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
