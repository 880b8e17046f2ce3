import { describe as suite, expect, it } from 'vitest';
import { quantileSorted } from 'simple-statistics';
import { analyzeIterations, describe, percentile } from '../src/stats/index.js';
import type { Iteration } from '../src/types.js';

// Expected values computed with numpy 2.4 (np.mean, np.median, np.std(ddof=1), np.percentile default 'linear').
const N10 = [12.1, 3.4, 7.7, 15.0, 9.9, 4.2, 11.3, 8.8, 6.5, 10.0];
// a permutation of (k² / 10) for k = 0..100
const N101 = Array.from({ length: 101 }, (_, i) => ((i * 37) % 101) ** 2 / 10);

suite('describe', () => {
  it('n = 1: every statistic is the value, stdev 0, both percentiles unresolved', () => {
    expect(describe([42.5])).toEqual({
      mean: 42.5,
      median: 42.5,
      stdev: 0,
      min: 42.5,
      max: 42.5,
      p95: 42.5,
      p99: 42.5,
      samples: 1,
      unresolved: ['p95', 'p99'],
    });
  });

  it('n = 2: interpolates between the two values', () => {
    const s = describe([20, 10]);
    expect(s.mean).toBe(15);
    expect(s.median).toBe(15);
    expect(s.stdev).toBeCloseTo(7.0710678118654755, 12);
    expect(s.p95).toBeCloseTo(19.5, 12); // 10 + 0.95·(20 − 10)
    expect(s.p99).toBeCloseTo(19.9, 12);
    expect([s.min, s.max]).toEqual([10, 20]);
  });

  it('n = 10 matches numpy', () => {
    const s = describe(N10);
    expect(s.mean).toBeCloseTo(8.89, 12);
    expect(s.median).toBeCloseTo(9.35, 12);
    expect(s.stdev).toBeCloseTo(3.574119938297166, 12);
    expect(s.p95).toBeCloseTo(13.695, 12);
    expect(s.p99).toBeCloseTo(14.739, 12);
    expect(s.unresolved).toEqual(['p95', 'p99']);
    expect(
      percentile(
        [...N10].sort((a, b) => a - b),
        90,
      ),
    ).toBeCloseTo(12.39, 12);
  });

  it('n = 101 matches numpy and resolves both percentiles', () => {
    const s = describe(N101);
    expect(s.mean).toBeCloseTo(335, 10);
    expect(s.median).toBeCloseTo(250, 10);
    expect(s.stdev).toBeCloseTo(302.79709873114706, 9);
    expect(s.p95).toBeCloseTo(902.5, 10);
    expect(s.p99).toBeCloseTo(980.1, 10);
    expect(s.unresolved).toEqual([]);
    const sorted = [...N101].sort((a, b) => a - b);
    expect(percentile(sorted, 99.9)).toBeCloseTo(998.01, 9);
    expect(percentile(sorted, 12.345)).toBeCloseTo(15.2625, 9);
  });

  it('flags p99 only between 20 and 99 samples', () => {
    expect(describe(Array.from({ length: 20 }, (_, i) => i)).unresolved).toEqual(['p99']);
    expect(describe(Array.from({ length: 19 }, (_, i) => i)).unresolved).toEqual(['p95', 'p99']);
    expect(describe(Array.from({ length: 100 }, (_, i) => i)).unresolved).toEqual([]);
  });

  it('agrees with simple-statistics quantileSorted (type 7 since 7.12) on random vectors', () => {
    // deterministic pseudo-random vectors so a failure is reproducible
    let seed = 12345;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 1000;
    for (let n = 1; n <= 60; n += 7) {
      const sorted = Array.from({ length: n }, next).sort((a, b) => a - b);
      for (const p of [0, 1, 12.5, 50, 90, 95, 99, 99.9, 100]) {
        expect(percentile(sorted, p)).toBeCloseTo(quantileSorted(sorted, p / 100), 9);
      }
    }
  });

  it('rejects empty input, non-finite values and out-of-range percentiles', () => {
    expect(() => describe([])).toThrow(/at least one value/);
    expect(() => describe([1, Number.NaN])).toThrow(/index 1 is NaN/);
    expect(() => percentile([1, 2], 101)).toThrow(/101 is out of range; expected 0 ≤ p ≤ 100/);
    expect(() => percentile([], 50)).toThrow(/empty/);
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
    cpu_seconds: execution_time / 2,
    cpu_usage: 25,
    memory_usage: 100 + index,
    disk_read_bytes: 0,
    disk_write_bytes: 10,
    disk_io: 10,
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

suite('analyzeIterations', () => {
  it('uses passed iterations only, every built-in metric and each custom metric present', () => {
    const stats = analyzeIterations([
      iteration(1, 'passed', 10, { bundle_kb: 300 }),
      iteration(2, 'failed', 999, { bundle_kb: 1 }),
      iteration(3, 'passed', 20),
      iteration(4, 'timeout', 500),
      iteration(5, 'passed', 30, { bundle_kb: 500, pages: 7 }),
    ]);
    expect(Object.keys(stats)).toEqual([
      'execution_time',
      'cpu_seconds',
      'cpu_usage',
      'memory_usage',
      'disk_read_bytes',
      'disk_write_bytes',
      'disk_io',
      'network_rx_bytes',
      'network_tx_bytes',
      'network_io',
      'bundle_kb',
      'pages',
    ]);
    expect(stats.execution_time).toMatchObject({ mean: 20, max: 30, samples: 3 });
    expect(stats.memory_usage!.max).toBe(105);
    expect(stats.bundle_kb).toMatchObject({ mean: 400, samples: 2 });
    expect(stats.pages).toMatchObject({ mean: 7, samples: 1 });
  });

  it('returns no stats when no iteration passed', () => {
    expect(analyzeIterations([iteration(1, 'failed', 3)])).toEqual({});
  });
});
