import { describe, expect, it } from 'vitest';
import { recommend } from '../src/recommend/index.js';
import { makeRun, type IterationInput } from './analysis-fixtures.js';

const iters = (n: number, f: (i: number) => IterationInput) => Array.from({ length: n }, (_, i) => f(i));

describe('recommend', () => {
  it('a CPU-idle long lane is told to parallelize first, with the figures that triggered it', () => {
    // standard lane over its 900 s target, about one of 8 cores busy
    const run = makeRun({
      lane: 'standard',
      cores: 8,
      iterations: iters(5, (i) => ({ execution_time: 1000 + i * 5, cpu_usage: 12, memory_usage: 300 })),
    });
    const recs = recommend(run);
    expect(recs[0]!.id).toBe('parallelize');
    expect(recs[0]!.title).toBe('Use parallel test workers');
    expect(recs[0]!.priority).toBe(1);
    expect(recs[0]!.evidence).toMatchObject({ logical_cores: 8, cpu_usage_mean_pct: 12, busy_cores: 1, target_s: 900 });
    expect(recs[0]!.steps.join('\n')).toMatch(/--maxWorkers=8/);
    expect(recs[0]!.estimated_improvement_pct).toBeGreaterThan(30);
    expect(recs.map((r) => r.id)).toContain('standard-affected-tests');
    expect(recs.map((r) => r.id)).not.toContain('reduce-variance');
    expect(recs.map((r) => r.id)).not.toContain('reduce-memory');
  });

  it('a high-variance lane is told to reduce variance first', () => {
    const times = [60, 140, 70, 130, 100, 55, 150, 90];
    const run = makeRun({
      lane: 'docs',
      cores: 2,
      iterations: times.map((t) => ({ execution_time: t, cpu_usage: 20, memory_usage: 100 })),
    });
    const recs = recommend(run);
    expect(recs[0]!.id).toBe('reduce-variance');
    expect(recs[0]!.priority).toBe(1);
    expect(recs[0]!.evidence.cv_pct).toBeGreaterThan(30);
    expect(recs[0]!.evidence.samples).toBe(8);
    expect(recs[0]!.evidence.recommended_iterations).toBeGreaterThan(8);
    expect(recs.every((r, i) => i === 0 || r.priority >= recs[i - 1]!.priority)).toBe(true);
  });

  it('a memory-bound lane is told to reduce memory first', () => {
    const run = makeRun({
      lane: 'standard',
      cores: 4,
      iterations: iters(5, (i) => ({ execution_time: 300 + i, cpu_usage: 40, memory_usage: 990 + i * 5 })),
    });
    const recs = recommend(run);
    expect(recs[0]!.id).toBe('reduce-memory');
    expect(recs[0]!.evidence).toMatchObject({ metric: 'memory_usage', memory_max_mb: 1010, memory_limit_mb: 1024 });
    expect(recs[0]!.priority).toBe(2);
    expect(recs.map((r) => r.id)).not.toContain('reduce-variance');
  });

  it('uses the lane settings given, gives lane-specific advice and respects the CPU budget', () => {
    const heavy = makeRun({
      lane: 'heavy',
      cores: 2,
      iterations: iters(5, () => ({ execution_time: 2000, cpu_usage: 90, memory_usage: 100 })),
    });
    const recs = recommend(heavy);
    const shard = recs.find((r) => r.id === 'heavy-sharding')!;
    expect(shard.evidence.shards).toBe(3);
    expect(recs.map((r) => r.id)).toContain('reduce-cpu');
    expect(recs.map((r) => r.id)).not.toContain('parallelize');
    const docs = makeRun({
      lane: 'docs',
      cores: 4,
      iterations: iters(5, () => ({ execution_time: 280, cpu_usage: 10, disk_io: 600 * 1024 * 1024 })),
    });
    const ids = recommend(docs).map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining(['docs-incremental', 'cache-io', 'parallelize']));
  });

  it('reports failures and trends from history', () => {
    const failing = makeRun({
      iterations: [{ execution_time: 10 }, { execution_time: 10, status: 'timeout' }, { execution_time: 10 }],
    });
    expect(recommend(failing)[0]!.id).toBe('fix-failures');
    const history = [10, 12, 14, 16].map((t, i) =>
      makeRun({ startedAt: `2025-01-0${i + 1}T00:00:00Z`, iterations: iters(3, () => ({ execution_time: t })) }),
    );
    const latest = makeRun({
      startedAt: '2025-01-09T00:00:00Z',
      iterations: iters(3, () => ({ execution_time: 18 })),
    });
    const trend = recommend(latest, undefined, history).find((r) => r.id === 'trend-up')!;
    expect(trend.evidence).toMatchObject({ runs: 5, first_mean_s: 10, last_mean_s: 18 });
  });

  it('gives nothing but measurement advice to a small, healthy run', () => {
    const run = makeRun({ lane: 'docs', cores: 1, iterations: iters(5, () => ({ execution_time: 1, cpu_usage: 5 })) });
    expect(recommend(run).map((r) => r.id)).toEqual(['more-iterations']);
  });
});
