/** Options of `lanebench(options)`: the lanebench config shape, merged over lanebench.config.* at the root. */
import { cliOverridesEnvVar, type LanebenchConfig } from '@lanebench/core';

export interface LanebenchPluginOptions extends LanebenchConfig {
  /** a lanebench config file to read instead of looking for lanebench.config.{ts,mjs,js,json} at the root */
  configFile?: string;
}

/**
 * Where `lanebench run` leaves its settings when it drives Vitest through its Node API (read in
 * the main process only, by core's readCliOverrides): they beat the plugin options; the workflow
 * overrides beat the options written in test files.
 */
export const CLI_OVERRIDES_ENV = cliOverridesEnvVar('vitest');
