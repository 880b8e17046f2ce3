/**
 * The dashboard's layout in a real browser (issue 15 §1): at 390, 768, 1024 and 1400 px no two text
 * boxes of a table overlap, the page never scrolls sideways (wide tables scroll in their own box),
 * charts fit the screen, and a nav link does not hide its section heading under the sticky nav.
 * Every chart has a readable legend under it, and the two sides of an A/B session are shaded in tints a reader can
 * tell apart (checked on the canvas pixels).
 * Checked on two pages: one built from a crowded fixture (many lanes and workflows, long and hostile names and
 * units), and one from real measurements published as CI publishes them (fixtures/measured-dashboard.ts: several
 * lanes, a failed and a partial run, SLA breaches, a regression, a change point, an A/B session), so CI checks a
 * realistic page without running `pnpm demo` first.
 * Screenshots: .tmp/screenshots/<page>-<width>.png (kept as test output).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../src/report/html/index.js';
import type { ReportInput } from '../src/report/types.js';
import type { Run } from '../src/types.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH as CHROMIUM, toolAvailable } from '../../../test/helpers/tools.js';
import { measuredDashboard, type MeasuredDashboard } from './fixtures/measured-dashboard.js';
import { historyRuns, laneThresholds, makeRun, sessionRuns, XSS_NAME } from './fixtures/runs.js';

const hasChromium = toolAvailable(CHROMIUM, 'report-layout: checks the dashboard layout in headless Chromium');
const ROOT = resolve(__dirname, '../../..');
const SHOTS = join(ROOT, '.tmp', 'screenshots');
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

/**
 * Runs in the page: every canvas has its legend (ul.legend[data-chart=id]) under it, visible, inside the screen and
 * its chart box, in text of at least 11 px, with no two entries overprinting each other.
 */
const LEGEND_PROBE = `(() => {
  const problems = [];
  const hit = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (const canvas of document.querySelectorAll('canvas')) {
    const legend = document.querySelector('ul.legend[data-chart="' + canvas.id + '"]');
    if (!legend) { problems.push('no legend for ' + canvas.id); continue; }
    const box = canvas.closest('.chart-box').getBoundingClientRect();
    const c = canvas.getBoundingClientRect();
    const items = [...legend.querySelectorAll('li')];
    if (items.length === 0) problems.push('empty legend for ' + canvas.id);
    const rects = items.map((li) => li.getBoundingClientRect());
    items.forEach((li, i) => {
      const r = rects[i];
      const text = li.textContent.trim();
      if (!text) problems.push(canvas.id + ': legend entry without text');
      if (r.width < 1 || r.height < 1) problems.push(canvas.id + ': legend entry not visible: ' + text);
      if (r.top < c.bottom - 1) problems.push(canvas.id + ': legend entry over the chart: ' + text);
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.right > window.innerWidth) problems.push(canvas.id + ': legend entry outside its box: ' + text);
      if (parseFloat(getComputedStyle(li).fontSize) < 11) problems.push(canvas.id + ': legend text below 11 px: ' + text);
      for (let j = 0; j < i; j++) if (hit(r, rects[j])) problems.push(canvas.id + ': legend entries overlap: ' + text + ' / ' + items[j].textContent.trim());
    });
  }
  return problems;
})()`;

/**
 * Runs in the page: for every shaded A/B band the boot script drew, the median colour of the canvas pixels inside it
 * (the series lines cross it, the median is the tint), with the chart's legend text.
 */
const AB_PROBE = `(() => {
  const out = [];
  for (const chart of Object.values(Chart.instances)) {
    const bands = chart.lanebenchBands || [];
    if (bands.length === 0) continue;
    const ratio = chart.currentDevicePixelRatio || 1;
    const legend = document.querySelector('ul.legend[data-chart="' + chart.canvas.id + '"]');
    for (const b of bands) {
      const px = [];
      for (let i = 1; i < 8; i++)
        for (let j = 1; j < 8; j++) {
          const x = Math.round((b.left + ((b.right - b.left) * i) / 8) * ratio);
          const y = Math.round((b.top + ((b.bottom - b.top) * j) / 8) * ratio);
          px.push(chart.ctx.getImageData(x, y, 1, 1).data);
        }
      const med = (k) => px.map((p) => p[k]).sort((a, c) => a - c)[px.length >> 1];
      out.push({ chart: chart.canvas.id, side: b.side, width: b.right - b.left, rgb: [med(0), med(1), med(2)], legend: legend ? legend.textContent : '' });
    }
  }
  return out;
})()`;

/** Scrolls to #sla through its nav link; returns how far the heading sits below the nav (negative: hidden). */
const ANCHOR_PROBE = `(() => {
  const nav = document.querySelector('nav').getBoundingClientRect();
  const h = document.querySelector('#sla h2').getBoundingClientRect();
  return h.top - nav.bottom;
})()`;

interface AbBandSample {
  chart: string;
  side: 'base' | 'head';
  width: number;
  rgb: [number, number, number];
  legend: string;
}

/** The A/B session of the measured page is shaded on its trend charts: both sides, in tints that differ. */
async function checkAbSides(page: import('playwright-core').Page, width: number): Promise<void> {
  const bands = await page.evaluate<AbBandSample[]>(AB_PROBE);
  const charts = [...new Set(bands.map((b) => b.chart))];
  // execution time, memory and CPU trends of standard › unit tests
  expect(charts.length, `@${width}px: charts with A/B bands`).toBeGreaterThanOrEqual(3);
  for (const id of charts) {
    const base = bands.find((b) => b.chart === id && b.side === 'base');
    const head = bands.find((b) => b.chart === id && b.side === 'head');
    expect(base && head, `${id} @${width}px: both sides shaded`).toBeTruthy();
    for (const b of [base!, head!]) {
      expect(b.width, `${id} ${b.side} band width`).toBeGreaterThanOrEqual(8);
      // tinted, not the white plot background
      expect(Math.min(...b.rgb), `${id} ${b.side} band colour ${b.rgb.join(',')}`).toBeLessThan(245);
      expect(b.legend).toContain(`A/B ${b.side} side (shaded)`);
    }
    const distance = Math.hypot(...base!.rgb.map((v, i) => v - head!.rgb[i]!));
    expect(distance, `${id} @${width}px: base ${base!.rgb.join(',')} vs head ${head!.rgb.join(',')}`).toBeGreaterThan(
      30,
    );
  }
}

describe.skipIf(!hasChromium)('dashboard layout in headless Chromium', () => {
  let dir: string;
  let browser: import('playwright-core').Browser;
  let measured: MeasuredDashboard;
  const pages: Array<{ name: string; file: string }> = [];

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    dir = mkdtempSync(join(tmpdir(), 'lb-layout-'));
    const file = join(dir, 'crowded.html');
    writeFileSync(file, renderHtml(crowdedInput()));
    pages.push({ name: 'crowded', file });
    measured = await measuredDashboard(join(dir, 'measured'));
    pages.push({ name: 'measured', file: measured.file });
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('checks a measured page that has every feature it is meant to check', () => {
    const { result, session } = measured;
    expect(new Set(session.map((r) => r.lane))).toEqual(new Set(['docs', 'standard', 'heavy']));
    expect(session.map((r) => r.status)).toEqual(expect.arrayContaining(['completed', 'partial', 'failed']));
    expect(session.some((r) => r.sla.violations.length > 0)).toBe(true);
    expect(result.regressions).toContainEqual(
      expect.objectContaining({
        lane: 'standard',
        workflow: 'unit tests',
        metric: 'execution_time',
        status: 'regression',
      }),
    );
    expect(result.changePoints).toContainEqual(
      expect.objectContaining({ lane: 'docs', workflow: 'build site', metric: 'execution_time' }),
    );
    expect(result.reports.html).toBe(measured.file);
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
        expect(await page.evaluate<string[]>(LEGEND_PROBE), `${name} @${width}px: legends`).toEqual([]);
        if (name === 'measured') await checkAbSides(page, width);
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
