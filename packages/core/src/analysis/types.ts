/**
 * Result shapes of analysis/: lane summaries, trends, regression detection, comparisons and merges.
 * Plain JSON-serializable data; report/ consumes `RegressionResult` as it is.
 */
import type { MetricStats } from '../types.js';

/** `lanebench analyze` output for one lane (SPEC §9). */
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
  'regression' | 'improvement' | 'no-change' | 'insufficient-data' | 'environment-mismatch';

/**
 * Verdict on one metric of a candidate run against its baseline window (SPEC §10).
 * Numbers that could not be computed (no baseline, zero baseline mean, too few samples) are null.
 */
export interface RegressionResult {
  lane: string;
  workflow: string;
  metric: string;
  status: RegressionStatus;
  baseline_mean: number | null;
  candidate_mean: number | null;
  /** (candidate − baseline) / baseline × 100; null when the baseline mean is 0 or missing */
  change_pct: number | null;
  /** two-sided Mann-Whitney U p-value; null when the test was not run */
  p_value: number | null;
  threshold_pct: number;
  /** number of baseline runs whose iterations were pooled */
  baseline_runs: number;
  message: string;
}

/** Options of `detectRegressions`. */
export interface RegressionOptions {
  /** at most this many most recent earlier runs form the baseline (default 10) */
  window?: number;
  /** relative change of means that counts as a change, as a fraction like config.regressionThreshold (default 0.10 = 10 %) */
  threshold?: number;
  /** significance level of the two-sided test (default 0.05) */
  alpha?: number;
  /** metrics to check (default: execution_time, cpu_seconds, memory_usage and every custom metric of the candidate) */
  metrics?: string[];
  /** minimum samples on each side (default 3) */
  minSamples?: number;
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
