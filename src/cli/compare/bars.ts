const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * A distribution as one line of block characters: `bins` equal-width bins over
 * [lo, hi] (shared by the rows being compared, so bars line up), each as tall as its
 * share of the row's fullest bin.
 */
export function distributionBar(
  values: readonly number[],
  lo: number,
  hi: number,
  bins = 16,
): string {
  if (values.length === 0) return ' '.repeat(bins);
  const counts = new Array<number>(bins).fill(0);
  const width = hi - lo;
  for (const v of values) {
    const i = width <= 0 ? 0 : Math.min(bins - 1, Math.floor(((v - lo) / width) * bins));
    counts[i] = (counts[i] as number) + 1;
  }
  const max = Math.max(...counts);
  return counts.map((c) => BLOCKS[c === 0 ? 0 : Math.max(1, Math.round((c / max) * 8))]).join('');
}
