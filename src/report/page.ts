import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A chart on the page: a heading, a line of explanation, and a Vega-Lite spec. */
export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly spec: Record<string, unknown>;
}

/** The built browser bundles, read from node_modules so the page needs no network. */
function bundle(pkg: string, file: string): string {
  // Not every package exports its package.json: find the root from its main entry.
  const main = require.resolve(pkg);
  const root = main.slice(
    0,
    main.lastIndexOf(`/node_modules/${pkg}/`) + `/node_modules/${pkg}/`.length,
  );
  const path = root + file;
  // A literal `</script` inside a bundle would end the inline script early.
  return readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
}

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `body{font:14px system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}p.note{color:#555;margin:4px 0 8px}
figure.diagram{margin:8px 0}figure.diagram svg{max-width:100%;height:auto}figure.diagram figcaption{color:#555;font-size:13px}
table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:13px}
td.reached{background:#d9f2d9}td.unreached{color:#999}.chart{min-height:60px}.stalled{background:#fde2e2;border:1px solid #e99;padding:8px;margin:8px 0}
pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:12px}`;

/**
 * One self-contained HTML file: the Vega, Vega-Lite and vega-embed bundles inline, the
 * charts' specs as JSON, and `window.reportRendered` set once every chart has drawn (the
 * browser test waits for it; a failed chart is listed in `window.reportErrors`).
 */
export function page(
  title: string,
  intro: string,
  charts: readonly Chart[],
  extra: string,
): string {
  const specs = JSON.stringify(Object.fromEntries(charts.map((c) => [c.id, c.spec]))).replace(
    /</g,
    '\\u003c',
  );
  const sections = charts
    .map(
      (c) =>
        `<h2>${escapeHtml(c.title)}</h2><p class="note">${escapeHtml(c.note)}</p><div class="chart" id="${c.id}"></div>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
<script>${bundle('vega', 'build/vega.min.js')}</script>
<script>${bundle('vega-lite', 'build/vega-lite.min.js')}</script>
<script>${bundle('vega-embed', 'build/vega-embed.min.js')}</script>
</head><body>
<h1>${escapeHtml(title)}</h1>
${intro}
${sections}
${extra}
<script>
const specs = ${specs};
window.reportErrors = [];
Promise.all(Object.entries(specs).map(([id, spec]) =>
  vegaEmbed('#' + id, spec, { renderer: 'svg', actions: false }).catch((e) => { window.reportErrors.push(id + ': ' + e.message); })
)).then(() => { window.reportRendered = true; });
</script>
</body></html>
`;
}
