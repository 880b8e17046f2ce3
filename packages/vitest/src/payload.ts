/**
 * What the plugin hands to the workers through Vitest's `provide`/`inject`: the resolved
 * configuration (plain JSON) and the Vitest version, so workers never load config files themselves.
 */
import type { ResolvedConfig, RunnerInfo, WorkflowOverrides } from '@lanebench/core';

export const PAYLOAD_KEY = 'lanebench';

export interface WorkerPayload {
  config: ResolvedConfig;
  vitestVersion: string;
  /** settings of `lanebench run` that beat the options written in test files */
  workflowOverrides?: WorkflowOverrides;
}

export function runnerInfo(payload: WorkerPayload): RunnerInfo {
  return { name: 'vitest', version: payload.vitestVersion };
}
