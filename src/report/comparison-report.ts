import { type Chart, escapeHtml, page } from './page.ts';

interface SpreadJson {
  readonly n: number;
  readonly median: number | null;
  readonly p90: number | null;
  readonly ci95: readonly [number, number] | null;
  readonly values: readonly number[];
}
interface Named {
  readonly name: string;
  readonly metrics: Readonly<Record<string, SpreadJson>>;
}
export interface ComparisonJson {
  readonly format: 'rollout-sim-comparison/1';
  readonly scenario: string;
  readonly seeds: readonly number[];
  readonly variants: readonly Named[];
  readonly differences: readonly Named[];
}

const fmt = (x: number | null) =>
  x === null ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(1);

function distributions(id: string, title: string, rows: readonly Named[], note: string): Chart {
  const values = rows.flatMap((r) =>
    Object.entries(r.metrics).flatMap(([metric, s]) =>
      s.values.map((value) => ({ name: r.name, metric, value })),
    ),
  );
  return {
    id,
    title,
    note,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      data: { values },
      facet: { column: { field: 'metric', type: 'nominal', title: null } },
      spec: {
        width: 220,
        height: 40 + 30 * rows.length,
        layer: [
          { mark: { type: 'boxplot', extent: 'min-max' } },
          { mark: { type: 'tick', opacity: 0.35, color: '#333' } },
        ],
        encoding: {
          x: { field: 'value', type: 'quantitative', title: null },
          y: { field: 'name', type: 'nominal', title: null },
          color: { field: 'name', type: 'nominal', legend: null },
        },
      },
      resolve: { scale: { x: 'independent' } },
    },
  };
}

function table(rows: readonly Named[]): string {
  const metrics = Object.keys(rows[0]?.metrics ?? {});
  const head = `<tr><th></th>${metrics.map((m) => `<th>${escapeHtml(m)}<br>median · p90 · 95% CI</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => {
      const cells = metrics.map((m) => {
        const s = r.metrics[m] as SpreadJson;
        return `<td>${fmt(s.median)} · ${fmt(s.p90)} · ${s.ci95 === null ? '-' : `[${fmt(s.ci95[0])}, ${fmt(s.ci95[1])}]`} (n ${s.n})</td>`;
      });
      return `<tr><th>${escapeHtml(r.name)}</th>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table>${head}${body}</table>`;
}

/** `report COMPARISON.json`: each metric's distribution per variant and per paired difference. */
export function comparisonReport(c: ComparisonJson, source: string): string {
  const charts = [
    distributions(
      'variants',
      'Distributions per variant',
      c.variants,
      'One box (min–max whiskers) and a tick per run.',
    ),
  ];
  if (c.differences.length > 0)
    charts.push(
      distributions(
        'differences',
        'Paired differences (variant − first variant, seed by seed)',
        c.differences,
        'Zero means the variants did the same on that seed.',
      ),
    );
  const intro = `<p>${escapeHtml(source)} · scenario ${escapeHtml(c.scenario)} · ${c.variants.length} variants × ${c.seeds.length} paired seeds</p>${table(c.variants)}${table(c.differences)}`;
  return page(`rollout-sim comparison: ${c.scenario}`, intro, charts, '');
}
