import type { RunMetrics } from './metrics.ts';
import { type Spread, spread } from './stats.ts';

/** The numeric metrics compared per variant and per paired difference. */
export const METRICS = ['timeToTerminal', 'blastRadius', 'rollbacks', 'failedOrStuck'] as const;
export type MetricName = (typeof METRICS)[number];

export const METRIC_LABELS: Readonly<Record<MetricName, string>> = {
  timeToTerminal: 'time to Terminal (s)',
  blastRadius: 'blast radius (hosts)',
  rollbacks: 'rollbacks',
  failedOrStuck: 'hosts left Failed or stuck',
};

export interface VariantResult {
  readonly name: string;
  readonly metrics: Readonly<Record<MetricName, Spread>>;
  /** Runs that never reached Terminal (time to Terminal is over the others). */
  readonly neverTerminal: number;
  readonly ended: Readonly<Record<string, number>>;
  /** Runs that stalled with a host held by each gate. */
  readonly stallsByGate: Readonly<Record<string, number>>;
  /** Per gate, mean seconds per host held before dispatch. */
  readonly delayByGate: Readonly<Record<string, Spread>>;
}

export interface PairedDifference {
  /** `rollback − halt`: this variant minus the first, seed by seed. */
  readonly name: string;
  readonly metrics: Readonly<Record<MetricName, Spread>>;
}

export interface Comparison {
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly variants: readonly VariantResult[];
  readonly differences: readonly PairedDifference[];
}

const value = (m: RunMetrics, name: MetricName): number | null => m[name];

function tally(keys: readonly string[][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys.flat().sort()) out[k] = (out[k] ?? 0) + 1;
  return out;
}

/**
 * From the runs (`runs[v][i]`: variant v on seed i) to the comparison. Each spread gets
 * its own bootstrap seed derived from the comparison seed and its position, so nothing
 * depends on the order work finished in.
 */
export function summarise(
  scenario: string,
  names: readonly string[],
  seeds: readonly number[],
  runs: readonly (readonly RunMetrics[])[],
  seed: number,
): Comparison {
  let k = 0;
  const next = () => (seed * 7919 + ++k * 104_729) >>> 0;
  const variants: VariantResult[] = runs.map((rs, v) => {
    const metrics = {} as Record<MetricName, Spread>;
    for (const m of METRICS)
      metrics[m] = spread(
        rs.map((r) => value(r, m)).filter((x): x is number => x !== null),
        next(),
      );
    const gates = [...new Set(rs.flatMap((r) => Object.keys(r.delayByGate)))].sort();
    const delayByGate: Record<string, Spread> = {};
    for (const g of gates)
      delayByGate[g] = spread(
        rs.map((r) => r.delayByGate[g] ?? 0),
        next(),
      );
    return {
      name: names[v] as string,
      metrics,
      neverTerminal: rs.filter((r) => r.timeToTerminal === null).length,
      ended: tally(rs.map((r) => [r.ended])),
      stallsByGate: tally(rs.map((r) => [...r.stallGates])),
      delayByGate,
    };
  });
  const base = runs[0] ?? [];
  const differences: PairedDifference[] = runs.slice(1).map((rs, i) => {
    const metrics = {} as Record<MetricName, Spread>;
    for (const m of METRICS) {
      const diffs: number[] = [];
      rs.forEach((r, s) => {
        const a = value(r, m);
        const b = base[s] === undefined ? null : value(base[s] as RunMetrics, m);
        if (a !== null && b !== null) diffs.push(a - b);
      });
      metrics[m] = spread(diffs, next());
    }
    return { name: `${names[i + 1]} − ${names[0]}`, metrics };
  });
  return { scenario, seeds, variants, differences };
}
