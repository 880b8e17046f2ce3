import type { CliOverrides, LanebenchConfig, WorkflowOverrides } from '@lanebench/core';

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

/** The settings the runner's lanebench plugin/reporter reads back (core's readCliOverrides). */
export function cliOverridesOf(launch: RunnerLaunch): CliOverrides {
  return {
    ...(launch.configFile ? { configFile: launch.configFile } : {}),
    config: launch.config,
    workflow: launch.overrides,
  };
}
