import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { PRESETS } from '../../sim/fleet/presets/index.ts';
import { profile } from '../../sim/profile.ts';
import { simulate } from '../../sim/simulate.ts';
import { parseFleet } from '../../src/fleet-file/parse.ts';
import { runCli } from '../cli/run-cli.ts';

/*
 * Why a run ended (DESIGN §4.5 `ended`, `stall`): the example fleet stalls on the
 * faithful compliance count, and under intent on a channel edge behind a Reverted ring;
 * a clean fleet ends terminal; a horizon ends horizon with no stall.
 */

const EXAMPLE = {
  hosts: 40,
  waves: 4,
  channels: 2,
  probeFailureRate: 0.05,
  dropRate: 0.02,
} as const;

describe('the stall of the example fleet', () => {
  test('faithful: the compliance gate holds ring-1 for ever, and everything waits behind it', () => {
    const { summary } = simulate({
      fleet: generateFleet(EXAMPLE),
      profile: profile('faithful'),
      seed: 7,
    });
    expect(summary.ended).toBe('stalled');
    const groups = summary.stall?.groups ?? [];
    const compliance = groups.find((g) => g.gate === 'compliance-wave');
    expect(compliance).toMatchObject({
      rolloutId: 'ring-1@v1',
      permanent: true,
      hosts: ['host-02'],
    });
    expect(compliance?.spec).toContain('§6.15');
    expect(compliance?.why).toContain('append-only');
    expect(compliance?.since).toBeGreaterThan(0);
    // Every other hold waits, directly or not, on that one.
    for (const g of groups) expect(g.permanent).toBe(true);
    const edge = groups.find((g) => g.gate === 'channel-edges');
    expect(edge?.rolloutId).toBe('ring-2@v1');
    expect(edge?.hosts).toHaveLength(20);
    expect(summary.stall?.blockedHosts).toBe(39);
  });

  test('intent: the channel edge holds ring-2 behind a Reverted predecessor that never terminates', () => {
    const { summary } = simulate({
      fleet: generateFleet(EXAMPLE),
      profile: profile('intent'),
      seed: 7,
    });
    expect(summary.ended).toBe('stalled');
    const groups = summary.stall?.groups ?? [];
    expect(groups.some((g) => g.gate === 'compliance-wave')).toBe(false);
    const edge = groups.find((g) => g.gate === 'channel-edges');
    expect(edge).toMatchObject({ rolloutId: 'ring-2@v1', permanent: true, spec: '§4.8' });
    expect(edge?.why).toMatch(/ring-1@v1 ended Reverted and so never gets terminal_at/);
    expect(edge?.hosts).toHaveLength(20);
  });
});

describe('end reasons', () => {
  test('a clean preset ends terminal, with no stall', () => {
    const { summary } = simulate({
      fleet: (PRESETS.canary as NonNullable<(typeof PRESETS)['canary']>).build(),
      profile: profile('faithful'),
      seed: 1,
    });
    expect(summary.ended).toBe('terminal');
    expect(summary.stall).toBeNull();
  });

  test('a horizon ends horizon', () => {
    const { summary } = simulate({
      fleet: (PRESETS.demo as NonNullable<(typeof PRESETS)['demo']>).build(),
      profile: profile('faithful'),
      seed: 1,
      untilSeconds: 60,
    });
    expect(summary.ended).toBe('horizon');
    expect(summary.stall).toBeNull();
  });
});

describe('rollout-sim run names the stall', () => {
  const args = ['run', '--hosts', '40', '--waves', '4', '--channels', '2'];
  const faults = ['--probe-failure-rate', '0.05', '--drop-rate', '0.02', '--seed', '7'];
  test('in the text summary', () => {
    const r = runCli([...args, ...faults]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('stalled: nothing more can happen');
    expect(r.stdout).toMatch(
      /ring-1@v1 · compliance-wave: 1 failing enforce controls in earlier waves — 1 host since \+5m15s: host-02/,
    );
    expect(r.stdout).toMatch(/never clears: the compliance count is append-only .*§4\.11, §6\.15/);
  });
  test('in the JSON summary', () => {
    const r = runCli([...args, ...faults, '--profile', 'intent', '--json']);
    const json = JSON.parse(r.stdout);
    expect(json.ended).toBe('stalled');
    const edge = json.stall.groups.find((g: { gate: string }) => g.gate === 'channel-edges');
    expect(edge).toMatchObject({ rollout_id: 'ring-2@v1', permanent: true, spec: '§4.8' });
    expect(edge.since).toMatch(/^2026-05-16T01:14:45Z$/);
  });
});

/** Faithful's run of a fleet file's text at `seed`: how it ended, and its stall. */
function faithfulRun(text: string, seed: number) {
  const parsed = parseFleet(text, 'fleet.yaml');
  if (!parsed.ok) throw new Error(parsed.error);
  return simulate({ fleet: parsed.fleet, profile: profile('faithful'), seed, untilSeconds: 14_400 })
    .summary;
}

describe('a budget held by a host whose Converged was lost', () => {
  test('names the host the control plane never heard from', () => {
    // examples/budget-supersede.yaml with manifest polls that fail: a Converged the
    // reducer drops for want of a manifest is never sent again (faithful, spec §6.17).
    const text = readFileSync('examples/budget-supersede.yaml', 'utf8').replace(
      /^faults:$/m,
      'faults:\n  manifest_failure_rate: 0.3',
    );
    const summary = faithfulRun(text, 1);
    expect(summary.ended).toBe('stalled');
    expect(summary.stall?.groups.map((g) => [g.gate, g.hosts, g.why])).toEqual([
      [
        'disruption-budget',
        ['web-03'],
        'waits for hosts in flight under the same budget to finish; the control plane never heard web-02 report Converged',
      ],
    ]);
  });
});

describe('a wave held behind a host whose Converged was lost', () => {
  test('the wave-promotion hold names the host the control plane never heard from', () => {
    const summary = faithfulRun(
      `
channels:
  stable: { rollout_policy: two-waves, initial_ref: "r1" }
rollout_policies:
  two-waves:
    strategy: staged
    on_health_failure: rollback-and-halt
    waves:
      - { hosts: [web-01], soak_minutes: 1 }
      - { hosts: [web-02], soak_minutes: 1 }
host_defaults: { channel: stable }
hosts: { web-01: {}, web-02: {} }
faults:
  activation: { duration_seconds: [20, 20] }
  network: { latency_ms: [5, 50] }
  manifest_failure_rate: 0.3
`,
      3,
    );
    expect(summary.ended).toBe('stalled');
    expect(summary.stall?.groups.map((g) => [g.gate, g.hosts, g.why])).toEqual([
      [
        'wave-promotion',
        ['web-02'],
        'waits for wave 0 of stable@r1 to complete; the control plane never heard web-01 report Converged',
      ],
    ]);
  });
});

describe('a channel edge under faithful, on a fleet whose manifest polls fail', () => {
  test('may clear: a failed poll of the predecessor lets the edge pass', () => {
    // Found by test/sim/settle-finality.test.ts: this run stalls at 800 s, and the same
    // run kept going dispatches h1 at 920 s, when c0's manifest poll fails.
    const summary = faithfulRun(
      `
channels:
  c0: { rollout_policy: p0, initial_ref: r0 }
  c1: { rollout_policy: p1, initial_ref: r0, releases: [{ at_seconds: 720, ref: r1 }] }
rollout_policies:
  p0: { strategy: staged, on_health_failure: rollback-and-halt, waves: [{ hosts: [h0], soak_minutes: 0 }] }
  p1: { strategy: staged, on_health_failure: rollback-and-halt, waves: [{ hosts: [h1], soak_minutes: 0 }] }
hosts: { h0: { channel: c0 }, h1: { channel: c1 } }
channel_edges: [{ gates: c0, gated: c1 }]
faults:
  activation: { duration_seconds: [60, 180] }
  cp_restarts: [{ at_seconds: 120, down_seconds: 20 }]
  clock_skew_seconds: [-120, 120]
  manifest_failure_rate: 0.2
`,
      6,
    );
    expect(summary.ended).toBe('stalled');
    const edge = summary.stall?.groups.find((g) => g.gate === 'channel-edges');
    expect(edge).toMatchObject({ rolloutId: 'c1@r1', hosts: ['h1'], permanent: false });
    expect(edge?.why).toBe(
      'waits on the predecessor c0@r0 (Active), or on a failed manifest poll of c0, after which the edge passes ("no verified manifest: pass")',
    );
  });
});
