import { cliOverridesEnvVar, type AdapterOptions } from '@lanebench/core';

/** Options of `lanebench(options)`: the lanebench config shape (and `configFile`), merged over lanebench.config.* at the root. */
export type LanebenchPluginOptions = AdapterOptions;

/**
 * Where `lanebench run` leaves its settings when it drives Vitest through its Node API (read in
 * the main process only, by core's readCliOverrides): they beat the plugin options; the workflow
 * overrides beat the options written in test files.
 */
export const CLI_OVERRIDES_ENV = cliOverridesEnvVar('vitest');
