import { span } from '../cli/summary-text.ts';
import { type Chart, escapeHtml, page } from './page.ts';
import { COUNT_AXIS, durationAxis } from './scales.ts';

/** A spread of `compare --json`, checked by `comparison-schema.ts`. */
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

/** How each metric of `compare --json` is titled and its numbers written. */
const METRIC_VIEW: Readonly<Record<string, { label: string; kind: 'duration' | 'count' }>> = {
  time_to_terminal: { label: 'time to Terminal', kind: 'duration' },
  blast_radius: { label: 'blast radius (hosts)', kind: 'count' },
  rollbacks: { label: 'rollbacks', kind: 'count' },
  failed_or_stuck: { label: 'hosts left Failed or stuck', kind: 'count' },
};
const viewOf = (metric: string) => METRIC_VIEW[metric] ?? { label: metric, kind: 'count' as const };

/** `12m30s` for a duration in seconds, a whole number for a count (one decimal if not whole). */
function fmt(x: number | null, kind: 'duration' | 'count' = 'count'): string {
  if (x === null) return '-';
  if (kind === 'duration') return `${x < 0 ? '−' : ''}${span(Math.abs(x))}`;
  return Number.isInteger(x) ? String(x) : x.toFixed(1);
}

/**
 * One metric's spread per row: a dot for each value the runs gave, as large as the number
 * of runs that gave it (labelled with that number), the median as a black tick, the
 * bootstrap 95% interval of the median as a shaded bar and min–max as a thin line.
 * Unlike a box plot it still says something when every run gave the same number
 * (one large dot: "×50"), and it shows how many runs are behind each value.
 */
function metricChart(
  metric: string,
  rows: readonly Named[],
  palette: readonly string[],
): Record<string, unknown> {
  const view = viewOf(metric);
  const names = rows.map((r) => r.name);
  const points = rows.flatMap((r) => {
    const runs = new Map<number, number>();
    for (const v of r.metrics[metric]?.values ?? []) runs.set(v, (runs.get(v) ?? 0) + 1);
    return [...runs].map(([value, n]) => ({ name: r.name, value, runs: n, label: `×${n}` }));
  });
  const ranges = rows.flatMap((r) => {
    const s = r.metrics[metric];
    if (s === undefined || s.n === 0 || s.median === null) return [];
    return [
      {
        name: r.name,
        min: Math.min(...s.values),
        max: Math.max(...s.values),
        median: s.median,
        lo: s.ci95?.[0] ?? s.median,
        hi: s.ci95?.[1] ?? s.median,
      },
    ];
  });
  const all = [...points.map((p) => p.value), ...ranges.flatMap((r) => [r.lo, r.hi])];
  const lo = all.length === 0 ? 0 : Math.min(...all);
  const hi = all.length === 0 ? 1 : Math.max(...all);
  // A single value still gets an axis around it; otherwise a margin of 5% each side.
  const pad = hi > lo ? (hi - lo) * 0.05 : view.kind === 'duration' ? 60 : 1;
  const domain = [lo - pad, hi + pad];
  const axis =
    all.length === 0
      ? null
      : view.kind === 'duration'
        ? durationAxis(domain[0] as number, domain[1] as number)
        : COUNT_AXIS;
  const x = (field: string) => ({
    field,
    type: 'quantitative',
    title: null,
    scale: { domain, nice: false, zero: false },
    axis,
  });
  const y = { field: 'name', type: 'nominal', title: null, sort: names, scale: { domain: names } };
  const color = {
    field: 'name',
    type: 'nominal',
    legend: null,
    scale: { domain: names, range: names.map((_, i) => palette[i % palette.length]) },
  };
  const ns = rows.map((r) => r.metrics[metric]?.n ?? 0);
  const most = Math.max(0, ...ns);
  // How many runs each row stands on: a metric some runs lack (never Terminal) says so.
  const runs = ns.every((n) => n === most)
    ? `${most} run${most === 1 ? '' : 's'}${rows.length > 1 ? ' each' : ''}`
    : `runs: ${rows.map((r, i) => `${r.name} ${ns[i]}`).join(', ')}`;
  // Labels only while they stay readable: a handful of distinct values per row.
  const labelled = points.length <= 12 * rows.length;
  return {
    title: {
      text: `${view.label} (${runs})`,
      anchor: 'start',
      fontSize: 13,
    },
    width: 760,
    height: 40 * rows.length + 10,
    layer: [
      {
        data: { values: ranges },
        mark: { type: 'rule', color: '#999' },
        encoding: { x: x('min'), x2: { field: 'max' }, y },
      },
      {
        data: { values: ranges },
        mark: { type: 'rule', strokeWidth: 12, opacity: 0.25 },
        encoding: { x: x('lo'), x2: { field: 'hi' }, y, color },
      },
      {
        data: { values: points },
        mark: { type: 'circle', opacity: 0.6 },
        encoding: {
          x: x('value'),
          y,
          size: {
            field: 'runs',
            type: 'quantitative',
            legend: null,
            scale: { domain: [1, Math.max(1, most)], range: [30, 500] },
          },
          color,
          tooltip: [{ field: 'name' }, { field: 'value' }, { field: 'runs' }],
        },
      },
      {
        data: { values: ranges },
        mark: { type: 'tick', thickness: 3, size: 28, color: '#222' },
        encoding: {
          x: x('median'),
          y,
          tooltip: [{ field: 'name' }, { field: 'median' }, { field: 'lo' }, { field: 'hi' }],
        },
      },
      ...(labelled
        ? [
            {
              data: { values: points },
              mark: { type: 'text', dy: -17, fontSize: 11, color: '#333' },
              encoding: { x: x('value'), y, text: { field: 'label' } },
            },
          ]
        : []),
      ...(all.length > 0
        ? []
        : [
            {
              data: {
                values: [
                  {
                    text:
                      metric === 'time_to_terminal'
                        ? 'no run reached Terminal under any of these'
                        : 'no values',
                  },
                ],
              },
              mark: { type: 'text', color: '#777', fontSize: 13 },
              encoding: { text: { field: 'text' }, x: { value: 380 }, y: { value: 20 } },
            },
          ]),
    ],
  };
}

/** Variants in Vega's own first colours; differences in others, so neither is taken for a variant. */
const VARIANT_PALETTE = ['#4c78a8', '#f58518', '#54a24b', '#e45756', '#72b7b2', '#eeca3b'];
const DIFFERENCE_PALETTE = ['#7b4ea3', '#9d755d', '#bab0ac', '#ff9da6'];

function distributions(
  id: string,
  title: string,
  rows: readonly Named[],
  note: string,
  palette: readonly string[],
): Chart {
  const metrics = Object.keys(rows[0]?.metrics ?? {});
  return {
    id,
    title,
    note,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      vconcat: metrics.map((m) => metricChart(m, rows, palette)),
      spacing: 28,
    },
  };
}

function table(rows: readonly Named[]): string {
  const metrics = Object.keys(rows[0]?.metrics ?? {});
  const head = `<tr><th></th>${metrics.map((m) => `<th>${escapeHtml(viewOf(m).label)}<br>median · p90 · 95% CI</th>`).join('')}</tr>`;
  const body = rows
    .map((r) => {
      const cells = metrics.map((m) => {
        const s = r.metrics[m] as SpreadJson;
        const k = viewOf(m).kind;
        return `<td>${fmt(s.median, k)} · ${fmt(s.p90, k)} · ${s.ci95 === null ? '-' : `[${fmt(s.ci95[0], k)}, ${fmt(s.ci95[1], k)}]`} (n ${s.n})</td>`;
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
      'A dot for each value the runs gave, as large as the number of runs (×N) that gave it; the black tick is the median, the shaded bar its 95% bootstrap interval, the thin line min to max.',
      VARIANT_PALETTE,
    ),
  ];
  if (c.differences.length > 0)
    charts.push(
      distributions(
        'differences',
        'Paired differences (variant − first variant, seed by seed)',
        c.differences,
        'Per seed, the variant’s number minus the first variant’s on the same seed (zero: they did the same), drawn as above.',
        DIFFERENCE_PALETTE,
      ),
    );
  const intro = `<p>${escapeHtml(source)} · scenario ${escapeHtml(c.scenario)} · ${c.variants.length} variants × ${c.seeds.length} paired seeds</p>${table(c.variants)}${table(c.differences)}`;
  return page(`rollout-sim comparison: ${c.scenario}`, intro, charts, '');
}
