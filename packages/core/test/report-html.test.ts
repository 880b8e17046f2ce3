import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript, renderHtml, TREND_MAX_POINTS } from '../src/report/html/index.js';
import type { ReportInput } from '../src/report/types.js';
import { historyRuns, laneThresholds, makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM, toolAvailable } from '../../../test/helpers/tools.js';

// page.evaluate callbacks run in the browser; the repo compiles without the DOM lib, so declare the globals they use.
declare const window: unknown;
declare const document: { querySelectorAll(selector: string): { length: number } };

const hasChromium = toolAvailable(CHROMIUM, 'report-html: opens the dashboard in headless Chromium');

const SCREENSHOT_DIR = resolve(__dirname, '../../../.tmp');

function fullInput(): ReportInput {
  const runs = sessionRuns();
  return {
    runs,
    history: [...historyRuns(runs, 25), ...runs],
    generated_at: '2026-02-01T10:00:00.000Z',
    thresholds: { docs: laneThresholds('docs'), standard: laneThresholds('standard'), heavy: laneThresholds('heavy') },
    regressions: [
      {
        lane: 'standard',
        workflow: 'unit tests',
        metric: 'execution_time',
        status: 'regression',
        baseline_mean: 980.2,
        candidate_mean: 1136.3,
        change_pct: 15.9,
        p_value: 0.004,
        threshold_pct: 10,
        baseline_runs: 10,
        message: 'execution_time mean rose 15.9 % (p = 0.004)',
      },
      {
        lane: 'docs',
        workflow: XSS_NAME,
        metric: 'memory_usage',
        status: 'insufficient-data',
        baseline_mean: null,
        candidate_mean: 190,
        change_pct: null,
        p_value: null,
        threshold_pct: 10,
        baseline_runs: 1,
        message: `not enough earlier runs of ${XSS_NAME}`,
      },
    ],
    recommendations: [
      {
        id: 'parallelize',
        title: 'Parallelize test workers',
        priority: 1,
        description: 'CPU averages 44 % of 4 cores: most of the machine is idle.',
        estimated_improvement_pct: 35,
        effort: 'low',
        steps: ['Set maxWorkers to the number of cores', 'Split slow files'],
        evidence: { cpu_usage_mean: 44.2, logical_cores: 4, note: XSS_NAME },
        lane: 'standard',
        workflow: 'unit tests',
      },
      {
        id: 'incremental',
        title: 'Use incremental docs builds',
        priority: 3,
        description: 'Cache the build output between CI runs.',
        estimated_improvement_pct: 20,
        effort: 'medium',
        steps: ['Persist the cache directory'],
        evidence: { execution_time_mean: 209.9 },
        lane: 'docs',
        workflow: 'build site',
      },
    ],
  };
}

describe('html dashboard (static checks)', () => {
  it('escapes HTML and embedded JSON', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const json = jsonForScript({ s: '</script><!-- & \u2028\u2029' });
    expect(json).not.toMatch(/<|>|&|\u2028|\u2029/);
    expect(JSON.parse(json)).toEqual({ s: '</script><!-- & \u2028\u2029' });
  });

  it('is self-contained: chart.js inlined, no external URL, hostile names escaped', () => {
    const html = renderHtml(fullInput());
    expect(html).toContain('Chart.js v4');
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/sourceMappingURL/);
    expect(html).not.toMatch(/<(link|img|iframe)\b/i);
    expect(html).toContain(escapeHtml(XSS_NAME));
    expect(html).not.toContain('<img src=x');
    // only our three script elements
    expect(html.match(/<script\b/g)).toHaveLength(3);
    expect(html).toContain('Content-Security-Policy');
    // the stylesheet (assets/dashboard.css, imported as text) is inlined, not blanked by the build or test runner
    expect(html).toMatch(/<style>[^<]{5000,}<\/style>/);
    expect(html).toContain('scroll-padding-top');
    for (const s of [
      'Executive summary',
      'Lane-by-lane breakdown',
      'Statistics',
      'Resource timelines',
      'Historical trends',
      'SLA compliance and violations',
      'Regressions',
      'Optimization opportunities',
      'Environment',
    ]) {
      expect(html).toContain(s);
    }
    expect(html).toContain('p95 needs at least 20 samples');
  });

  it('bounds size for long histories (trends downsampled)', () => {
    const run = makeRun({
      lane: 'docs',
      workflow: 'build site',
      exec: 200,
      memory: 300,
      cpu: 20,
      startedAt: new Date(Date.UTC(2026, 5, 1)),
    });
    const history = historyRuns([run], 3000);
    const html = renderHtml({ runs: [run], history: [...history, run], generated_at: 'now' });
    const data = JSON.parse(
      html.match(/<script type="application\/json" id="lanebench-data">([^<]*)<\/script>/)![1]!,
    ) as { charts: Array<{ id: string; labels?: string[]; datasets: Array<{ data: unknown[] }> }> };
    const trend = data.charts.filter((c) => c.id.includes('trend'));
    expect(trend.length).toBe(3);
    for (const c of trend) {
      expect(c.labels!.length).toBeLessThanOrEqual(TREND_MAX_POINTS);
      for (const d of c.datasets) expect(d.data.length).toBeLessThanOrEqual(TREND_MAX_POINTS);
    }
    expect(html).toContain('3001 runs in history');
    expect(html).toContain('downsampled to 500 points');
    expect(html.length).toBeLessThan(1_200_000);
  });
});

describe.skipIf(!hasChromium)('html dashboard in headless Chromium', () => {
  let dir: string;
  let ctx: import('playwright-core').BrowserContext;
  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = mkdtempSync(join(tmpdir(), 'lb-html-'));
    ctx = await chromium.launchPersistentContext(join(dir, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1360, height: 900 },
      args: [...CHROMIUM_ARGS],
    });
  }, 120_000);
  afterAll(async () => {
    await ctx?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads offline without errors, draws every chart with data, and keeps hostile names inert', async () => {
    const file = join(dir, 'performance_dashboard.html');
    writeFileSync(file, renderHtml(fullInput()));
    const page = await ctx.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    await page.waitForFunction(() => typeof (window as any).Chart !== 'undefined');

    const charts = await page.evaluate(() => {
      const C = (window as any).Chart;
      const inst: any[] = Object.values(C.instances);
      return {
        canvases: document.querySelectorAll('canvas').length,
        instances: inst.map((c) => ({
          id: c.canvas.id,
          points: c.data.datasets.map((d: any) => d.data.length),
          drawn: (() => {
            const g = c.canvas.getContext('2d');
            const { data } = g.getImageData(0, 0, c.canvas.width, c.canvas.height);
            let n = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) n++;
            return n;
          })(),
        })),
      };
    });
    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith('file://'))).toBe(true);
    expect(charts.canvases).toBeGreaterThan(0);
    expect(charts.instances).toHaveLength(charts.canvases);
    for (const c of charts.instances) {
      expect(c.points.length, c.id).toBeGreaterThan(0);
      expect(Math.max(...c.points), c.id).toBeGreaterThan(0);
      expect(c.drawn, `${c.id} has painted pixels`).toBeGreaterThan(500);
    }
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    const text = await page.locator('body').innerText();
    expect(text).toContain(XSS_NAME);
    expect(text).toContain('NOT COMPLIANT');

    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png'), fullPage: true });
    await page.close();
  }, 120_000);
});
