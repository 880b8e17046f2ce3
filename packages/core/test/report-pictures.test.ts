/**
 * Pictures first (issue 15 §2): trend axes scale to the data with out-of-range thresholds as edge
 * markers, change points and A/B sessions are marked, per-workflow cards draw SLA bars with margins,
 * all-zero metrics collapse to one line, a single-sample stdev prints "—", axis labels carry the year
 * and the time zone.
 */
import { describe, expect, it } from 'vitest';
import { axisDate, renderHtml, scaleToData } from '../src/report/html/index.js';
import { AB_COLORS, AB_TEXT_COLORS, buildTimelines, buildTrends, legendItems } from '../src/report/html/charts.js';
import { chartLegend } from '../src/report/html/sections/common.js';
import { zeroLine } from '../src/report/html/sections/statistics.js';
import { slaBars } from '../src/report/html/sections/workflows.js';
import { fmtStdev } from '../src/report/format.js';
import type { ReportInput } from '../src/report/types.js';
import type { Run } from '../src/types.js';
import { historyRuns, laneThresholds, makeRun } from './fixtures/runs.js';

/**
 * docs/build site: 10 earlier runs, those at the keys of `ab` marked as sides of an A/B session, a change point at
 * earlier run `changeAt`, and this session's run.
 */
function trendInput(changeAt: number, ab: Record<number, NonNullable<Run['ab']>>): ReportInput {
  const run = makeRun({ lane: 'docs', workflow: 'build site', exec: 3, memory: 100, cpu: 10 });
  const history = historyRuns([run], 10);
  for (const [i, side] of Object.entries(ab)) history[Number(i)]!.ab = side;
  return {
    runs: [run],
    history: [...history, run],
    generated_at: 'now',
    thresholds: { docs: laneThresholds('docs') },
    changePoints: [
      {
        lane: 'docs',
        workflow: 'build site',
        metric: 'execution_time',
        run_id: history[changeAt]!.id,
        started_at: history[changeAt]!.started_at,
        before: 2.5,
        after: 3.1,
        p_value: 0.01,
      },
    ],
  };
}

describe('trend scaling', () => {
  it('spans the data; a far threshold is an edge marker, a near one a line', () => {
    const s = scaleToData(
      [2.5, 2.6, 2.7],
      [
        { label: 'p99 < 500 s', value: 500, color: 'red' },
        { label: 'mean < 2.75 s', value: 2.75, color: 'amber' },
      ],
    );
    expect(s.yMax).toBeLessThan(3.5);
    expect(s.yMin).toBeGreaterThan(2);
    expect(s.marks.map((m) => m.placement)).toEqual(['above', 'line']);
  });

  it('marks change points and A/B sessions on the trend of their workflow', () => {
    const input = trendInput(4, { 6: { session: 'ab-1', side: 'head', pair_count: 8 } });
    const [trend] = buildTrends(input, 't');
    const exec = trend!.charts[0]!.spec;
    expect(exec.events).toEqual([{ index: 4, kind: 'change-point', label: 'change point: 2.50 → 3.10 s' }]);
    expect(exec.bands).toEqual([
      {
        from: 6,
        to: 6,
        side: 'head',
        session: 'ab-1',
        label: 'A/B head (session ab-1)',
        color: AB_COLORS.head,
        textColor: AB_TEXT_COLORS.head,
      },
    ]);
    // the 300/400/500 s docs limits are far above ~3 s of data: markers, not an axis stretched to 500
    expect(exec.thresholds!.every((t) => t.placement === 'above')).toBe(true);
    expect(exec.yMax).toBeLessThan(10);
    expect(exec.labels![0]).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d UTC/);
    expect(axisDate('2026-02-01T09:05:00Z')).toBe('2026-02-01 09:05 UTC');
  });
});

describe('workflow cards and statistics', () => {
  it('draws SLA bars green/amber/red with the margin', () => {
    const run = makeRun({ lane: 'standard', workflow: 'unit', exec: 1150, memory: 600, cpu: 45, spread: 0.01 });
    const bars = slaBars(
      { runs: [run], history: [], generated_at: 'now', thresholds: { standard: laneThresholds('standard') } },
      run,
    );
    const byLabel = Object.fromEntries(bars.map((b) => [`${b.metric} ${b.label}`, b]));
    expect(byLabel['execution_time mean <= 900 s']!.tone).toBe('bad');
    expect(byLabel['execution_time mean <= 900 s']!.marginPct).toBeLessThan(0);
    expect(byLabel['execution_time p95 <= 1200 s']!.tone).toBe('warn');
    expect(byLabel['memory_usage max <= 1024 MB']!.tone).toBe('ok');
    expect(byLabel['memory_usage max <= 1024 MB']!.marginPct).toBeGreaterThan(20);
  });

  it('collapses all-zero metrics into one line and prints a one-sample stdev as —', () => {
    const run = makeRun({ lane: 'docs', workflow: 'offline', exec: 2, memory: 50, cpu: 5, iterations: 1 });
    for (const k of [
      'disk_read_bytes',
      'disk_write_bytes',
      'disk_io',
      'network_rx_bytes',
      'network_tx_bytes',
      'network_io',
    ])
      run.metrics_analysis[k] = {
        mean: 0,
        median: 0,
        stdev: 0,
        min: 0,
        max: 0,
        p95: 0,
        p99: 0,
        samples: 1,
        unresolved: ['p95', 'p99'],
      };
    const page = renderHtml({ runs: [run], history: [], generated_at: 'now' });
    expect(page).toContain('disk and network: 0 in every iteration');
    expect(page).not.toMatch(/<td class="name">\s*disk_io/);
    expect(fmtStdev('execution_time', run.metrics_analysis.execution_time!)).toBe('—');
    expect(zeroLine(['disk_io', 'pages'])).toBe('disk_io, pages: 0 in every iteration');
  });
});

describe('chart legends and A/B sides', () => {
  /** docs/build site: earlier runs with one A/B session (base then head), a change point, and this session's run. */
  function abInput(): ReportInput {
    return trendInput(3, {
      6: { session: 'ab-session-0001', side: 'base', pair_count: 4 },
      7: { session: 'ab-session-0001', side: 'head', pair_count: 4 },
    });
  }

  /** The legend list under the canvas of chart `id`, as [swatch kind, text] pairs. */
  function legendOf(page: string, id: string): Array<[string, string]> {
    const m = new RegExp(`<ul class="legend" data-chart="${id}">([\\s\\S]*?)</ul>`).exec(page);
    expect(m, `legend of ${id}`).not.toBeNull();
    return [...m![1]!.matchAll(/<li><span class="swatch (\w+)"[^>]*><\/span>([^<]*)<\/li>/g)].map(
      (x) => [x[1]!, x[2]!] as [string, string],
    );
  }

  it('gives each side of an A/B session its own band and tint, and lists both in the legend', () => {
    const input = abInput();
    const [trend] = buildTrends(input, 'c');
    const exec = trend!.charts[0]!.spec;
    expect(exec.bands!.map((b) => [b.side, b.from, b.to])).toEqual([
      ['base', 6, 6],
      ['head', 7, 7],
    ]);
    expect(AB_COLORS.base).not.toBe(AB_COLORS.head);
    const items = legendItems(exec);
    expect(items.filter((i) => i.swatch === 'band')).toEqual([
      { label: 'A/B base side (shaded)', color: AB_COLORS.base, swatch: 'band' },
      { label: 'A/B head side (shaded)', color: AB_COLORS.head, swatch: 'band' },
    ]);
    expect(items.map((i) => i.label)).toEqual(
      expect.arrayContaining(['mean', 'p95', 'change point', expect.stringMatching(/^SLA .*edge arrow\)$/)]),
    );

    const page = renderHtml(input);
    const legend = legendOf(page, exec.id);
    expect(legend).toContainEqual(['band', 'A/B base side (shaded)']);
    expect(legend).toContainEqual(['band', 'A/B head side (shaded)']);
    expect(legend).toContainEqual(['line', 'mean']);
    expect(legend).toContainEqual(['marker', 'change point']);
    // the chart data carries both bands to the boot script that shades them
    const data = JSON.parse(
      /<script type="application\/json" id="lanebench-data">([\s\S]*?)<\/script>/.exec(page)![1]!,
    );
    const spec = data.charts.find((c: { id: string }) => c.id === exec.id);
    expect(spec.bands.map((b: { side: string; color: string }) => [b.side, b.color])).toEqual([
      ['base', AB_COLORS.base],
      ['head', AB_COLORS.head],
    ]);
  });

  it('draws no band and no A/B legend entry where there is no A/B session', () => {
    const input = abInput();
    for (const r of input.history) delete r.ab;
    const exec = buildTrends(input, 'c')[0]!.charts[0]!.spec;
    expect(exec.bands).toEqual([]);
    expect(legendItems(exec).some((i) => i.swatch === 'band')).toBe(false);
  });

  it('puts a legend naming each iteration under every timeline chart', () => {
    const run = makeRun({
      lane: 'heavy',
      workflow: 'e2e',
      exec: 4,
      memory: 300,
      cpu: 40,
      iterations: 4,
      override: { 2: { status: 'failed', error: 'exit 1' } },
    });
    const [tl] = buildTimelines({ runs: [run], history: [], generated_at: 'now' }, 'c');
    const page = renderHtml({ runs: [run], history: [], generated_at: 'now' });
    for (const spec of [tl!.cpu!, tl!.mem!]) {
      const legend = legendOf(page, spec.id);
      expect(legend).toEqual([
        ['line', 'iteration #1'],
        ['line', 'iteration #2'],
        ['line', 'iteration #3 (failed)'],
        ['line', 'iteration #4'],
      ]);
    }
    // no chart without its legend: as many legends as canvases
    expect(page.match(/<ul class="legend"/g)?.length).toBe(page.match(/<canvas /g)?.length);
  });

  it('escapes series labels in the legend', () => {
    const items = legendItems({
      id: 'x',
      xType: 'linear',
      xTitle: '',
      yTitle: '',
      datasets: [{ label: '<img src=x onerror=alert(1)>', data: [], color: '#000' }],
    });
    const html = chartLegend(items, 'x').toString();
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
  });
});
