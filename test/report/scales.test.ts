import { describe, expect, test } from 'vitest';
import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { comparisonReport } from '../../src/report/comparison-report.ts';
import { durationTicks, HOST_STATE_COLOR, ROLLOUT_STATE_COLOR } from '../../src/report/scales.ts';

/*
 * What a report reader relies on without opening a browser: one colour per state name in
 * every chart, time ticks at steps a person would pick, and distribution charts whose
 * axis has room even when every run gave the same number.
 */

const colours = (enc: Record<string, unknown>) => {
  const scale = enc.scale as { domain: string[]; range: string[] };
  return new Map(scale.domain.map((d, i) => [d, scale.range[i]]));
};

describe('report colours', () => {
  test('every state has its own colour, and a name shared by both machines has the same one', () => {
    const host = colours(HOST_STATE_COLOR);
    const rollout = colours(ROLLOUT_STATE_COLOR);
    expect([...host.keys()]).toEqual([...HOST_STATES]);
    expect([...rollout.keys()]).toEqual([...ROLLOUT_STATES]);
    expect(new Set(host.values()).size).toBe(HOST_STATES.length);
    expect(new Set(rollout.values()).size).toBe(ROLLOUT_STATES.length);
    for (const s of ['Failed', 'Reverted']) expect(host.get(s)).toBe(rollout.get(s));
    // As on the terminal: Converged green, Failed red, Pending grey.
    expect(host.get('Converged')).toBe('#2ca02c');
    expect(host.get('Failed')).toBe('#d62728');
    expect(host.get('Pending')).toBe('#9e9e9e');
  });
});

describe('time ticks', () => {
  test('whole minutes over a half-hour run, seconds over a short one', () => {
    expect(durationTicks(0, 2010)).toEqual([0, 300, 600, 900, 1200, 1500, 1800]);
    expect(durationTicks(0, 50)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
  });
});

describe('comparison page', () => {
  test('a metric where every run gave the same number still gets an axis around it', () => {
    const spread = { n: 3, median: 2, p90: 2, ci95: [2, 2] as const, values: [2, 2, 2] };
    const html = comparisonReport(
      {
        format: 'rollout-sim-comparison/1',
        scenario: 'x',
        seeds: [1, 2, 3],
        variants: [{ name: 'a', metrics: { rollbacks: spread } }],
        differences: [],
      },
      'x.json',
    );
    expect(html).toContain('"domain":[1,3]');
    expect(html).toContain('"label":"×3"');
    expect(html).toContain('"format":"d"');
  });
});
