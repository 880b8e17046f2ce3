/**
 * Result shapes of analysis/: lane summaries, trends, regression detection, comparisons and merges.
 * Plain JSON-serializable data; report/ consumes `RegressionResult` as it is.
 */
import type { MetricStats } from '../types.js';

/** `lanebench analyze` output for one lane (docs/ANALYSIS.md). */
export interface LaneAnalysis {
  lane: string;
  /** runs of the lane in the analysed window (all workflows, every status) */
  total_runs: number;
  /** statistics over the passed iterations of those runs, pooled, per metric */
  metrics_analysis: Record<string, MetricStats>;
  /** workflows seen in the window */
  workflows: string[];
  /** first and last `started_at` of the window, null when there is no run */
  first_run: string | null;
  last_run: string | null;
}

/** One point of a trend: a run's mean of one metric. */
export interface TrendPoint {
  run_id: string;
  lane: string;
  workflow: string;
  started_at: string;
  metric: string;
  /** mean over the run's passed iterations */
  value: number;
  median: number;
  p95: number;
  samples: number;
  status: string;
  git_sha: string | null;
  env_fingerprint: string;
}

export type RegressionStatus =
  'regression' | 'improvement' | 'no-change' | 'inconclusive' | 'insufficient-data' | 'environment-mismatch';

/**
 * Verdict of the run-level gate on one metric of a candidate run against its baseline window (docs/ANALYSIS.md,
 * docs/ANALYSIS.md). Numbers that could not be computed (no baseline, too few runs, zero medians) are null.
 */
export interface RegressionResult {
  lane: string;
  workflow: string;
  metric: string;
  status: RegressionStatus;
  /** geometric mean of the baseline runs' medians (the gate compares run-level summaries, not iterations) */
  baseline_mean: number | null;
  /** the candidate run's median over its passed iterations */
  candidate_mean: number | null;
  /** candidate_mean / baseline_mean − 1, in percent */
  change_pct: number | null;
  /** two-sided p-value of the candidate median under the t prediction distribution of the baseline run medians */
  p_value: number | null;
  threshold_pct: number;
  /** number of baseline runs (each contributes its median) */
  baseline_runs: number;
  /** two-sided level of the prediction interval */
  alpha?: number;
  /** (1 − alpha) prediction interval of the change, percent */
  ci_low_pct?: number | null;
  ci_high_pct?: number | null;
  /** smallest increase this gate flags with 90 % power at this run-to-run noise, percent */
  mde_pct?: number | null;
  /** run-to-run coefficient of variation of the baseline medians, percent */
  run_cv_pct?: number | null;
  /**
   * the series' own one-run-ahead spread, percent: the root mean square log error of predicting each of the newest
   * `replay_runs` runs before the candidate from the `baseline_runs` runs before it (null: too few runs to replay).
   * The interval is widened to it when it is wider than the window's own (docs/ANALYSIS.md, "History gate").
   */
  replay_spread_pct?: number | null;
  /** how many earlier runs the gate replayed itself over for the largest jump (0: none; the spread: ≤ 3 × window) */
  replay_runs?: number;
  /**
   * set when the largest-jump guard turned a regression or improvement into 'inconclusive': the replayed run that
   * was at least as far off its own window (change_pct, percent) as the candidate is
   */
  jump?: { run_id: string; started_at: string; change_pct: number };
  /**
   * set when the machine-contention guard turned a regression or improvement into 'inconclusive': the share of the
   * machine's CPU other processes used during the candidate run and the range over the baseline runs (0–1)
   */
  contention?: { candidate: number; baseline_min: number; baseline_max: number };
  message: string;
}

/** Options of `detectRegressions`. */
export interface RegressionOptions {
  /**
   * at most this many most recent earlier comparable runs form the baseline (default 10); the REPLAY_RUNS (200) runs
   * before the candidate are replayed for the series' own spread and largest jump (`gateLookback` runs read in all)
   */
  window?: number;
  /** relative change that counts, as a fraction like config.regressionThreshold (default 0.10 = 10 %) */
  threshold?: number;
  /** two-sided level of the prediction interval (default 0.01) */
  alpha?: number;
  /** metrics to check (default: execution_time, cpu_seconds, memory_usage and every custom metric of the candidate) */
  metrics?: string[];
  /** fewest baseline runs for a verdict (default 5); fewer is 'insufficient-data' */
  minRuns?: number;
}

/** Summary of a metric on one side of a comparison. */
export interface ComparisonSide {
  runs: number;
  samples: number;
  mean: number | null;
  median: number | null;
  p95: number | null;
}

/** One metric of one lane/workflow compared across two sets of runs (e.g. two git refs). */
export interface Comparison {
  lane: string;
  workflow: string;
  metric: string;
  baseline: ComparisonSide;
  candidate: ComparisonSide;
  change_pct: number | null;
  p_value: number | null;
  /** p < alpha and both sides have at least 3 samples */
  significant: boolean;
  /** every run on both sides shares one environment fingerprint */
  environment_match: boolean;
  status: RegressionStatus;
}

/** What `mergeHistoriesDetailed` did. */
export interface MergeSummary {
  /** distinct runs in the result */
  runs: number;
  /** runs seen more than once (same id) and kept once */
  duplicates: number;
  /** ids seen more than once with different content (the first seen copy is kept) */
  conflicts: string[];
}

/**
 * A change point of a lane/workflow/metric series of run medians (E-divisive means, docs/ANALYSIS.md): the first run
 * of the new segment, and the medians of the segments before and after it.
 */
export interface ChangePoint {
  lane: string;
  workflow: string;
  metric: string;
  run_id: string;
  started_at: string;
  git_sha?: string;
  before: number;
  after: number;
  /** permutation p-value of the split */
  p_value: number;
}
