import { cliOverridesEnvVar, type AdapterOptions } from '@lanebench/core';

/** Options of the Jest reporter: the lanebench config shape (and `configFile`), merged over lanebench.config.* at rootDir. */
export type LanebenchJestOptions = AdapterOptions;

/**
 * Where `lanebench run` (runJest) leaves its settings for the reporter, which Jest constructs from
 * its own config (core's readCliOverrides/withRunnerLaunch read and write it).
 */
export const CLI_OVERRIDES_ENV = cliOverridesEnvVar('jest');
