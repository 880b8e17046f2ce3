/**
 * Settings `lanebench run` passes down to the reporter when it drives Jest (runJest). They travel
 * in an environment variable because the reporter is constructed by Jest from its own config;
 * they beat the reporter options, and the workflow overrides beat options in test files.
 */
import type { LanebenchConfig, WorkflowOverrides } from '@lanebench/core';

export const CLI_OVERRIDES_ENV = 'LANEBENCH_JEST_OVERRIDES';

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
