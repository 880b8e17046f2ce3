export { analyzeLane } from './lane.js';
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
export { latestPerWorkflow } from './select.js';
export { validateLane, type LaneValidation, type WorkflowValidation } from './validate.js';
