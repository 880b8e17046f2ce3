/** Options of the Jest reporter: the lanebench config shape, merged over lanebench.config.* at rootDir. */
import { cliOverridesEnvVar, type LanebenchConfig } from '@lanebench/core';

export interface LanebenchJestOptions extends LanebenchConfig {
  /** a lanebench config file to read instead of looking for lanebench.config.{ts,mjs,js,json} at rootDir */
  configFile?: string;
}

/**
 * Where `lanebench run` (runJest) leaves its settings for the reporter, which Jest constructs from
 * its own config (core's readCliOverrides/withRunnerLaunch read and write it).
 */
export const CLI_OVERRIDES_ENV = cliOverridesEnvVar('jest');
