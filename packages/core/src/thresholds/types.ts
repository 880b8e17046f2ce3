import type { Severity } from '../types.js';

/** Seconds as a number, or a string with a unit: '500ms', '2s', '15m', '1.5h'. */
export type DurationInput = number | string;

/** A lane's SLA (SPEC §3). Durations in seconds or with a unit; memory in MB or '1GB'; cpu in % or '30%'. */
export interface LaneSlaInput {
  /** limit of the mean execution time (warning) */
  target?: DurationInput;
  /** limit of the 95th percentile execution time (error) */
  p95?: DurationInput;
  /** limit of the 99th percentile execution time (error) */
  p99?: DurationInput;
  /** limit of peak memory (warning) */
  memory_max?: number | string;
  /** limit of mean CPU share of the machine (warning) */
  cpu_avg?: number | string;
  /** the Python guide's name for `target` (giving both is an error) */
  target_time?: DurationInput;
  /** the Python guide's name for `p95` */
  p95_time?: DurationInput;
  /** the Python guide's name for `p99` */
  p99_time?: DurationInput;
}

/** One threshold as written by the user: `'p(95) < 20m'` or `{ expr: 'p(95) < 20m', severity: 'warning' }`. */
export type ThresholdEntry = string | { expr: string; severity?: Severity };

/** k6-style thresholds keyed by metric name (SPEC §6). A single entry may stand for a one-element list. */
export type ThresholdSpec = Record<string, ThresholdEntry[]>;

export interface CompileOptions {
  /** names of custom metrics thresholds may refer to, besides the built-in ones */
  customMetrics?: string[];
  /** units of custom metrics by name, so that e.g. `max < 2s` converts for a metric recorded in 'ms' */
  customUnits?: Record<string, string>;
  /** severity of entries that do not set one (default 'error') */
  defaultSeverity?: Severity;
}
