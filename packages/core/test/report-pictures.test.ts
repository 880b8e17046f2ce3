/**
 * Pictures first (issue 15 §2): trend axes scale to the data with out-of-range thresholds as edge
 * markers, change points and A/B sessions are marked, per-workflow cards draw SLA bars with margins,
 * all-zero metrics collapse to one line, a single-sample stdev prints "—", axis labels carry the year
 * and the time zone.
 */
import { describe, expect, it } from 'vitest';
import { axisDate, renderHtml, scaleToData } from '../src/report/html/index.js';
import { buildTrends } from '../src/report/html/charts.js';
import { zeroLine } from '../src/report/html/sections/statistics.js';
import { slaBars } from '../src/report/html/sections/workflows.js';
import { fmtStdev } from '../src/report/format.js';
import type { ReportInput } from '../src/report/types.js';
import { historyRuns, laneThresholds, makeRun } from './fixtures/runs.js';

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
    const run = makeRun({ lane: 'docs', workflow: 'build site', exec: 3, memory: 100, cpu: 10 });
    const history = historyRuns([run], 10);
    (history[6] as typeof run & { ab?: unknown }).ab = { session: 'ab-1', side: 'head', pair_count: 8 };
    const input: ReportInput = {
      runs: [run],
      history: [...history, run],
      generated_at: 'now',
      thresholds: { docs: laneThresholds('docs') },
      changePoints: [
        {
          lane: 'docs',
          workflow: 'build site',
          metric: 'execution_time',
          run_id: history[4]!.id,
          started_at: history[4]!.started_at,
          before: 2.5,
          after: 3.1,
          p_value: 0.01,
        },
      ],
    };
    const [trend] = buildTrends(input, 't');
    const exec = trend!.charts[0]!.spec;
    expect(exec.events).toEqual([
      { index: 4, kind: 'change-point', label: 'change point: 2.50 → 3.10 s' },
      { index: 6, kind: 'ab', label: 'A/B session ab-1' },
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
