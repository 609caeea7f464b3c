import { Random } from '../random.ts';

/** Spread of one metric over runs: the numbers `compare` prints and `report` plots. */
export interface Spread {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
  /** 95 % percentile-bootstrap interval of the median. */
  readonly ci: readonly [number, number] | null;
  readonly values: readonly number[];
}

/** Linear-interpolated quantile of sorted values (type 7, as R and NumPy default). */
export function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}

const RESAMPLES = 1000;

/**
 * Median, p90 and a seeded bootstrap interval of the median: the same values and seed
 * always give the same interval, so a comparison is byte-identical run to run.
 */
export function spread(values: readonly number[], seed: number): Spread {
  if (values.length === 0) return { n: 0, median: null, p90: null, ci: null, values: [] };
  const sorted = [...values].sort((a, b) => a - b);
  const rng = new Random(seed);
  const medians: number[] = [];
  const sample: number[] = new Array(values.length);
  for (let i = 0; i < RESAMPLES; i++) {
    for (let j = 0; j < values.length; j++) {
      sample[j] = values[rng.int(0, values.length - 1)] as number;
    }
    medians.push(
      quantile(
        [...sample].sort((a, b) => a - b),
        0.5,
      ),
    );
  }
  medians.sort((a, b) => a - b);
  return {
    n: values.length,
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    ci: [quantile(medians, 0.025), quantile(medians, 0.975)],
    values,
  };
}
