import { type Comparison, METRIC_LABELS, METRICS } from '../../../sim/compare/comparison.ts';
import type { Spread } from '../../../sim/compare/stats.ts';
import { distributionBar } from './bars.ts';

const num = (x: number | null): string =>
  x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(1);
const ci = (s: Spread): string => (s.ci === null ? '-' : `[${num(s.ci[0])}, ${num(s.ci[1])}]`);

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd(),
  );
}

function block(title: string, rows: { name: string; s: Spread }[]): string[] {
  const all = rows.flatMap((r) => r.s.values);
  const lo = all.length === 0 ? 0 : Math.min(...all);
  const hi = all.length === 0 ? 0 : Math.max(...all);
  const body = rows.map((r) => [
    `  ${r.name}`,
    `n ${r.s.n}`,
    `median ${num(r.s.median)}`,
    `p90 ${num(r.s.p90)}`,
    `95% CI ${ci(r.s)}`,
    `│${distributionBar(r.s.values, lo, hi)}│`,
  ]);
  return [`${title}  (bars: ${num(lo)} … ${num(hi)})`, ...table(body)];
}

/** The comparison as text: per metric the variants, then the paired differences, with bars. */
export function comparisonText(c: Comparison): string[] {
  const lines = [
    `compare ${c.scenario}: ${c.variants.length} variants × ${c.seeds.length} paired seeds (${c.seeds[0]}…${c.seeds.at(-1)})`,
    '',
  ];
  for (const m of METRICS) {
    lines.push(
      ...block(
        METRIC_LABELS[m],
        c.variants.map((v) => ({ name: v.name, s: v.metrics[m] })),
      ),
    );
    if (c.differences.length > 0)
      lines.push(
        ...block(
          '  paired difference',
          c.differences.map((d) => ({ name: d.name, s: d.metrics[m] })),
        ),
      );
    lines.push('');
  }
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
