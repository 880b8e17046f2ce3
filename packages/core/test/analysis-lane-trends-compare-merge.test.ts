import { describe, expect, it } from 'vitest';
import { analyzeLane, compareRuns, getTrends, mergeHistories, mergeHistoriesDetailed } from '../src/analysis/index.js';
import type { HistoryFile } from '../src/types.js';
import { makeRun } from './analysis-fixtures.js';

const it3 = (...times: number[]) =>
  times.map((execution_time) => ({ execution_time, memory_usage: execution_time * 10 }));

describe('analyzeLane', () => {
  it('pools the passed iterations of the lane window', () => {
    const runs = [
      makeRun({ lane: 'docs', startedAt: '2025-01-01T00:00:00Z', iterations: it3(1, 2, 3) }),
      makeRun({
        lane: 'docs',
        startedAt: '2025-01-02T00:00:00Z',
        iterations: [...it3(4, 5), { execution_time: 99, status: 'failed' }],
      }),
      makeRun({ lane: 'heavy', startedAt: '2025-01-03T00:00:00Z', iterations: it3(100) }),
    ];
    const all = analyzeLane(runs, 'docs');
    expect(all.lane).toBe('docs');
    expect(all.total_runs).toBe(2);
    expect(all.metrics_analysis.execution_time!.samples).toBe(5);
    expect(all.metrics_analysis.execution_time!.mean).toBe(3);
    expect(all.metrics_analysis.memory_usage!.max).toBe(50);
    const last = analyzeLane(runs, 'docs', { window: 1 });
    expect(last.total_runs).toBe(1);
    expect(last.metrics_analysis.execution_time!.mean).toBe(4.5);
    expect(analyzeLane(runs, 'nope')).toMatchObject({ total_runs: 0, metrics_analysis: {} });
  });
});

describe('getTrends', () => {
  it('returns one point per run, oldest first, limited to the window', () => {
    const runs = [
      makeRun({ id: 'b', startedAt: '2025-01-02T00:00:00Z', iterations: it3(2, 2), sha: 'bbb' }),
      makeRun({ id: 'a', startedAt: '2025-01-01T00:00:00Z', iterations: it3(1, 1) }),
      makeRun({ id: 'c', startedAt: '2025-01-03T00:00:00Z', iterations: it3(3, 5) }),
      makeRun({ id: 'x', workflow: 'other', startedAt: '2025-01-04T00:00:00Z', iterations: it3(9) }),
    ];
    const t = getTrends(runs, 'docs', 'execution_time', { workflow: 'build' });
    expect(t.map((p) => [p.run_id, p.value])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 4],
    ]);
    expect(t[1]!.git_sha).toBe('bbb');
    expect(getTrends(runs, 'docs', 'execution_time', { window: 2 }).map((p) => p.run_id)).toEqual(['c', 'x']);
    expect(getTrends(runs, 'docs', 'no_such_metric')).toEqual([]);
  });
});

describe('compareRuns', () => {
  it('compares lanes and workflows present on both sides with change and significance', () => {
    const base = [
      makeRun({ iterations: it3(10, 10.2, 9.9, 10.1, 10) }),
      makeRun({ workflow: 'only-base', iterations: it3(1, 1, 1) }),
    ];
    const cand = [makeRun({ iterations: it3(13, 13.1, 12.9, 13.2, 13) })];
    const rows = compareRuns(base, cand);
    const exec = rows.find((r) => r.metric === 'execution_time')!;
    expect(rows.every((r) => r.workflow === 'build')).toBe(true);
    expect(exec.change_pct!).toBeCloseTo(29.8, 0);
    expect(exec.p_value!).toBeLessThan(0.05);
    expect(exec.significant).toBe(true);
    expect(exec.status).toBe('regression');
    expect(exec.environment_match).toBe(true);
    expect(rows.map((r) => r.metric)).toContain('memory_usage');
    // all-zero metrics are left out
    expect(rows.map((r) => r.metric)).not.toContain('network_io');
  });

  it('flags an environment mismatch but still shows the numbers', () => {
    const rows = compareRuns(
      [makeRun({ iterations: it3(1, 2, 3), fingerprint: 'a' })],
      [makeRun({ iterations: it3(1, 2, 3), fingerprint: 'b' })],
    );
    expect(rows[0]!.environment_match).toBe(false);
    expect(rows[0]!.change_pct).toBe(0);
  });

  it('says insufficient-data below 3 samples', () => {
    const [r] = compareRuns([makeRun({ iterations: it3(1, 2) })], [makeRun({ iterations: it3(3, 4) })], {
      metrics: ['execution_time'],
    });
    expect(r!.status).toBe('insufficient-data');
    expect(r!.p_value).toBeNull();
  });
});

describe('mergeHistories', () => {
  it('keeps every run once, oldest first, and reports conflicts', () => {
    const a1 = makeRun({ id: 'm1-a', startedAt: '2025-01-01T00:00:00Z', iterations: it3(1) });
    const a2 = makeRun({ id: 'm1-b', startedAt: '2025-01-03T00:00:00Z', iterations: it3(1) });
    const b1 = makeRun({ id: 'm2-a', startedAt: '2025-01-02T00:00:00Z', iterations: it3(1) });
    const machine1: HistoryFile = { schema_version: 1, runs: [a1, a2] };
    const machine2: HistoryFile = { schema_version: 1, runs: [b1, a1] };
    const merged = mergeHistories([machine1, machine2]);
    expect(merged.schema_version).toBe(1);
    expect(merged.runs.map((r) => r.id)).toEqual(['m1-a', 'm2-a', 'm1-b']);
    const changed = { ...a2, duration_s: 999 };
    const { summary } = mergeHistoriesDetailed([machine1, machine2, { schema_version: 1, runs: [changed] }]);
    expect(summary).toEqual({ runs: 3, duplicates: 2, conflicts: ['m1-b'] });
  });
});
