/**
 * The configuration the plugin resolves once per Vitest root, through core's resolveAdapterSession:
 * lanebench.config.* (or the `configFile` option) ← the plugin options ← the settings of
 * `lanebench run`, checked before anything runs. Config files, TypeScript included, are loaded by core
 * (jiti), as for the CLI and Jest; `importer` is kept for callers that still pass one (deprecated).
 */
import { resolveAdapterSession, type AdapterSession, type ModuleImporter } from '@lanebench/core';
import type { LanebenchPluginOptions } from './options.js';

export type { ModuleImporter };

export function resolvePluginConfig(
  root: string,
  options: LanebenchPluginOptions,
  importer?: ModuleImporter,
): Promise<AdapterSession> {
  return resolveAdapterSession({
    runner: 'vitest',
    root,
    options,
    source: 'lanebench() plugin options',
    importFile: importer,
  });
}
