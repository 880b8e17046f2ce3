import { describe, expect, it } from 'vitest';
import { detectRegressions } from '../src/analysis/index.js';
import { makeRun, normal, prng, sampledRun } from './analysis-fixtures.js';

const TRIALS = 1000;

function flagRate(shift: number, seed: number): { regressions: number; improvements: number } {
  const draw = normal(prng(seed));
  let regressions = 0;
  let improvements = 0;
  for (let t = 0; t < TRIALS; t++) {
    const base = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-01T00:00:00Z', id: `b${t}` });
    const cand = sampledRun(draw, 100 * (1 + shift), 0.05, 10, { started_at: '2025-01-02T00:00:00Z', id: `c${t}` });
    const [r] = detectRegressions(cand, [base], { metrics: ['execution_time'] });
    if (r!.status === 'regression') regressions++;
    if (r!.status === 'improvement') improvements++;
  }
  return { regressions, improvements };
}

describe('detectRegressions', () => {
  it('flags at most 5% of same-distribution pairs (CV 5%, 10 iterations, 1,000 seeded trials)', () => {
    const { regressions, improvements } = flagRate(0, 42);
    expect(regressions + improvements).toBeLessThanOrEqual(TRIALS * 0.05);
  });

  it('has a calibrated p-value: about 5% of same-distribution pairs reach p < 0.05 on their own', () => {
    const draw = normal(prng(1234));
    let significant = 0;
    for (let t = 0; t < TRIALS; t++) {
      const base = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-01T00:00:00Z' });
      const cand = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-02T00:00:00Z' });
      if (detectRegressions(cand, [base], { metrics: ['execution_time'] })[0]!.p_value! < 0.05) significant++;
    }
    // the exact test at n = 10 + 10 has a true size of about 4.3%; allow binomial noise
    expect(significant).toBeGreaterThan(20);
    expect(significant).toBeLessThan(70);
  });

  it('flags at least 95% of pairs shifted by +20%', () => {
    const { regressions } = flagRate(0.2, 7);
    expect(regressions).toBeGreaterThanOrEqual(TRIALS * 0.95);
  });

  it('reports improvements', () => {
    const draw = normal(prng(3));
    const base = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-01T00:00:00Z' });
    const cand = sampledRun(draw, 70, 0.05, 10, { started_at: '2025-01-02T00:00:00Z' });
    const [r] = detectRegressions(cand, [base], { metrics: ['execution_time'] });
    expect(r!.status).toBe('improvement');
    expect(r!.change_pct!).toBeLessThan(-20);
    expect(r!.p_value!).toBeLessThan(0.05);
  });

  it('needs a significant AND large change: a small consistent shift is no-change', () => {
    const base = makeRun({
      started_at: '2025-01-01T00:00:00Z',
      iterations: [100, 100.1, 100.2, 100.3, 100.4].map((e) => ({ execution_time: e })),
    });
    const cand = makeRun({
      started_at: '2025-01-02T00:00:00Z',
      iterations: [105, 105.1, 105.2, 105.3, 105.4].map((e) => ({ execution_time: e })),
    });
    const [r] = detectRegressions(cand, [base], { metrics: ['execution_time'] });
    expect(r!.p_value!).toBeLessThan(0.05);
    expect(r!.status).toBe('no-change');
    expect(r!.threshold_pct).toBe(10);
  });

  it('marks pairs from different environments instead of mixing them', () => {
    const draw = normal(prng(9));
    const base = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-01T00:00:00Z', fingerprint: 'laptop' });
    const cand = sampledRun(draw, 150, 0.05, 10, { started_at: '2025-01-02T00:00:00Z', fingerprint: 'ci-runner' });
    const results = detectRegressions(cand, [base]);
    expect(results.map((r) => r.status)).toEqual([
      'environment-mismatch',
      'environment-mismatch',
      'environment-mismatch',
    ]);
    expect(results[0]!.baseline_runs).toBe(0);
    expect(results[0]!.message).toMatch(/other environment/);
  });

  it('uses only same-environment runs when both kinds exist', () => {
    const draw = normal(prng(11));
    const other = sampledRun(draw, 500, 0.05, 10, { started_at: '2025-01-01T00:00:00Z', fingerprint: 'other' });
    const same = sampledRun(draw, 100, 0.05, 10, { started_at: '2025-01-01T01:00:00Z' });
    const cand = sampledRun(draw, 101, 0.05, 10, { started_at: '2025-01-02T00:00:00Z' });
    const [r] = detectRegressions(cand, [other, same, cand], { metrics: ['execution_time'] });
    expect(r!.baseline_runs).toBe(1);
    expect(r!.status).toBe('no-change');
  });

  it('says insufficient-data without a baseline or with fewer than 3 samples', () => {
    const cand = makeRun({ iterations: [{ execution_time: 1 }, { execution_time: 2 }, { execution_time: 3 }] });
    expect(detectRegressions(cand, [], { metrics: ['execution_time'] })[0]!.status).toBe('insufficient-data');
    const tiny = makeRun({
      started_at: '2024-01-01T00:00:00Z',
      iterations: [{ execution_time: 1 }, { execution_time: 1 }],
    });
    const [r] = detectRegressions(cand, [tiny], { metrics: ['execution_time'] });
    expect(r!.status).toBe('insufficient-data');
    expect(r!.message).toMatch(/at least 3 samples/);
    expect(r!.p_value).toBeNull();
  });

  it('ignores later runs, other workflows and failed runs; honours the window', () => {
    const mk = (at: string, e: number, extra: Record<string, unknown> = {}) =>
      makeRun({
        started_at: at,
        iterations: [e, e + 0.1, e + 0.2, e - 0.1].map((x) => ({ execution_time: x })),
        ...extra,
      });
    const old = mk('2025-01-01T00:00:00Z', 50);
    const recent = mk('2025-01-02T00:00:00Z', 100);
    const failed = mk('2025-01-02T12:00:00Z', 10, { status: 'failed' });
    const otherWf = mk('2025-01-02T13:00:00Z', 10, { workflow: 'other' });
    const later = mk('2025-01-04T00:00:00Z', 10);
    const cand = mk('2025-01-03T00:00:00Z', 100);
    const [r] = detectRegressions(cand, [old, recent, failed, otherWf, later], {
      metrics: ['execution_time'],
      window: 1,
    });
    expect(r!.baseline_runs).toBe(1);
    expect(r!.baseline_mean).toBeCloseTo(100.05, 6);
    expect(r!.status).toBe('no-change');
  });

  it('checks custom metrics by default', () => {
    const base = makeRun({
      started_at: '2025-01-01T00:00:00Z',
      iterations: [1, 2, 3, 4].map((v) => ({ execution_time: 1, custom: { pages: 100 + v } })),
    });
    const cand = makeRun({
      started_at: '2025-01-02T00:00:00Z',
      iterations: [1, 2, 3, 4].map((v) => ({ execution_time: 1, custom: { pages: 200 + v } })),
    });
    const results = detectRegressions(cand, [base]);
    expect(results.map((r) => r.metric)).toEqual(['execution_time', 'cpu_seconds', 'memory_usage', 'pages']);
    expect(results[3]!.status).toBe('regression');
  });
});
