import { analyzeLane } from '../analysis/lane.js';
import { compareRuns, type CompareOptions } from '../analysis/compare.js';
import { detectRegressions } from '../analysis/regression.js';
import { getTrends } from '../analysis/trends.js';
import type { Comparison, LaneAnalysis, RegressionOptions, RegressionResult, TrendPoint } from '../analysis/types.js';
import { readHistory, type HistoryStore } from '../history/index.js';
import type { HistoryFile, Run } from '../types.js';

/**
 * Analysis over a history (the guide's `PerformanceAnalyzer`): lane statistics, trends,
 * regression detection and comparisons.
 *
 * @example
 * const analyzer = await PerformanceAnalyzer.fromFile('.benchmark_results/metrics.json');
 * analyzer.analyzeLane('docs', { window: 10 });
 * analyzer.getTrends('docs', 'execution_time');
 */
export class PerformanceAnalyzer {
  readonly runs: readonly Run[];

  constructor(history: readonly Run[] | HistoryFile) {
    this.runs = Array.isArray(history) ? history : (history as HistoryFile).runs;
  }

  static async fromFile(file: string): Promise<PerformanceAnalyzer> {
    return new PerformanceAnalyzer(await readHistory(file));
  }

  /** Reads a history store (openHistoryStore: a file or PostgreSQL). */
  static async fromStore(store: HistoryStore): Promise<PerformanceAnalyzer> {
    return new PerformanceAnalyzer(await store.readAll());
  }

  /** `{ lane, total_runs, metrics_analysis }` over the lane's last `window` runs. */
  analyzeLane(lane: string, opts?: { window?: number; workflow?: string }): LaneAnalysis {
    return analyzeLane(this.runs, lane, opts);
  }

  /** One point (run mean) per run, oldest first. */
  getTrends(lane: string, metric: string, opts?: { window?: number; workflow?: string }): TrendPoint[] {
    return getTrends(this.runs, lane, metric, opts);
  }

  /** Regressions of a run (or run id) against its earlier runs in this history. */
  detectRegressions(run: Run | string, opts?: RegressionOptions): RegressionResult[] {
    if (typeof run !== 'string') return detectRegressions(run, this.runs, opts);
    const candidate = this.runs.find((r) => r.id === run);
    if (!candidate) throw new RangeError(`no run with id '${run}' in this history`);
    return detectRegressions(candidate, this.runs, opts);
  }

  /** Two sets of runs side by side with change, significance and environment match. */
  compare(baseline: readonly Run[], candidate: readonly Run[], opts?: CompareOptions): Comparison[] {
    return compareRuns(baseline, candidate, opts);
  }
}
