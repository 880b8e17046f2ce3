import type { Threshold } from '../types.js';
import type { DurationInput, LaneSlaInput, ThresholdSpec } from '../thresholds/types.js';

// a lane's SLA is the input of the thresholds compiler, so its shape lives there; re-exported for config users
export type { DurationInput, LaneSlaInput };

export type ReportFormat = 'json' | 'html' | 'csv' | 'junit' | 'markdown';
export type RunnerName = 'vitest' | 'jest';
export type OnFailure = 'continue' | 'abort';
/** What a lane accepts in a config file and in workflow options. */
export interface LaneConfig {
  /** measured iterations, 1–100 (default 5) */
  iterations?: number | undefined;
  /** per-iteration timeout, any positive duration */
  timeout?: DurationInput | undefined;
  /** unmeasured warm-up iterations, 0–100 (default 0) */
  warmup?: number | undefined;
  /** fail on warnings too */
  strict?: boolean | undefined;
  /** keep going after a failed iteration, or stop the run */
  onFailure?: OnFailure | undefined;
  sla?: LaneSlaInput | undefined;
  thresholds?: ThresholdSpec | undefined;
  /** custom metrics thresholds may use: names, or name → unit */
  customMetrics?: string[] | Record<string, string> | undefined;
  /** re-runs of a flagged workflow before a regression fails the run (integer ≥ 0) */
  confirm?: number | undefined;
}

/** Per-workflow options that override the lane's configuration (run/ WorkflowOptions extends this). */
export interface WorkflowOverrides {
  iterations?: number;
  timeout?: DurationInput;
  warmup?: number;
  strict?: boolean;
  /** added to the lane's thresholds */
  thresholds?: ThresholdSpec;
  /** merged over the lane's SLA value by value */
  sla?: LaneSlaInput;
  onFailure?: OnFailure;
}

export interface LanebenchConfig {
  /** where metrics.json and the reports go, relative to the root (default '.benchmark_results') */
  outputDir?: string;
  /** merged over the default lanes docs/standard/heavy; new names add lanes */
  lanes?: Record<string, LaneConfig>;
  reports?: ReportFormat[];
  runner?: RunnerName;
  sampleIntervalMs?: number;
  /** relative change that counts as a regression (default 0.10) */
  regressionThreshold?: number;
  /** number of earlier runs compared against (default 10) */
  historyWindow?: number;
  /** strict mode for every lane that does not set its own */
  strict?: boolean;
  /**
   * where the history lives: a file path (default `<outputDir>/metrics.json`) or a
   * `postgres://…` URL. LANEBENCH_HISTORY in the environment wins.
   */
  history?: string;
  /** a detected regression fails the run (exit 1), as `lanebench run --fail-on-regression` (default false) */
  failOnRegression?: boolean;
  /** re-runs of a flagged workflow before a regression fails the run, for lanes that set none (integer ≥ 0) */
  confirm?: number;
  /**
   * bound the history per lane/workflow, applied on write: keep the newest `runs` runs and drop runs
   * older than `days` days (either or both)
   */
  historyRetention?: HistoryRetention;
}

/** `historyRetention`: limits per lane/workflow (see LanebenchConfig.historyRetention). */
export interface HistoryRetention {
  runs?: number;
  days?: number;
}

export interface ResolvedLane {
  name: string;
  iterations: number;
  timeout_s: number;
  warmup: number;
  strict: boolean;
  onFailure: OnFailure;
  thresholds: Threshold[];
  /** the lane's SLA with every value converted (s, MB, %); kept for reports and recommendations */
  sla: ResolvedSla;
  /** declared custom metrics (name → unit, '' when unknown) */
  customMetrics: Record<string, string>;
}

/** A lane SLA in stored units: seconds, MB and percent. */
export interface ResolvedSla {
  target?: number;
  p95?: number;
  p99?: number;
  memory_max?: number;
  cpu_avg?: number;
}

export interface ResolvedConfig {
  root: string;
  /** absolute */
  outputDir: string;
  lanes: Record<string, ResolvedLane>;
  reports: ReportFormat[];
  runner: RunnerName;
  sampleIntervalMs: number;
  regressionThreshold: number;
  historyWindow: number;
  strict: boolean;
  /** `history` from the config, when set (see LanebenchConfig.history) */
  history?: string;
  failOnRegression: boolean;
  /** `historyRetention` from the config, when set */
  historyRetention?: HistoryRetention;
  /** the file the configuration came from, when it came from one */
  configFile?: string;
}
