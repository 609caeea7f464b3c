import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HOST_STATES } from '../../machines/host/state.ts';
import { ROLLOUT_STATES } from '../../machines/rollout/state.ts';
import { REPO_ROOT, runCli } from '../cli/run-cli.ts';

/*
 * `report` pages opened in a real headless Chromium (never downloaded: the system's
 * /usr/bin/chromium, skipped when it is absent): every chart div holds a drawn SVG, no
 * chart failed, no console error, and a screenshot goes to docs/screenshots/.
 */

const CHROMIUM = '/usr/bin/chromium';
// Made when the tests start, not when the file is collected: a collection that runs no
// test (a filter, a skipped suite) would else leave the directory behind.
let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rollout-sim-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function open(
  html: string,
  shot: string,
): Promise<{
  charts: number;
  drawn: number;
  errors: string[];
  labels: string[];
  diagrams: string[][];
}> {
  const { chromium } = await import('playwright-core');
  // A fresh profile directory per launch: nothing carries over between runs.
  const browser = await chromium.launchPersistentContext(mkdtempSync(join(dir, 'profile-')), {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    // The page must need no network: refuse every request that is not the file itself.
    await page.route('**/*', (route) =>
      route.request().url().startsWith('file:') ? route.continue() : route.abort(),
    );
    await page.goto(`file://${html}`);
    // Page-side code as strings: this file is type-checked without the DOM library.
    await page.waitForFunction('window.reportRendered === true', null, { timeout: 60_000 });
    const result = (await page.evaluate(`(() => {
      const charts = [...document.querySelectorAll('div.chart')];
      return {
        charts: charts.length,
        drawn: charts.filter((c) => c.querySelector('svg path') !== null).length,
        failed: window.reportErrors ?? [],
        labels: charts.flatMap((c) => [...c.querySelectorAll('svg text')].map((t) => t.textContent)),
        diagrams: [...document.querySelectorAll('figure.diagram svg')].map(
          (d) => [...d.querySelectorAll('g.node title')].map((t) => t.textContent),
        ),
      };
    })()`)) as {
      charts: number;
      drawn: number;
      failed: string[];
      labels: string[];
      diagrams: string[][];
    };
    await page.screenshot({ path: join(REPO_ROOT, 'docs/screenshots', shot), fullPage: true });
    return {
      charts: result.charts,
      drawn: result.drawn,
      errors: [...errors, ...result.failed],
      labels: result.labels,
      diagrams: result.diagrams,
    };
  } finally {
    await browser.close();
  }
}

describe.skipIf(!existsSync(CHROMIUM))('report pages in Chromium', () => {
  test('a staged-1k trace: every chart drawn', async () => {
    const trace = join(dir, '1k.jsonl');
    expect(runCli(['run', '--preset', 'staged-1k', '--trace', trace, '--json']).status).toBe(0);
    const html = join(dir, '1k.html');
    const r = runCli(['report', trace, '--out', html]);
    expect(r.stdout).toBe(`report: ${html}\n`);
    const seen = await open(html, 'report-trace.png');
    expect(seen.charts).toBe(4);
    expect(seen.drawn).toBe(4);
    expect(seen.errors).toEqual([]);
    // Time reads as minutes and seconds, counts as whole numbers.
    expect(seen.labels).toContain('5m');
    expect(seen.labels.filter((l) => /^\d+\.\d+$/.test(l))).toEqual([]);
    expect(seen.labels).toContain('no faults were injected in this run');
    // Both machines drawn, every state of each a node of its picture.
    expect(seen.diagrams).toHaveLength(2);
    const [rollout, host] = seen.diagrams as [string[], string[]];
    for (const state of ROLLOUT_STATES) expect(rollout).toContain(state);
    for (const state of HOST_STATES) expect(host).toContain(state);
  }, 120_000);

  test('the bad-release comparison (50 paired seeds): both distributions drawn', async () => {
    const json = join(dir, 'cmp.json');
    const c = runCli([
      'compare',
      '--preset',
      'bad-release',
      '--variant',
      'halt:on_health_failure=halt',
      '--variant',
      'rollback:on_health_failure=rollback-and-halt',
      '--runs',
      '50',
      '--json',
    ]);
    expect(c.status).toBe(0);
    const { writeFileSync } = await import('node:fs');
    writeFileSync(json, c.stdout);
    const html = join(dir, 'cmp.html');
    expect(runCli(['report', json, '--out', html]).status).toBe(0);
    const seen = await open(html, 'report-comparison.png');
    expect(seen.charts).toBe(2);
    expect(seen.drawn).toBe(2);
    expect(seen.errors).toEqual([]);
    // Every metric titled with its run count; no axis label like 0.000000.
    expect(seen.labels).toContain('blast radius (hosts) (50 runs each)');
    // Every seed gave the same rollbacks under each variant: one dot of 50 runs a row.
    expect(seen.labels.filter((l) => l === '×50').length).toBeGreaterThanOrEqual(6);
    expect(seen.labels).toContain('no run reached Terminal under any of these');
    expect(seen.labels.filter((l) => /^-?\d+\.\d{3,}$/.test(l))).toEqual([]);
  }, 120_000);
});
