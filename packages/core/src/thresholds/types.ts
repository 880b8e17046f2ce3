import type { Severity } from '../types.js';

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
