/**
 * The dashboard's layout in a real browser (issue 15 §1): at 390, 768, 1024 and 1400 px no two text
 * boxes of a table overlap, the page never scrolls sideways (wide tables scroll in their own box),
 * charts fit the screen, and a nav link does not hide its section heading under the sticky nav.
 * Checked on a dashboard built from a realistic fixture (many lanes and workflows, long names, hostile
 * names and units) and, when `pnpm demo` has been run, on the demo's own dashboard.
 * Screenshots: .tmp/screenshots/<page>-<width>.png (kept as test output).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../src/report/html/index.js';
import type { ReportInput } from '../src/report/types.js';
import type { Run } from '../src/types.js';
import { toolAvailable } from '../../../test/helpers/tools.js';
import { historyRuns, laneThresholds, makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';

const CHROMIUM = process.env.LANEBENCH_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = toolAvailable(CHROMIUM, 'report-layout: checks the dashboard layout in headless Chromium');
const ROOT = resolve(__dirname, '../../..');
const SHOTS = join(ROOT, '.tmp', 'screenshots');
const DEMO = join(ROOT, '.benchmark_results', 'performance_dashboard.html');
const WIDTHS = [390, 768, 1024, 1400] as const;

/** Many lanes, long and hostile names, a hostile unit, a partial run: what breaks layouts. */
export function crowdedInput(): ReportInput {
  const runs: Run[] = sessionRuns();
  const start = new Date(Date.UTC(2026, 1, 1, 9, 0, 0));
  const lanes = [
    'lint',
    'typecheck',
    'e2e-chromium',
    'e2e-firefox',
    'visual-regression',
    'a-lane-with-a-rather-long-name',
  ];
  lanes.forEach((lane, i) => {
    for (let w = 0; w < 3; w++)
      runs.push(
        makeRun({
          lane,
          workflow: w === 0 ? `workflow-with-an-unbroken-name-${'x'.repeat(40)}` : `suite ${w} of ${lane}`,
          exec: 30 + i * 40 + w * 5,
          memory: 200 + i * 150,
          cpu: 20 + i * 8,
          startedAt: start,
          seed: 100 + i * 10 + w,
        }),
      );
  });
  const hostile = makeRun({
    lane: 'docs',
    workflow: `${XSS_NAME} https://evil.example/`,
    exec: 5,
    memory: 50,
    cpu: 5,
    seed: 77,
  });
  for (const it of hostile.iterations) it.custom = { pages: 1234 };
  hostile.metrics_analysis.pages = {
    ...hostile.metrics_analysis.execution_time!,
    mean: 1234,
    median: 1234,
    min: 1234,
    max: 1234,
    stdev: 0,
  };
  hostile.custom_units = { pages: '<meta http-equiv="refresh" content="0;url=https://evil.example/">' };
  runs.push(hostile);
  const thresholds: Record<string, ReturnType<typeof laneThresholds>> = {};
  for (const r of runs) thresholds[r.lane] ??= laneThresholds(r.lane);
  return {
    runs,
    history: [...historyRuns(runs.slice(0, 6), 12), ...runs],
    generated_at: '2026-02-01T10:00:00.000Z',
    thresholds,
  };
}

/** Runs in the page: every pair of cells in a table row whose text boxes intersect, and page overflow. */
const LAYOUT_PROBE = `(() => {
  const problems = [];
  const textRects = (cell) => {
    const out = [];
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (!n.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(n);
      for (const r of range.getClientRects()) if (r.width > 0 && r.height > 0) out.push(r);
    }
    return out;
  };
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (const row of document.querySelectorAll('tr')) {
    const cells = [...row.children].map((c) => ({ c, rects: textRects(c) }));
    for (let i = 0; i < cells.length; i++)
      for (let j = i + 1; j < cells.length; j++)
        if (cells[i].rects.some((a) => cells[j].rects.some((b) => hit(a, b))))
          problems.push('overlap: "' + cells[i].c.textContent.trim().slice(0, 40) + '" / "' + cells[j].c.textContent.trim().slice(0, 40) + '"');
  }
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth) problems.push('page scrolls sideways: scrollWidth ' + doc.scrollWidth + ' > innerWidth ' + window.innerWidth);
  for (const c of document.querySelectorAll('canvas, .wf-card svg')) {
    const r = c.getBoundingClientRect();
    if (r.right > window.innerWidth + 1 || r.left < -1) problems.push('picture outside the screen: ' + (c.id || c.tagName) + ' ' + r.left + '–' + r.right);
    if (r.width < Math.min(250, window.innerWidth - 60)) problems.push('picture too narrow to read: ' + (c.id || c.tagName) + ' ' + r.width + ' px');
  }
  return problems;
})()`;

/** Scrolls to #sla through its nav link; returns how far the heading sits below the nav (negative: hidden). */
const ANCHOR_PROBE = `(() => {
  const nav = document.querySelector('nav').getBoundingClientRect();
  const h = document.querySelector('#sla h2').getBoundingClientRect();
  return h.top - nav.bottom;
})()`;

describe.skipIf(!hasChromium)('dashboard layout in headless Chromium', () => {
  let dir: string;
  let browser: import('playwright-core').Browser;
  const pages: Array<{ name: string; file: string }> = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = mkdtempSync(join(tmpdir(), 'lb-layout-'));
    const file = join(dir, 'crowded.html');
    writeFileSync(file, renderHtml(crowdedInput()));
    pages.push({ name: 'crowded', file });
    if (existsSync(DEMO)) pages.push({ name: 'demo', file: DEMO });
    else console.warn(`SKIP (demo page): ${DEMO} does not exist; run \`pnpm demo\` to check the demo's dashboard too`);
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
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
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const width of WIDTHS) {
    it(`has no overlapping table text, no sideways page scroll and visible anchors at ${width} px`, async () => {
      for (const { name, file } of pages) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => {
          if (m.type() === 'error') errors.push(m.text());
        });
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        // the boot script draws the charts synchronously after Chart.js loads
        await page.waitForFunction('typeof Chart !== "undefined" && Object.keys(Chart.instances).length > 0');
        expect(errors, `${name} @${width}`).toEqual([]);
        const problems = await page.evaluate<string[]>(LAYOUT_PROBE);
        expect(problems, `${name} @${width}px`).toEqual([]);
        // hostile names and units stayed text
        expect(await page.locator('meta[http-equiv="refresh" i]').count()).toBe(0);
        expect(await page.evaluate('window.__pwned')).toBeUndefined();
        // a full-page shot of a long page is slow on a loaded machine
        await page.screenshot({ path: join(SHOTS, `${name}-${width}.png`), fullPage: true, timeout: 180_000 });
        await page.click('nav a[href="#sla"]');
        await page.waitForTimeout(100);
        const gap = await page.evaluate<number>(ANCHOR_PROBE);
        expect(gap, `${name} @${width}px: #sla heading vs nav`).toBeGreaterThanOrEqual(0);
        await page.close();
      }
    }, 400_000);
  }
});
