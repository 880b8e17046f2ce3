// The original guide's class names over the functions of the other stages (thin wrappers).
export { LaneType } from './lane-type.js';
export { BenchmarkSuite, type SuiteRunHooks } from './benchmark-suite.js';
export { PerformanceAnalyzer } from './performance-analyzer.js';
export { SLAValidator } from './sla-validator.js';
export { OptimizationRecommender } from './optimization-recommender.js';
export { ReportGenerator } from './report-generator.js';
export { MetricsCollector, type MetricSnapshot } from './metrics-collector.js';
