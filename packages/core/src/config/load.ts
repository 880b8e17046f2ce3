import path from 'node:path';
import { resolveLayeredConfig } from './layered.js';
import type { ResolvedConfig } from './types.js';

/**
 * Finds and loads the project's configuration (or `configFile`), then resolves it.
 * No file at the root → the defaults. An explicit file that does not exist → ConfigError naming it.
 */
export async function loadConfig(
  opts: { root?: string | undefined; configFile?: string | undefined } = {},
): Promise<ResolvedConfig> {
  return resolveLayeredConfig({
    root: path.resolve(opts.root ?? process.cwd()),
    ...(opts.configFile !== undefined ? { configFile: opts.configFile } : {}),
  });
}
