import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { explore, runPlan } from '../../sim/explore/explore.ts';
import { generateFleet } from '../../sim/fleet/generate.ts';
import { profile } from '../../sim/profile.ts';
import { DEFAULT_SETTINGS } from '../../sim/settings.ts';
import { verifyTrace } from '../../src/cli/replay.ts';
import { TraceWriter } from '../../src/trace/writer.ts';

/*
 * `explore` finds a mistake made in the control plane `run` runs, because it runs that
 * very code. The mistake here: the wave-promotion gate is lost from the gate stack (a
 * refactor that drops one gate), so the wave-1 host of a 2×2 fleet is queued while the
 * cursor is still on wave 0. The mock lives in this file alone.
 */

vi.mock('../../sim/control-plane/gates.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../sim/control-plane/gates.ts')>();
  return {
    ...original,
    // The planner's evaluator; the monitors keep the whole stack.
    rolloutEvaluator: (...args: Parameters<typeof original.rolloutEvaluator>) => {
      const evaluate = original.rolloutEvaluator(...args);
      return (...host: Parameters<typeof evaluate>) => {
        const block = evaluate(...host);
        return block?.gate.startsWith('wave-promotion') ? null : block;
      };
    },
  };
});

const fleet = () => generateFleet({ hosts: 2, waves: 2, channels: 1, soakMinutes: 0 });

describe('a gate stack without wave promotion', () => {
  for (const name of ['faithful', 'intent'] as const) {
    it(`${name}: dispatch.within-cursor on the fault-free path, its trace replaying exactly`, () => {
      const p = profile(name);
      const r = explore({ fleet: fleet(), profile: p, maxFaults: 0, maxRuns: 10 });
      const v = r.violations.find((x) => x.invariant === 'dispatch.within-cursor');
      expect(v, JSON.stringify(r.violations)).toBeDefined();
      if (v === undefined) return;
      expect(v.deviation).toBeNull();
      expect(v.message).toBe('host-02 (wave 1) dispatched while stable@v1 is at wave 0');
      expect(v.path).toEqual([]);
      // The path as a timed trace: `replay --verify` re-simulates it to the same bytes.
      const tmp = mkdtempSync(join(tmpdir(), 'explore-'));
      onTestFinished(() => rmSync(tmp, { recursive: true, force: true }));
      const file = join(tmp, 'v.trace.jsonl');
      const writer = new TraceWriter(file, {
        seed: 0,
        profile: p,
        fleet: fleet(),
        settings: DEFAULT_SETTINGS,
        untilSeconds: null,
        explorePlan: v.plan,
      });
      runPlan({ fleet: fleet(), profile: p, plan: v.plan, sink: writer.record });
      writer.close();
      expect(verifyTrace(file).divergence).toBeNull();
      const lines = readFileSync(file, 'utf8').trim().split('\n');
      const broken = JSON.parse(lines[v.record + 1] as string);
      expect(broken).toMatchObject({ type: 'dispatch', host: 'host-02', wave: 1 });
    });
  }
});
