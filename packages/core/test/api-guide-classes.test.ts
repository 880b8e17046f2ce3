import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BenchmarkSuite,
  LaneType,
  MetricsCollector,
  OptimizationRecommender,
  PerformanceAnalyzer,
  ReportGenerator,
  SLAValidator,
} from '../src/api/index.js';
import { resolveConfig } from '../src/config/index.js';
import { makeRun } from './analysis-fixtures.js';

const times = (...t: number[]) => t.map((execution_time) => ({ execution_time }));

describe('api (the guide’s class names)', () => {
  it('LaneType names the built-in lanes', () => {
    expect(LaneType).toEqual({ DOCS: 'docs', STANDARD: 'standard', HEAVY: 'heavy' });
    const lane: LaneType = LaneType.HEAVY;
    expect(lane).toBe('heavy');
  });

  it('PerformanceAnalyzer wraps analyzeLane, getTrends, detectRegressions and compare', () => {
    const a = makeRun({ id: 'a', startedAt: '2025-01-01T00:00:00Z', iterations: times(10, 10.1, 9.9, 10) });
    const b = makeRun({ id: 'b', startedAt: '2025-01-02T00:00:00Z', iterations: times(15, 15.2, 14.9, 15.1) });
    const analyzer = new PerformanceAnalyzer({ schema_version: 1, runs: [a, b] });
    expect(analyzer.analyzeLane('docs')).toMatchObject({ lane: 'docs', total_runs: 2 });
    expect(analyzer.getTrends('docs', 'execution_time').map((p) => p.run_id)).toEqual(['a', 'b']);
    // one earlier run is too little for the run-level gate; five are enough
    expect(analyzer.detectRegressions('b', { metrics: ['execution_time'] })[0]!.status).toBe('insufficient-data');
    const more = [1, 2, 3, 4].map((i) =>
      makeRun({ id: `a${i}`, startedAt: `2024-12-0${i}T00:00:00Z`, iterations: times(10 + i / 10, 10, 9.9) }),
    );
    const five = new PerformanceAnalyzer({ schema_version: 1, runs: [...more, a, b] });
    expect(five.detectRegressions('b', { metrics: ['execution_time'] })[0]!.status).toBe('regression');
    expect(() => analyzer.detectRegressions('zzz')).toThrow(/no run with id 'zzz'/);
    expect(analyzer.compare([a], [b]).find((c) => c.metric === 'execution_time')!.change_pct).toBeCloseTo(50.3, 0);
  });

  it('SLAValidator validates a lane on its latest run per workflow, with the configured SLA', () => {
    const config = resolveConfig({ lanes: { docs: { sla: { p95: 12 } } } });
    const validator = new SLAValidator(config);
    const old = makeRun({ startedAt: '2025-01-01T00:00:00Z', iterations: times(20, 20, 20) });
    const latest = makeRun({ startedAt: '2025-01-02T00:00:00Z', iterations: times(10, 10, 10) });
    expect(validator.validateLane('docs', [old, latest])).toMatchObject({
      lane: 'docs',
      compliant: true,
      passed: true,
    });
    const pooled = validator.validateLane('docs', [old, latest], { window: 2 });
    expect(pooled.compliant).toBe(false);
    expect(pooled.violations.map((v) => v.name)).toEqual(['execution_time_p95']);
    expect(validator.validateRun(old).compliant).toBe(false);
  });

  it('OptimizationRecommender uses the configured lane limits', () => {
    const run = makeRun({
      lane: 'standard',
      iterations: times(100, 100, 100).map((i) => ({ ...i, memory_usage: 450 })),
    });
    expect(new OptimizationRecommender().getRecommendations(run).map((r) => r.id)).not.toContain('reduce-memory');
    const tight = new OptimizationRecommender({ lanes: { standard: { sla: { memory_max: 480 } } } });
    expect(tight.getRecommendations(run)[0]!.id).toBe('reduce-memory');
  });

  it('ReportGenerator writes each report format', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanebench-api-'));
    const gen = new ReportGenerator({ runs: [makeRun({ iterations: times(1, 2, 3) })] }, { outputDir: dir });
    expect(await gen.generateHtmlReport()).toBe(join(dir, 'performance_dashboard.html'));
    expect(await gen.generateCsvReport()).toBe(join(dir, 'performance_metrics.csv'));
    expect(await gen.generateJunitReport(join(dir, 'sub', 'custom.xml'))).toBe(join(dir, 'sub', 'custom.xml'));
    expect(await gen.generateMarkdownReport()).toBe(join(dir, 'summary.md'));
    expect(readFileSync(join(dir, 'sub', 'custom.xml'), 'utf8')).toMatch(/<testsuites/);
    expect(existsSync(join(dir, 'performance_dashboard.html'))).toBe(true);
    expect(gen.render('csv').split('\n')[0]).toMatch(/Benchmark ID/);
  });

  it('MetricsCollector records, times and hands custom metrics to a workflow', async () => {
    const m = new MetricsCollector();
    m.record('pages', 40, 'pages');
    m.record('pages', 42, 'pages');
    await m.time('render_s', () => new Promise((r) => setTimeout(r, 20)));
    expect(m.latest().pages).toBe(42);
    expect(m.latest().render_s).toBeGreaterThanOrEqual(0.015);
    expect(m.units()).toEqual({ pages: 'pages', render_s: 's' });
    expect(m.summary().pages).toMatchObject({ mean: 41, samples: 2 });
    expect(m.snapshots()).toHaveLength(3);
    const seen: Array<[string, number, string | undefined]> = [];
    m.applyTo({ metric: (n, v, u) => seen.push([n, v, u]) });
    expect(seen.map((s) => s[0])).toEqual(['pages', 'render_s']);
    expect(() => m.record('execution_time', 1)).toThrow(/built-in metric/);
    expect(() => m.record('bad name', 1)).toThrow(/"bad name" is not valid/);
    expect(() => m.record('x', Number.NaN)).toThrow(/NaN is not valid/);
  });

  it('BenchmarkSuite runs registered workflows of a lane', async () => {
    const suite = new BenchmarkSuite({ lanes: { docs: { iterations: 2 } } });
    let calls = 0;
    suite.add(LaneType.DOCS, 'in-process', (ctx) => {
      calls++;
      ctx.metric('items', 7, 'count');
    });
    suite.add(LaneType.HEAVY, 'not this lane', () => undefined);
    const runs = await suite.runLane('docs');
    expect(runs).toHaveLength(1);
    expect(calls).toBe(2);
    expect(runs[0]).toMatchObject({ lane: 'docs', workflow: 'in-process', status: 'completed' });
    expect(runs[0]!.runner.name).toBe('api');
    expect(runs[0]!.iterations[0]!.custom.items).toBe(7);
    expect(() => suite.add('nightly', 'x', 'true')).toThrow(/nightly/);
  });
});
