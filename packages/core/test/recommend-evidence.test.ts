/**
 * Recommendations from evidence only (issue 15 §4): each rule fires when its evidence holds and stays
 * silent when it does not, and advice the run has already applied (warm-up, no network, enough
 * iterations) is not repeated. Commands are complete (`--lane`).
 */
import { describe, expect, it } from 'vitest';
import { recommend } from '../src/recommend/index.js';
import type { Run } from '../src/types.js';
import { makeRun, type IterationInput } from './analysis-fixtures.js';

const ids = (run: Run, history: Run[] = []) => recommend(run, undefined, history).map((r) => r.id);
const rec = (run: Run, id: string) => recommend(run).find((r) => r.id === id);
const same = (n: number, it: IterationInput) => Array.from({ length: n }, () => ({ ...it }));
const noisy = [60, 140, 70, 130, 100, 55, 150, 90];

/** Marks the run's network figures as measured (Linux /proc/net/dev), with `bytes` per iteration. */
function withNetwork(run: Run, bytes: number): Run {
  for (const it of run.iterations) {
    it.methods = { ...it.methods, network: 'proc-net-dev', network_scope: 'network-namespace' };
    it.network_io = bytes;
  }
  return run;
}

describe('variance rule', () => {
  const run = () => makeRun({ lane: 'docs', cores: 2, iterations: noisy.map((t) => ({ execution_time: t })) });

  it('fires on a noisy run with complete commands', () => {
    const r = rec(run(), 'reduce-variance')!;
    expect(r).toBeDefined();
    const steps = r.steps.join('\n');
    expect(steps).toMatch(/`lanebench run --lane docs --iterations \d+`/);
    expect(steps).toContain('`warmup: 1`');
  });

  it('does not fire on a steady run, nor on fewer than 5 samples', () => {
    expect(ids(makeRun({ iterations: same(8, { execution_time: 100 }) }))).not.toContain('reduce-variance');
    expect(ids(makeRun({ iterations: [60, 140, 100].map((t) => ({ execution_time: t })) }))).not.toContain(
      'reduce-variance',
    );
  });

  it('leaves out warm-up advice when warm-up is set', () => {
    const r = run();
    r.warmup = 1;
    expect(rec(r, 'reduce-variance')!.steps.join('\n')).not.toMatch(/warm-up|warmup/);
  });

  it('advises removing network access only when the run used the network', () => {
    expect(rec(withNetwork(run(), 0), 'reduce-variance')!.steps.join('\n')).not.toMatch(/network/i);
    // unmeasured network (the fixture's 'unavailable') is no evidence either way
    expect(rec(run(), 'reduce-variance')!.steps.join('\n')).not.toMatch(/network/i);
    expect(rec(withNetwork(run(), 5_000_000), 'reduce-variance')!.steps.join('\n')).toMatch(/Remove network access/);
  });

  it('does not ask for more iterations than were already requested', () => {
    const r = run();
    const needed = rec(r, 'reduce-variance')!.evidence.recommended_iterations as number;
    r.iterations_requested = needed;
    expect(rec(r, 'reduce-variance')!.steps.join('\n')).not.toMatch(/--iterations/);
  });
});

describe('more-iterations rule', () => {
  it('fires on a small steady run, with an unestimated improvement and a complete command', () => {
    const r = rec(makeRun({ lane: 'standard', iterations: same(5, { execution_time: 10 }) }), 'more-iterations')!;
    expect(r.estimated_improvement_pct).toBe(0);
    expect(r.steps[0]).toContain('`lanebench run --lane standard --iterations 20`');
  });

  it('does not fire when iterations are already high or when the variance rule covers it', () => {
    const high = makeRun({ iterations: same(5, { execution_time: 10 }) });
    high.iterations_requested = 20;
    expect(ids(high)).not.toContain('more-iterations');
    expect(ids(makeRun({ iterations: same(20, { execution_time: 10 }) }))).not.toContain('more-iterations');
    expect(ids(makeRun({ iterations: noisy.map((t) => ({ execution_time: t })) }))).not.toContain('more-iterations');
  });
});

describe('profile rules fire on their evidence only', () => {
  it('parallelize: idle cores on a long run; not on a busy or short one', () => {
    expect(ids(makeRun({ cores: 8, iterations: same(5, { execution_time: 100, cpu_usage: 12 }) }))).toContain(
      'parallelize',
    );
    expect(ids(makeRun({ cores: 8, iterations: same(5, { execution_time: 100, cpu_usage: 90 }) }))).not.toContain(
      'parallelize',
    );
    expect(ids(makeRun({ cores: 8, iterations: same(5, { execution_time: 2, cpu_usage: 12 }) }))).not.toContain(
      'parallelize',
    );
  });

  it('reduce-memory: near the lane limit; not far below it', () => {
    expect(ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 10, memory_usage: 480 }) }))).toContain(
      'reduce-memory',
    );
    expect(
      ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 10, memory_usage: 100 }) })),
    ).not.toContain('reduce-memory');
  });

  it('reduce-cpu: over the lane CPU budget; not within it', () => {
    expect(ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 10, cpu_usage: 45 }) }))).toContain(
      'reduce-cpu',
    );
    expect(ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 10, cpu_usage: 20 }) }))).not.toContain(
      'reduce-cpu',
    );
  });

  it('cache-io: heavy disk traffic; not a light one', () => {
    expect(ids(makeRun({ iterations: same(5, { execution_time: 10, disk_io: 600 * 2 ** 20 }) }))).toContain('cache-io');
    expect(ids(makeRun({ iterations: same(5, { execution_time: 10, disk_io: 2 ** 20 }) }))).not.toContain('cache-io');
  });

  it('lane advice: near the target; not well under it', () => {
    expect(ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 280 }) }))).toContain('docs-incremental');
    expect(ids(makeRun({ lane: 'docs', iterations: same(5, { execution_time: 30 }) }))).not.toContain(
      'docs-incremental',
    );
  });

  it('fix-failures: failed iterations; not a clean run', () => {
    const failed = makeRun({
      iterations: [...same(4, { execution_time: 10 }), { execution_time: 10, status: 'failed' }],
    });
    expect(ids(failed)).toContain('fix-failures');
    expect(ids(makeRun({ iterations: same(5, { execution_time: 10 }) }))).not.toContain('fix-failures');
  });

  it('trend-up: a rising history; not a flat one', () => {
    const series = (means: number[]) =>
      means.map((m, i) =>
        makeRun({
          id: `h${m}-${i}`,
          startedAt: new Date(Date.UTC(2025, 1, 1 + i)).toISOString(),
          iterations: same(5, { execution_time: m }),
        }),
      );
    const rising = series([100, 120, 140, 160, 180]);
    expect(ids(rising.at(-1)!, rising)).toContain('trend-up');
    const flat = series([100, 101, 99, 100, 100]);
    expect(ids(flat.at(-1)!, flat)).not.toContain('trend-up');
  });
});
