/**
 * The configuration the plugin resolves once per Vitest root, through core's layered resolve:
 * lanebench.config.* (or the `configFile` option) ← the plugin options ← the settings of
 * `lanebench run`. The Vitest-specific part: TypeScript config files are loaded through Vitest's
 * own module runner, so they work on every Node version Vitest supports.
 */
import { readCliOverrides, resolveLayeredConfig, type ModuleImporter } from '@lanebench/core';
import type { LanebenchPluginOptions } from './options.js';
import type { WorkerPayload } from './payload.js';

export type { ModuleImporter };

export async function resolvePluginConfig(
  root: string,
  options: LanebenchPluginOptions,
  importer?: ModuleImporter,
): Promise<Omit<WorkerPayload, 'vitestVersion'>> {
  const overrides = readCliOverrides('vitest');
  const { configFile, ...pluginOptions } = options;
  const file = overrides.configFile ?? configFile;
  const config = await resolveLayeredConfig({
    root,
    ...(file !== undefined ? { configFile: file } : {}),
    options: pluginOptions,
    ...(overrides.config ? { overrides: overrides.config } : {}),
    source: 'lanebench() plugin options',
    ...(importer ? { importFile: importer } : {}),
  });
  return { config, ...(overrides.workflow ? { workflowOverrides: overrides.workflow } : {}) };
}
