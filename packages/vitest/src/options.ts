/** Options of `lanebench(options)`: the lanebench config shape, merged over lanebench.config.* at the root. */
import type { LanebenchConfig, WorkflowOverrides } from '@lanebench/core';

export interface LanebenchPluginOptions extends LanebenchConfig {
  /** a lanebench config file to read instead of looking for lanebench.config.{ts,mjs,js,json} at the root */
  configFile?: string;
}

/**
 * Settings `lanebench run` passes when it drives Vitest through its Node API. They travel in an
 * environment variable (read in the main process only) and beat the plugin options; the workflow
 * overrides beat the options written in test files.
 */
export const CLI_OVERRIDES_ENV = 'LANEBENCH_VITEST_OVERRIDES';

export interface CliOverrides {
  configFile?: string;
  config?: LanebenchConfig;
  workflow?: WorkflowOverrides;
}

export function readCliOverrides(env: NodeJS.ProcessEnv = process.env): CliOverrides {
  const raw = env[CLI_OVERRIDES_ENV];
  if (!raw) return {};
  try {
    return JSON.parse(raw) as CliOverrides;
  } catch {
    throw new Error(`${CLI_OVERRIDES_ENV} is not valid JSON: ${raw.slice(0, 200)}`);
  }
}
