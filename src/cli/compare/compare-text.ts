import { type Comparison, METRIC_LABELS, METRICS } from '../../../sim/compare/comparison.ts';
import type { Spread } from '../../../sim/compare/stats.ts';
import { distributionBar } from './bars.ts';

const num = (x: number | null): string =>
  x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(1);
const ci = (s: Spread): string => (s.ci === null ? '-' : `[${num(s.ci[0])}, ${num(s.ci[1])}]`);

/** Width of the bar column: the bins between two rules. */
const BINS = 16;

interface Row {
  readonly name: string;
  readonly s: Spread;
  readonly lo: number;
  readonly hi: number;
}

type Line = { readonly title: string } | { readonly row: Row };

/**
 * The variant and difference rows of every metric share one set of columns, so a number
 * can be read down the whole table, not only inside its block: each column is as wide
 * as its widest cell anywhere, numbers right-aligned, and the bars always start in the
 * same column and take the same width.
 */
function layOut(lines: readonly Line[]): string[] {
  const rows = lines.flatMap((l) => ('row' in l ? [l.row] : []));
  const cells = (r: Row) => [r.name, String(r.s.n), num(r.s.median), num(r.s.p90), ci(r.s)];
  const widths = [0, 0, 0, 0, 0];
  for (const r of rows)
    cells(r).forEach((c, i) => {
      widths[i] = Math.max(widths[i] as number, c.length);
    });
  const w = (i: number) => widths[i] as number;
  return lines.map((l) => {
    if ('title' in l) return l.title;
    const [name, n, median, p90, interval] = cells(l.row) as [
      string,
      string,
      string,
      string,
      string,
    ];
    return [
      `  ${name.padEnd(w(0))}`,
      `n ${n.padStart(w(1))}`,
      `median ${median.padStart(w(2))}`,
      `p90 ${p90.padStart(w(3))}`,
      `95% CI ${interval.padEnd(w(4))}`,
      `│${distributionBar(l.row.s.values, l.row.lo, l.row.hi, BINS)}│`,
    ].join('  ');
  });
}

/** A metric's block: its title with the bars' shared range, then one row each. */
function block(title: string, rows: { name: string; s: Spread }[]): Line[] {
  const all = rows.flatMap((r) => r.s.values);
  const lo = all.length === 0 ? 0 : Math.min(...all);
  const hi = all.length === 0 ? 0 : Math.max(...all);
  return [
    { title: `${title}  (bars: ${num(lo)} … ${num(hi)})` },
    ...rows.map((r) => ({ row: { ...r, lo, hi } })),
  ];
}

/** The comparison as text: per metric the variants, then the paired differences, with bars. */
export function comparisonText(c: Comparison): string[] {
  const lines = [
    `compare ${c.scenario}: ${c.variants.length} variants × ${c.seeds.length} paired seeds (${c.seeds[0]}…${c.seeds.at(-1)})`,
    '',
  ];
  const metrics: Line[] = [];
  for (const m of METRICS) {
    metrics.push(
      ...block(
        METRIC_LABELS[m],
        c.variants.map((v) => ({ name: v.name, s: v.metrics[m] })),
      ),
    );
    if (c.differences.length > 0)
      metrics.push(
        ...block(
          '  paired difference',
          c.differences.map((d) => ({ name: d.name, s: d.metrics[m] })),
        ),
      );
    metrics.push({ title: '' });
  }
  lines.push(...layOut(metrics));
  lines.push('ended / stalls by gate / never Terminal');
  for (const v of c.variants) {
    const ended = Object.entries(v.ended)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    const stalls =
      Object.entries(v.stallsByGate)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ') || 'none';
    lines.push(`  ${v.name}: ${ended}; stalls: ${stalls}; never Terminal ${v.neverTerminal}`);
  }
  lines.push('', 'dispatch delay by gate (mean s per host held, median over runs)');
  for (const v of c.variants) {
    const gates = Object.entries(v.delayByGate)
      .map(([g, s]) => `${g} ${num(s.median)} ${ci(s)}`)
      .join(', ');
    lines.push(`  ${v.name}: ${gates || 'none'}`);
  }
  return lines;
}
