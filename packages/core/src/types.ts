/**
 * The normalized records that flow through every stage: measure → analyse → report.
 * These are plain JSON-serializable data; `metrics.json` stores `Run` objects as they are
 * (see docs/FILE-FORMATS.md). Keep this file free of logic.
 */

/** Built-in metric keys (docs/metrics.md). Custom metrics live in `Iteration.custom`. */
export const METRIC_KEYS = [
  'execution_time',
  'cpu_seconds',
  'cpu_usage',
  'memory_usage',
  'disk_read_bytes',
  'disk_write_bytes',
  'disk_io',
  'network_rx_bytes',
  'network_tx_bytes',
  'network_io',
  'network_loopback_bytes',
] as const;
export type BuiltinMetric = (typeof METRIC_KEYS)[number];

/** Unit of each built-in metric as stored: seconds, percent of the whole machine, MB (2^20 bytes), bytes. */
export const METRIC_UNITS: Record<BuiltinMetric, 's' | '%' | 'MB' | 'B'> = {
  execution_time: 's',
  cpu_seconds: 's',
  cpu_usage: '%',
  memory_usage: 'MB',
  disk_read_bytes: 'B',
  disk_write_bytes: 'B',
  disk_io: 'B',
  network_rx_bytes: 'B',
  network_tx_bytes: 'B',
  network_io: 'B',
  network_loopback_bytes: 'B',
};

export type IterationStatus = 'passed' | 'failed' | 'timeout';
export type RunStatus = 'completed' | 'partial' | 'failed' | 'timeout';
export type Severity = 'error' | 'warning';

/** One point of an iteration's resource timeline (kept short: at most ~200 points). */
export interface TimelinePoint {
  /** seconds since the iteration started */
  t: number;
  /** CPU of the tree over the last sampling interval, % of the whole machine (same scale as cpu_usage) */
  cpu: number;
  /** resident memory of the tree at this instant, MB */
  mem: number;
}

/**
 * Which method produced each figure, so a reader can tell kernel accounting from sampling.
 * Values are short identifiers documented in docs/metrics.md, e.g.
 * cpu: 'proc-stat-reaped' | 'process-cpuusage+proc-stat-reaped' | 'pidusage-sampled';
 * memory: 'proc-pss-sum+vmhwm' | 'self-growth+proc-pss-children' | 'pidusage-sampled';
 * disk: 'proc-io-minus-cancelled' | 'unavailable'; network: 'proc-net-dev' | 'unavailable'.
 */
export interface MeasurementMethods {
  execution_time: string;
  cpu: string;
  memory: string;
  disk: string;
  network: string;
  /** what the network figures cover, e.g. 'network-namespace' (Linux) or 'unavailable' */
  network_scope: string;
  /** sampling interval in ms used for the timeline and memory sums */
  sample_interval_ms: number;
}

export interface Iteration {
  /** 1-based position among the measured (non-warm-up) iterations */
  index: number;
  status: IterationStatus;
  started_at: string;
  /** error message for failed iterations, or the timeout description */
  error?: string;
  exit_code?: number | null;
  signal?: string | null;
  execution_time: number;
  cpu_seconds: number;
  cpu_usage: number;
  memory_usage: number;
  disk_read_bytes: number;
  disk_write_bytes: number;
  disk_io: number;
  network_rx_bytes: number;
  network_tx_bytes: number;
  network_io: number;
  /**
   * bytes sent over the loopback interface during the iteration (namespace-wide; not part of network_io, which is
   * traffic that left the machine). Optional: absent in records written before it existed and off Linux.
   */
  network_loopback_bytes?: number;
  /** custom metrics recorded with ctx.metric(name, value, unit) */
  custom: Record<string, number>;
  methods: MeasurementMethods;
  /** how trustworthy the figures are (optional; written by lanebench ≥ 0.2, documented in docs/metrics.md) */
  measurement?: IterationMeasurement;
  timeline: TimelinePoint[];
}

/** Qualifiers of an iteration's figures. */
export interface IterationMeasurement {
  /**
   * processes that carried the iteration's environment cookie but had left the tree (setsid daemons, double forks
   * re-parented to init): `found` were measured, `killed` of them were still running at the end and were killed
   */
  escaped_processes?: { found: number; killed: number } | undefined;
  /** a process of the tree lived shorter than the sampling interval, so its memory could not be resolved */
  memory_below_resolution?: boolean;
  /** cpu_seconds is below the kernel's accounting resolution (one clock tick, usually 10 ms, per process) */
  cpu_below_resolution?: boolean;
  /** how memory_usage was obtained, e.g. 'pss-sum-sampled+vmhwm-lower-bound' (docs/metrics.md) */
  memory_method?: string;
  /**
   * share of the machine's CPU time (0–1) that processes outside the tree used during the iteration (neighbours,
   * other jobs, hypervisor steal; Linux /proc/stat). The regression gate does not call a slowdown a regression
   * when the run shared its machine with more of that than its baseline runs did (docs/ANALYSIS.md).
   */
  machine_contention?: number;
}

/** Statistics of one metric over a set of samples (docs/ANALYSIS.md). */
export interface MetricStats {
  mean: number;
  median: number;
  /** sample standard deviation (n − 1); 0 when n = 1 */
  stdev: number;
  min: number;
  max: number;
  p95: number;
  p99: number;
  samples: number;
  /**
   * Percentiles the sample count cannot resolve (p95 needs ≥ 20 samples, p99 ≥ 100).
   * The value is still the interpolated one; reports must show this note.
   */
  unresolved: Array<'p95' | 'p99'>;
}

export type Aggregation = 'mean' | 'median' | 'min' | 'max' | 'stdev' | `p${number}`;
export type Operator = '<' | '<=' | '>' | '>=' | '==' | '!=';

/** A parsed threshold: `p(95) < 20m` on execution_time → { aggregation: 'p95', operator: '<', value: 1200 }. */
export interface Threshold {
  /** `<metric>_<aggregation>`, e.g. execution_time_p95 */
  name: string;
  metric: string;
  aggregation: Aggregation;
  operator: Operator;
  /** in the metric's stored unit (s, %, MB, bytes, or the custom metric's own unit) */
  value: number;
  severity: Severity;
  /** the expression as the user wrote it */
  expr: string;
}

export interface Violation {
  name: string;
  metric: string;
  aggregation: Aggregation;
  operator: Operator;
  /** measured value of the aggregation */
  value: number;
  /** the threshold value it was compared with */
  threshold: number;
  unit: string;
  severity: Severity;
  message: string;
}

export interface SlaResult {
  /** no error-severity violation (docs/configuration.md) */
  compliant: boolean;
  strict: boolean;
  /** what a test asserts: compliant, and in strict mode also free of warnings */
  passed: boolean;
  violations: Violation[];
  /** number of thresholds evaluated */
  checked: number;
}

export interface EnvInfo {
  os: string;
  platform: string;
  arch: string;
  kernel: string;
  cpu_model: string;
  logical_cores: number;
  memory_total_mb: number;
  node_version: string;
  runner: string | null;
  runner_version: string | null;
  ci_provider: string | null;
  hostname: string;
  /** hash of what makes runs comparable (cpu model, cores, memory, os, arch, node major) */
  fingerprint: string;
}

export interface GitInfo {
  sha: string | null;
  branch: string | null;
  dirty: boolean | null;
}

export interface RunnerInfo {
  /** 'vitest' | 'jest' | 'cli' | 'api' */
  name: string;
  version: string | null;
}

export interface Run {
  id: string;
  lane: string;
  workflow: string;
  /** test file the workflow came from, relative to the project root, when known */
  file?: string;
  started_at: string;
  duration_s: number;
  iterations_requested: number;
  warmup: number;
  timeout_s: number;
  status: RunStatus;
  iterations: Iteration[];
  metrics_analysis: Record<string, MetricStats>;
  sla: SlaResult;
  /** units of custom metrics by name */
  custom_units: Record<string, string>;
  env: EnvInfo;
  git: GitInfo;
  runner: RunnerInfo;
  /** human-readable notes (small-sample percentiles, aborted iterations, measurement fallbacks) */
  notes: string[];
  /** set on the two runs a `lanebench ab` session records: its id, which side this is, how many pairs */
  ab?: { session: string; side: 'base' | 'head'; pair_count: number };
  /** machine state while the run was measured: load average, CPU frequency governor, busy flag */
  machine?: { load_avg?: [number, number, number]; governor?: string; busy?: boolean };
  /** set on a confirmation re-run (`--confirm N`): the run it re-checks and why */
  confirm?: { of: string; attempt: number; of_attempts: number; reason: string };
}

export const HISTORY_SCHEMA_VERSION = 1 as const;

export interface HistoryFile {
  schema_version: typeof HISTORY_SCHEMA_VERSION;
  runs: Run[];
}
