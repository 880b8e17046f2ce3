import { describe, expect, it } from 'vitest';
import {
  compileLaneSla,
  compileThresholds,
  evaluateThresholds,
  formatViolation,
  parseThreshold,
  ThresholdError,
} from '../src/thresholds/index.js';
import { evaluateRun, slaMatcher } from '../src/run/index.js';
import { ConfigError, resolveConfig } from '../src/config/index.js';
import { analyzeIterations, describe as stats } from '../src/stats/index.js';
import type { Iteration, MetricStats, Run, Threshold } from '../src/types.js';

describe('threshold parser', () => {
  it('compiles the SPEC §6 example block', () => {
    const ts = compileThresholds({
      execution_time: ['mean < 15m', { expr: 'p(95) < 20m', severity: 'error' }, 'p(99) < 25m'],
      memory_usage: ['max < 1GB'],
      cpu_usage: ['avg < 50%'],
    });
    expect(ts.map((t) => [t.name, t.operator, t.value, t.severity])).toEqual([
      ['execution_time_mean', '<', 900, 'error'],
      ['execution_time_p95', '<', 1200, 'error'],
      ['execution_time_p99', '<', 1500, 'error'],
      ['memory_usage_max', '<', 1024, 'error'],
      ['cpu_usage_mean', '<', 50, 'error'],
    ]);
    expect(ts[1]!.expr).toBe('p(95) < 20m');
  });

  it.each([
    ['avg < 2s', 'mean', '<', 2],
    ['mean<=2s', 'mean', '<=', 2],
    ['med > 500ms', 'median', '>', 0.5],
    ['median >= 1.5h', 'median', '>=', 5400],
    ['min == 3', 'min', '==', 3],
    ['max != 15m', 'max', '!=', 900],
    ['stdev < 0.25s', 'stdev', '<', 0.25],
    ['p(95) < 20m', 'p95', '<', 1200],
    ['p(99.9) < 30s', 'p99.9', '<', 30],
    ['p(50)<10', 'p50', '<', 10],
    ['p(100) <= 1h', 'p100', '<=', 3600],
    ['p95 < 5s', 'p95', '<', 5],
    ['  max   <   .5 s ', 'max', '<', 0.5],
  ])('execution_time %s', (expr, aggregation, operator, value) => {
    const t = parseThreshold('execution_time', expr);
    expect(t).toMatchObject({ aggregation, operator, metric: 'execution_time', name: `execution_time_${aggregation}` });
    expect(t.value).toBeCloseTo(value, 12);
  });

  it('converts size units to the stored unit of each metric', () => {
    expect(parseThreshold('memory_usage', 'max < 512MB').value).toBe(512);
    expect(parseThreshold('memory_usage', 'max < 2GB').value).toBe(2048);
    expect(parseThreshold('memory_usage', 'max < 512KB').value).toBe(0.5);
    expect(parseThreshold('memory_usage', 'max < 300').value).toBe(300);
    expect(parseThreshold('disk_io', 'max < 1KB').value).toBe(1024);
    expect(parseThreshold('disk_io', 'max < 2MB').value).toBe(2 * 1024 * 1024);
    expect(parseThreshold('network_io', 'max < 10').value).toBe(10);
    expect(parseThreshold('memory_usage', 'max < 1gb').value).toBe(1024);
    expect(parseThreshold('cpu_usage', 'avg < 50%').value).toBe(50);
  });

  it('knows custom metrics and converts within their unit family', () => {
    const opts = { customUnits: { render_ms: 'ms', pages: 'pages' }, customMetrics: ['score'] };
    expect(parseThreshold('render_ms', 'p(95) < 2s', opts).value).toBe(2000);
    expect(parseThreshold('pages', 'max <= 40 pages', opts).value).toBe(40);
    expect(parseThreshold('score', 'min > -1.5', opts).value).toBe(-1.5);
    expect(() => parseThreshold('pages', 'max < 2s', opts)).toThrow(
      /unit 's' does not fit pages.*valid units for pages: pages/,
    );
  });

  it('honours severities and the default severity', () => {
    expect(parseThreshold('execution_time', { expr: 'mean < 1s', severity: 'warning' }).severity).toBe('warning');
    expect(parseThreshold('execution_time', 'mean < 1s', { defaultSeverity: 'warning' }).severity).toBe('warning');
  });

  it.each([
    [
      'execution_time',
      'avgg < 2s',
      /unknown aggregation 'avgg'.*valid aggregations: avg, mean, med, median, min, max, stdev, p\(N\)/,
    ],
    ['execution_time', 'p(0) < 2s', /p\(0\) out of range.*0 < N ≤ 100/],
    ['execution_time', 'p(101) < 2s', /p\(101\) out of range/],
    ['execution_time', 'p(95 < 2s', /expected '\)' after p\(95.*found '<'/],
    ['execution_time', 'mean = 2s', /unknown operator '='.*valid operators: < <= > >= == !=/],
    ['execution_time', 'mean => 2s', /unknown operator '=>'/],
    ['execution_time', 'mean 2s', /expected an operator.*found '2'/],
    ['execution_time', 'mean <', /expected a number after '<'.*found the end of the expression/],
    ['execution_time', 'mean < 2s extra', /unexpected 'extra'.*expected the end of the expression/],
    ['execution_time', 'mean < 2 s 3', /unexpected '3'/],
    [
      'execution_time',
      'mean < 2x',
      /unit 'x' does not fit execution_time.*valid units for execution_time: ms, s, m, h/,
    ],
    ['execution_time', 'max < 1GB', /unit 'GB' does not fit execution_time.*ms, s, m, h/],
    ['memory_usage', 'max < 5s', /unit 's' does not fit memory_usage.*B, KB, MB, GB/],
    ['cpu_usage', 'avg < 50MB', /unit 'MB' does not fit cpu_usage.*valid units for cpu_usage: %/],
    ['execution_time', 'mean < 2s; process.exit()', /unexpected character ';'/],
    ['execution_time', '', /empty threshold expression/],
    ['execution_time', '< 5s', /must start with an aggregation, found '<'/],
  ])('%s: rejects %j naming the bad token', (metric, expr, message) => {
    expect(() => parseThreshold(metric, expr)).toThrow(message);
    expect(() => parseThreshold(metric, expr)).toThrow(ThresholdError);
  });

  it('rejects unknown metrics, severities and entry shapes with the valid choices', () => {
    expect(() => compileThresholds({ exec_time: ['mean < 2s'] })).toThrow(
      /unknown metric 'exec_time'.*valid metrics: execution_time, cpu_seconds/,
    );
    expect(() => compileThresholds({ bundle: ['max < 2'] }, { customMetrics: ['pages'] })).toThrow(
      /declared custom metrics: pages/,
    );
    expect(() => compileThresholds({ execution_time: [{ expr: 'mean < 2s', severity: 'fatal' as never }] })).toThrow(
      /unknown severity 'fatal'.*error, warning/,
    );
    expect(() => compileThresholds({ execution_time: [{ expr: 'mean < 2s', level: 'x' } as never] })).toThrow(
      /unknown key 'level'.*expr, severity/,
    );
    expect(() => compileThresholds({ execution_time: [42 as never] })).toThrow(/must be a string like/);
    // a single entry without a list is refused (issue 11 item 11): it hid a forgotten [ ]
    expect(() => compileThresholds({ execution_time: ['mean < 2s'], memory_usage: 'max < 1GB' as never })).toThrow(
      /thresholds\.memory_usage: expected a list of thresholds such as \['p\(95\) < 20m'\], got 'max < 1GB'/,
    );
    expect(new ThresholdError('x')).toBeInstanceOf(ConfigError);
  });
});

describe('lane SLA compiler', () => {
  it('uses the SPEC §3 severities and converts units', () => {
    const ts = compileLaneSla({ target: '5m', p95: 400, p99: '500s', memory_max: '1GB', cpu_avg: '30%' });
    expect(ts.map((t) => [t.name, t.operator, t.value, t.severity])).toEqual([
      ['execution_time_mean', '<=', 300, 'warning'],
      ['execution_time_p95', '<=', 400, 'error'],
      ['execution_time_p99', '<=', 500, 'error'],
      ['memory_usage_max', '<=', 1024, 'warning'],
      ['cpu_usage_mean', '<=', 30, 'warning'],
    ]);
  });

  it('rejects unknown SLA keys', () => {
    expect(() => compileLaneSla({ p90: 3 } as never)).toThrow(
      /unknown key 'p90'.*target, p95, p99, memory_max, cpu_avg/,
    );
  });
});

function ms(values: number[]): MetricStats {
  return stats(values);
}

describe('evaluateThresholds', () => {
  const limits = compileLaneSla({ target: 10, p95: 12, memory_max: 100 });

  it('is compliant with warnings only, and fails them in strict mode', () => {
    const s = { execution_time: ms([11, 11, 11]), memory_usage: ms([150]) };
    const lax = evaluateThresholds(s, limits, { strict: false });
    expect(lax.violations.map((v) => [v.name, v.severity])).toEqual([
      ['execution_time_mean', 'warning'],
      ['memory_usage_max', 'warning'],
    ]);
    expect([lax.compliant, lax.passed, lax.checked]).toEqual([true, true, 3]);
    const strict = evaluateThresholds(s, limits, { strict: true });
    expect([strict.compliant, strict.passed, strict.strict]).toEqual([true, false, true]);
  });

  it('an error violation makes the lane non-compliant', () => {
    const r = evaluateThresholds({ execution_time: ms([9, 9, 20]), memory_usage: ms([50]) }, limits, { strict: false });
    expect(r.violations.map((v) => [v.name, v.severity])).toEqual([
      ['execution_time_mean', 'warning'],
      ['execution_time_p95', 'error'],
    ]);
    expect(r.violations[1]).toMatchObject({ threshold: 12, unit: 's', operator: '<=' });
    expect(r.violations[1]!.value).toBeCloseTo(18.9, 9); // 9 + 0.9·(20 − 9)
    expect([r.compliant, r.passed]).toEqual([false, false]);
  });

  it('passes when every threshold holds, including at the limit of <=', () => {
    const r = evaluateThresholds({ execution_time: ms([10, 10]), memory_usage: ms([100]) }, limits, { strict: true });
    expect(r).toMatchObject({ compliant: true, passed: true, violations: [] });
  });

  it('a metric without samples is an error, never a silent pass', () => {
    const t = compileThresholds({ memory_usage: [{ expr: 'max < 1GB', severity: 'warning' }] });
    const r = evaluateThresholds({}, t, { strict: false });
    expect(r.compliant).toBe(false);
    expect(r.violations[0]).toMatchObject({ name: 'memory_usage_max', severity: 'error' });
    expect(r.violations[0]!.message).toMatch(/no samples of memory_usage/);
  });

  it('computes other percentiles from raw samples when given, else reports it', () => {
    const values = Array.from({ length: 11 }, (_, i) => i); // p(90) = 9
    const t = compileThresholds({ execution_time: ['p(90) < 8.5'] });
    const withValues = evaluateThresholds({ execution_time: ms(values) }, t, {
      strict: false,
      values: { execution_time: values },
    });
    expect(withValues.violations[0]!.value).toBeCloseTo(9, 12);
    const without = evaluateThresholds({ execution_time: ms(values) }, t, { strict: false });
    expect(without.violations[0]!.message).toMatch(/needs the raw samples/);
  });
});

describe('formatViolation: the one violation language', () => {
  const base = { name: 'execution_time_p95', severity: 'error' as const, operator: '<' as const, unit: 's' };
  it('name, measured value, unit, the required relation and severity', () => {
    expect(formatViolation({ ...base, value: 1250.3, threshold: 1200 })).toBe(
      'execution_time_p95: measured 1250.3 s, required < 1200 s (error)',
    );
    expect(formatViolation({ ...base, value: 4.854321, threshold: 0.1 })).toBe(
      'execution_time_p95: measured 4.854 s, required < 0.1 s (error)',
    );
    expect(
      formatViolation({ ...base, name: 'cpu_usage_mean', unit: '%', value: 61.25, threshold: 50, severity: 'warning' }),
    ).toBe('cpu_usage_mean: measured 61.25 %, required < 50 % (warning)');
    expect(formatViolation({ ...base, name: 'pages_max', unit: '', value: 3, operator: '<=', threshold: 2 })).toBe(
      'pages_max: measured 3, required <= 2 (error)',
    );
  });

  it('never prints a measured value that reads as meeting the threshold it breaks', () => {
    // the matcher used to print 0.004 s as "0.00 s"
    expect(formatViolation({ ...base, value: 0.004, threshold: 0.001 })).toBe(
      'execution_time_p95: measured 0.004 s, required < 0.001 s (error)',
    );
    expect(formatViolation({ ...base, value: 1200.0004, operator: '<=', threshold: 1200 })).toBe(
      'execution_time_p95: measured 1200.0004 s, required <= 1200 s (error)',
    );
    expect(formatViolation({ ...base, value: 0.0999999, operator: '>=', threshold: 0.1 })).toBe(
      'execution_time_p95: measured 0.0999999 s, required >= 0.1 s (error)',
    );
    // breached exactly at the limit: equal is the truth, and it does not meet `<`
    expect(formatViolation({ ...base, value: 1200, threshold: 1200 })).toBe(
      'execution_time_p95: measured 1200 s, required < 1200 s (error)',
    );
  });

  it('is the message of a violation from evaluateThresholds', () => {
    const r = evaluateThresholds(
      { execution_time: ms([1250.3]) },
      compileThresholds({ execution_time: ['p(95) < 20m'] }),
      { strict: false },
    );
    expect(r.violations[0]!.message).toBe('execution_time_p95: measured 1250.3 s, required < 1200 s (error)');
  });
});

function iteration(
  index: number,
  status: Iteration['status'],
  execution_time: number,
  custom: Record<string, number> = {},
): Iteration {
  return {
    index,
    status,
    started_at: new Date(0).toISOString(),
    execution_time,
    cpu_seconds: 1,
    cpu_usage: 20,
    memory_usage: 200,
    disk_read_bytes: 0,
    disk_write_bytes: 0,
    disk_io: 0,
    network_rx_bytes: 0,
    network_tx_bytes: 0,
    network_io: 0,
    custom,
    timeline: [],
    methods: {
      execution_time: 'hrtime',
      cpu: 'x',
      memory: 'x',
      disk: 'x',
      network: 'x',
      network_scope: 'x',
      sample_interval_ms: 50,
    },
  };
}

function run(iterations: Iteration[], custom_units: Record<string, string> = {}): Run {
  return {
    id: 'r1',
    lane: 'docs',
    workflow: 'build site',
    started_at: new Date(0).toISOString(),
    duration_s: 1,
    iterations_requested: iterations.length,
    warmup: 0,
    timeout_s: 300,
    status: 'completed',
    iterations,
    metrics_analysis: analyzeIterations(iterations),
    sla: { compliant: true, strict: false, passed: true, violations: [], checked: 0 },
    custom_units,
    env: {} as Run['env'],
    git: { sha: null, branch: null, dirty: null },
    runner: { name: 'api', version: null },
    notes: [],
  };
}

describe('evaluateRun', () => {
  it('evaluates a lane name through the default configuration', () => {
    const r = evaluateRun(run([iteration(1, 'passed', 350), iteration(2, 'passed', 360)]), 'docs');
    expect(r.violations.map((v) => [v.name, v.severity])).toEqual([['execution_time_mean', 'warning']]);
    expect(r.passed).toBe(true);
    expect(evaluateRun(run([iteration(1, 'passed', 350)]), 'docs', { strict: true }).passed).toBe(false);
  });

  it('uses a given configuration and its strict setting', () => {
    const config = resolveConfig({ lanes: { quick: { strict: true, sla: { target: '1s' } } } });
    const r = evaluateRun(run([iteration(1, 'passed', 2)]), 'quick', { config });
    expect([r.compliant, r.passed, r.strict]).toEqual([true, false, true]);
    expect(() => evaluateRun(run([iteration(1, 'passed', 2)]), 'nope', { config })).toThrow(
      /unknown lane 'nope'; configured lanes: docs, standard, heavy, quick/,
    );
  });

  it('accepts a threshold spec, including custom metrics of the run', () => {
    const r = evaluateRun(run([iteration(1, 'passed', 1, { render: 900 })], { render: 'ms' }), {
      execution_time: ['max < 2s'],
      render: ['max < 0.5s'],
    });
    expect(r.violations.map((v) => [v.name, v.value, v.threshold, v.unit])).toEqual([['render_max', 900, 500, 'ms']]);
  });

  it('accepts a lane config with sla and thresholds', () => {
    const r = evaluateRun(run([iteration(1, 'passed', 3)]), {
      sla: { p95: '2s' },
      thresholds: { cpu_usage: ['avg < 10%'] },
    });
    expect(r.violations.map((v) => v.name)).toEqual(['execution_time_p95', 'cpu_usage_mean']);
  });

  it('reports failed and timed-out iterations as iterations_failed', () => {
    const r = evaluateRun(run([iteration(1, 'passed', 1), iteration(2, 'timeout', 300), iteration(3, 'failed', 2)]), {
      execution_time: ['max < 5s'],
    });
    expect(r.compliant).toBe(false);
    expect(r.violations[0]).toMatchObject({ name: 'iterations_failed', value: 2, severity: 'error' });
    expect(r.violations[0]!.message).toMatch(/2 of 3 iterations did not pass \(1 failed, 1 timed out\)/);
  });

  it('a run whose iterations all failed violates every threshold', () => {
    const r = evaluateRun(run([iteration(1, 'failed', 1)]), 'docs');
    expect(r.violations.length).toBe(1 + 5);
    expect(r.violations.every((v) => v.severity === 'error')).toBe(true);
  });
});

describe('slaMatcher', () => {
  it('fails on something that is not a run, saying what it got', () => {
    const m = slaMatcher(Promise.resolve(1), 'docs');
    expect(m.pass).toBe(false);
    expect(m.message()).toMatch(/expects the result of measure\(\).*received an object/);
    expect(slaMatcher(() => 1, 'docs').message()).toMatch(/a function/);
    expect(slaMatcher(undefined, 'docs').message()).toMatch(/received undefined/);
  });

  it('lists each violation with metric, aggregation, value, threshold and severity', () => {
    const m = slaMatcher(run([iteration(1, 'passed', 450)]), 'docs');
    expect(m.pass).toBe(false);
    const msg = m.message();
    expect(msg).toMatch(/expected docs\/build site to meet the SLA of lane 'docs'/);
    expect(msg).toContain('  - execution_time_p95: measured 450 s, required <= 400 s (error)');
    expect(msg).toContain('  - execution_time_mean: measured 450 s, required <= 300 s (warning)');
  });

  it('passes a compliant run and explains the .not case', () => {
    const m = slaMatcher(run([iteration(1, 'passed', 10)]), { execution_time: ['p(95) < 1m'] });
    expect(m.pass).toBe(true);
    expect(m.message()).toMatch(/not to meet the SLA .*but it is compliant \(1 threshold\(s\) checked\)/);
  });

  it('throws a configuration error for a bad expectation', () => {
    expect(() => slaMatcher(run([iteration(1, 'passed', 10)]), { execution_time: ['p(95) < 1 lightyear'] })).toThrow(
      ConfigError,
    );
  });
});

// keep the Threshold type referenced for readers of this file
export type { Threshold };
