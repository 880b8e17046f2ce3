/**
 * The configuration the plugin resolves once per Vitest root, through core's resolveAdapterSession:
 * lanebench.config.* (or the `configFile` option) ← the plugin options ← the settings of
 * `lanebench run`, checked before anything runs. The Vitest-specific part: TypeScript config files are
 * loaded through Vitest's own module runner, so they work on every Node version Vitest supports.
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
