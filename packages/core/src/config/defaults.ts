import type { LaneConfig, ReportFormat } from './types.js';

export type DefaultLaneName = 'docs' | 'standard' | 'heavy';

/** SPEC §3: default lanes, their SLA and per-iteration timeout (seconds, MB, %). */
export const DEFAULT_LANES: Readonly<Record<DefaultLaneName, LaneConfig>> = {
  docs: {
    iterations: 5,
    timeout: 300,
    sla: { target: 300, p95: 400, p99: 500, memory_max: 512, cpu_avg: 30 },
  },
  standard: {
    iterations: 5,
    timeout: 900,
    sla: { target: 900, p95: 1200, p99: 1500, memory_max: 1024, cpu_avg: 50 },
  },
  heavy: {
    iterations: 5,
    timeout: 1200,
    sla: { target: 1200, p95: 1500, p99: 1800, memory_max: 2048, cpu_avg: 70 },
  },
};

export const DEFAULT_ITERATIONS = 5;
export const DEFAULT_WARMUP = 0;
/** timeout of a user lane that sets none: the standard lane's */
export const DEFAULT_TIMEOUT_S = 900;
export const DEFAULT_OUTPUT_DIR = '.benchmark_results';
export const ALL_REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'csv', 'junit', 'markdown'];
export const RUNNERS = ['vitest', 'jest'] as const;
export const ON_FAILURE_CHOICES = ['continue', 'abort'] as const;
export const DEFAULT_SAMPLE_INTERVAL_MS = 50;
export const DEFAULT_REGRESSION_THRESHOLD = 0.1;
export const DEFAULT_HISTORY_WINDOW = 10;

export const ITERATIONS_RANGE = { min: 1, max: 100 } as const;
export const WARMUP_RANGE = { min: 0, max: 100 } as const;

export const LANE_CONFIG_KEYS = [
  'iterations',
  'timeout',
  'warmup',
  'strict',
  'onFailure',
  'sla',
  'thresholds',
  'customMetrics',
  'confirm',
] as const;
export { SLA_KEYS } from '../thresholds/sla-aliases.js';
