/**
 * Inputs of the report writers. Every writer consumes the same `ReportInput` and renders one file
 * (see `ReportWriter`); statistics are computed upstream (stats/, analysis/, recommend/) and only
 * formatted here.
 *
 * The writers read regressions and recommendations exactly as analysis/ and recommend/ produce
 * them (type-only imports: report/ does not load those modules).
 */
import type { ChangePoint, RegressionResult } from '../analysis/types.js';
import type { ReportFormat } from '../config/types.js';
import type { Recommendation } from '../recommend/types.js';
import type { Run, Threshold } from '../types.js';

export type ReportRegression = RegressionResult;
export type ReportRecommendation = Recommendation;

export interface ReportInput {
  /** the runs of this session (what the reports are about) */
  runs: Run[];
  /** the history the reports see, `runs` included (publishing and `report`: their windows, docs/history.md); may be empty */
  history: Run[];
  regressions?: ReportRegression[];
  recommendations?: ReportRecommendation[];
  /**
   * Configured thresholds per lane (ResolvedLane.thresholds), used to draw SLA lines on trend charts.
   * Optional: without it only thresholds that were violated (and so carried by the runs) are drawn.
   */
  thresholds?: Record<string, Threshold[]>;
  /** change points over the history series (session analysis `changePoints`); drawn on the trend charts */
  changePoints?: ReportChangePoint[];
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

/** A change point in a history series, exactly as analysis/ produces it. */
export type ReportChangePoint = ChangePoint;

/** The A/B session a run belongs to (`Run.ab`, written by `lanebench ab`). */
export type ReportAbInfo = NonNullable<Run['ab']>;
