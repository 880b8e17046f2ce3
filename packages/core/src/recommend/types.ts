/** Optimization recommendations (docs/ANALYSIS.md). report/ consumes `Recommendation` as it is. */

export type RecommendationEffort = 'low' | 'medium' | 'high';

export interface Recommendation {
  /** stable identifier of the rule, e.g. 'parallelize' */
  id: string;
  title: string;
  /** 1 = most urgent … 5 = nice to have */
  priority: 1 | 2 | 3 | 4 | 5;
  description: string;
  /**
   * Expected reduction, in percent, of the metric named by `evidence.metric` (execution_time
   * unless stated) if the steps are applied. A rough, documented estimate, never a promise.
   * 0 means "not estimated" (the advice improves the measurement, not the workflow); reports say so.
   */
  estimated_improvement_pct: number;
  effort: RecommendationEffort;
  steps: string[];
  /** the measured figures that triggered the recommendation */
  evidence: Record<string, number | string>;
  lane: string;
  workflow: string;
}

/** The figures of one run the rules read (means over passed iterations). */
export interface Profile {
  lane: string;
  workflow: string;
  samples: number;
  failed: number;
  exec_mean: number;
  exec_median: number;
  exec_p95: number;
  exec_cv: number;
  cpu_seconds_mean: number;
  /** average number of cores busy: cpu_seconds / execution_time */
  parallelism: number;
  cpu_usage_mean: number;
  cores: number;
  memory_max: number;
  disk_io_mean: number;
  /** bytes per second of wall time */
  disk_rate: number;
  /** lane limits in stored units (s, MB, %), when known */
  target?: number | undefined;
  memory_limit?: number | undefined;
  cpu_limit?: number | undefined;
  /** run means of execution_time of earlier comparable runs plus this one, oldest first */
  history_means: number[];
  /** measured iterations asked for, and warm-up iterations run before them (advice already applied is not repeated) */
  requested: number;
  warmup: number;
  /** mean network bytes per iteration; undefined when the platform could not measure it */
  network_io_mean?: number | undefined;
}
