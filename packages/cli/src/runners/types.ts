import type { LanebenchConfig, WorkflowOverrides } from '@lanebench/core';

/** What `lanebench run --lane` hands to a runner. */
export interface RunnerLaunch {
  cwd: string;
  lane: string;
  /** absolute path of --config, when given */
  configFile?: string;
  /** config values from the command line (outputDir) */
  config: LanebenchConfig;
  /** --iterations, --timeout, --strict */
  overrides: WorkflowOverrides;
  verbose: boolean;
}
