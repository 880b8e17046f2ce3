/**
 * Inputs of the report writers. Every writer consumes the same `ReportInput` and renders one file
 * (see `ReportWriter`); statistics are computed upstream (stats/, analysis/, recommend/) and only
 * formatted here.
 *
 * `ReportRegression` and `ReportRecommendation` are structural: they describe exactly the fields the
 * writers read from analysis/'s `RegressionResult` and recommend/'s `Recommendation`, so those values
 * can be passed as they are without report/ importing the modules that produce them.
 */
import type { ReportFormat } from '../config/types.js';
import type { Run, Threshold } from '../types.js';

/** What the writers read from a regression-detection result (analysis/ `RegressionResult`). */
export interface ReportRegression {
  lane: string;
  workflow: string;
  metric: string;
  status: 'regression' | 'improvement' | 'no-change' | 'insufficient-data' | 'environment-mismatch';
  baseline_mean: number | null;
  candidate_mean: number | null;
  /** relative change in percent (candidate vs baseline), null when not computable */
  change_pct: number | null;
  p_value: number | null;
  threshold_pct: number;
  baseline_runs: number;
  message: string;
}

/** What the writers read from an optimization recommendation (recommend/ `Recommendation`). */
export interface ReportRecommendation {
  id: string;
  title: string;
  /** 1 (most urgent) … 5 */
  priority: number;
  description: string;
  estimated_improvement_pct: number;
  effort: 'low' | 'medium' | 'high';
  steps: string[];
  evidence: Record<string, number | string>;
  lane: string;
  workflow?: string;
}

export interface ReportInput {
  /** the runs of this session (what the reports are about) */
  runs: Run[];
  /** every run known, including `runs` (for trends); may be empty */
  history: Run[];
  regressions?: ReportRegression[];
  recommendations?: ReportRecommendation[];
  /**
   * Configured thresholds per lane (ResolvedLane.thresholds), used to draw SLA lines on trend charts.
   * Optional: without it only thresholds that were violated (and so carried by the runs) are drawn.
   */
  thresholds?: Record<string, Threshold[]>;
  /** ISO 8601 time the reports were generated */
  generated_at: string;
}


/** One export format: a pure renderer plus the file name it is written to. */
export interface ReportWriter {
  format: ReportFormat;
  /** file name inside the output directory, or null when the format writes no extra file */
  fileName: string | null;
  render(input: ReportInput): string;
}
