import type {
  HistoryFile,
  Iteration,
  IterationStatus,
  MetricStats,
  Run,
  RunStatus,
  SlaResult,
} from '../../packages/core/src/types.js';

export { prng } from './prng.mjs';

export declare const TEST_ENV: Run['env'];

/** One iteration's values, as given (the rest zero). */
export interface IterationInput {
  execution_time: number;
  cpu_usage?: number;
  memory_usage?: number;
  disk_io?: number;
  status?: IterationStatus;
  custom?: Record<string, number>;
}

/** Values that replace the drawn ones of one iteration. */
export interface IterationOverride {
  execution_time?: number;
  memory_usage?: number;
  cpu_usage?: number;
  status?: IterationStatus;
  error?: string;
}

export interface RunSpec {
  lane?: string;
  workflow?: string;
  id?: string;
  file?: string;
  startedAt?: Date | string;
  /** a count (drawn around exec/memory/cpu), or each iteration's values; default 5 drawn */
  iterations?: number | IterationInput[];
  /** mean execution time (s), peak memory (MB) and CPU (%) the drawn iterations vary around */
  exec?: number;
  memory?: number;
  cpu?: number;
  /** relative spread of the drawn execution times (default 0.05) */
  spread?: number;
  seed?: number;
  /** per-iteration overrides by 0-based position (drawn iterations) */
  override?: Record<number, IterationOverride>;
  /** timeline points per drawn iteration (default 60) */
  timeline?: number;
  status?: RunStatus;
  /** git sha (default a fixed one; null for none) */
  sha?: string | null;
  fingerprint?: string;
  cores?: number;
  /** statistics and SLA result of the iterations (default: none, a trivially passed SLA) */
  analyze?: (iterations: Iteration[]) => { metrics_analysis?: Record<string, MetricStats>; sla?: SlaResult };
}

export function makeRun(spec?: RunSpec): Run;
export function makeHistory(count: number, opts?: RunSpec): HistoryFile;
