export { analyzeLane, LaneAggregator } from './lane.js';
export { getTrends } from './trends.js';
export { detectRegressions, DEFAULT_REGRESSION_METRICS } from './regression.js';
export { compareRuns, type CompareOptions } from './compare.js';
export { mergeHistories, mergeHistoriesDetailed } from './merge.js';
export { mannWhitneyU, normalSf, type MannWhitneyResult, type MannWhitneyOptions } from './mann-whitney.js';
export type {
  LaneAnalysis,
  TrendPoint,
  RegressionStatus,
  RegressionResult,
  RegressionOptions,
  Comparison,
  ComparisonSide,
  MergeSummary,
} from './types.js';
export { latestPerWorkflow, customMetrics } from './select.js';
export { validateLane, type LaneValidation, type WorkflowValidation } from './validate.js';
export {
  analyzePairs,
  analyzeAbRuns,
  minPairs,
  AB_GATED_METRICS,
  METRIC_RESOLUTION,
  DEFAULT_AB_ALPHA,
  DEFAULT_AB_PAIRS,
  type AbRow,
  type PairedOptions,
} from './paired.js';
export { verdictOf, samplesToDecide, mdePct, type Verdict } from './verdict.js';
export { wilcoxonSignedRank, hodgesLehmann, walshAverages, signedRankCdf } from './wilcoxon.js';
export { tQuantile, tSf, normalQuantile, normalCdf } from './distributions.js';
export { runMedian, gateLookback, replayErrors, DEFAULT_GATE_ALPHA, DEFAULT_MIN_RUNS } from './regression.js';
export type { ChangePoint } from './types.js';
export {
  detectChangePoints,
  changePointsOf,
  changePointsOfHistory,
  DEFAULT_CHANGE_POINT_ALPHA,
  type ChangePointOptions,
  type SeriesChangePoint,
} from './changepoints.js';
export { calibrationRow, CALIBRATION_EFFECTS, type CalibrationRow } from './calibrate.js';
