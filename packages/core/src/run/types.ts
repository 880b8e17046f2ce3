/** Types of the run stage (docs/ARCHITECTURE.md, run/). The workflow contract is the measure stage's (measure/types.ts). */
import type { WorkflowOverrides } from '../config/index.js';
import type { IterationStatus } from '../types.js';

export interface WorkflowOptions extends WorkflowOverrides {
  sampleIntervalMs?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export interface ProgressEvent {
  lane: string;
  workflow: string;
  /** 1-based within its kind (warm-up or measured) */
  iteration: number;
  /** number of iterations of that kind */
  total: number;
  warmup: boolean;
  /** 'running' when an iteration starts, its outcome when it ends */
  status: 'running' | IterationStatus;
  elapsed_s: number;
  /** estimated seconds left for the whole run (warm-up included), from the mean duration so far; null before the first iteration ends */
  eta_s: number | null;
  /** of the iteration that just ended */
  execution_time?: number | undefined;
}
