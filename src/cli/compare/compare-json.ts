import type { Comparison } from '../../../sim/compare/comparison.ts';
import type { Spread } from '../../../sim/compare/stats.ts';
import type { JsonValue } from '../../codec/index.ts';
import { COMPARISON_FORMAT } from '../../report/comparison-schema.ts';

const spreadJson = (s: Spread): JsonValue => ({
  n: s.n,
  median: s.median,
  p90: s.p90,
  ci95: s.ci === null ? null : [s.ci[0], s.ci[1]],
  values: [...s.values],
});

const map = <T>(o: Readonly<Record<string, T>>, f: (t: T) => JsonValue): JsonValue =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), f(v)]));

const snake = (k: string): string => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** `compare --json` (format `rollout-sim-comparison/1`), also what `report` reads back. */
export function encodeComparison(c: Comparison): JsonValue {
  return {
    format: COMPARISON_FORMAT,
    scenario: c.scenario,
    seeds: [...c.seeds],
    variants: c.variants.map((v) => ({
      name: v.name,
      metrics: map(v.metrics, spreadJson),
      never_terminal: v.neverTerminal,
      ended: { ...v.ended },
      stalls_by_gate: { ...v.stallsByGate },
      dispatch_delay_by_gate: map(v.delayByGate, spreadJson),
    })),
    differences: c.differences.map((d) => ({ name: d.name, metrics: map(d.metrics, spreadJson) })),
  };
}
