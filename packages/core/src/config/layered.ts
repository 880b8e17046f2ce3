/**
 * The configuration a runner adapter resolves once per test run, in layers where later ones win:
 * lanebench.config.* (or an explicit file) ← the adapter's own options (plugin/reporter options)
 * ← the settings `lanebench run` passed down. loadConfig is the case with the file alone.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../base/errors.js';
import { canonicalSla } from '../thresholds/sla-aliases.js';
import { CONFIG_FILE_NAMES, readConfigFile, type ModuleImporter } from './read-file.js';
import { resolveConfig } from './resolve.js';
import type { LaneConfig, LanebenchConfig, ResolvedConfig } from './types.js';

/**
 * The config file in play: `configFile` resolved against the root (a ConfigError when it does not
 * exist), else the first of CONFIG_FILE_NAMES at the root, else undefined (defaults only).
 */
export function findConfigFile(root: string, configFile?: string): string | undefined {
  if (configFile !== undefined) {
    const file = resolve(root, configFile);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${file} (from configFile '${configFile}')`);
    return file;
  }
  return CONFIG_FILE_NAMES.map((name) => join(root, name)).find((candidate) => existsSync(candidate));
}

/** Later layers win; lanes merge per lane and each lane's `sla` per value. */
export function mergeConfigs(...layers: Array<LanebenchConfig | undefined>): LanebenchConfig {
  const out: LanebenchConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    const { lanes, ...rest } = layer;
    Object.assign(out, rest);
    if (lanes) {
      const merged: Record<string, LaneConfig> = { ...out.lanes };
      for (const [name, lane] of Object.entries(lanes)) {
        const prev = merged[name];
        merged[name] = prev
          ? {
              ...prev,
              ...lane,
              ...(prev.sla || lane.sla ? { sla: { ...canonicalSla(prev.sla), ...canonicalSla(lane.sla) } } : {}),
            }
          : lane;
      }
      out.lanes = merged;
    }
  }
  return out;
}

export interface LayeredConfigSpec {
  /** project root: where lanebench.config.* is looked up and relative paths resolve */
  root: string;
  /** an explicit config file (relative to the root) instead of looking for lanebench.config.* */
  configFile?: string;
  /** the adapter's options, merged over the file */
  options?: LanebenchConfig;
  /** the settings of `lanebench run`, merged over both */
  overrides?: LanebenchConfig;
  /** names the options in error messages, e.g. 'lanebench() plugin options' */
  source?: string;
  /** loads TypeScript config files where plain Node cannot (see readConfigFile) */
  importFile?: ModuleImporter;
}

/** A layer that adds nothing; skipped so a lone layer reaches resolveConfig as written (same messages as loadConfig). */
function isEmptyLayer(layer: LanebenchConfig | undefined): boolean {
  return (
    layer === undefined ||
    (layer !== null && typeof layer === 'object' && !Array.isArray(layer) && Object.keys(layer).length === 0)
  );
}

/**
 * Reads the config file (if any), merges the layers, resolves and validates the result. A
 * ConfigError is re-thrown prefixed with where the bad value came from (`<file> + <source>`).
 */
export async function resolveLayeredConfig(spec: LayeredConfigSpec): Promise<ResolvedConfig> {
  const file = findConfigFile(spec.root, spec.configFile);
  const fromFile = file
    ? await readConfigFile(file, spec.importFile ? { importFile: spec.importFile } : {})
    : undefined;
  const layers = [fromFile, spec.options, spec.overrides].filter((layer) => !isEmptyLayer(layer));
  const input = layers.length <= 1 ? layers[0] : mergeConfigs(...layers);
  try {
    return { ...resolveConfig(input, { root: spec.root }), ...(file ? { configFile: file } : {}) };
  } catch (err) {
    const where = [file, spec.source].filter((part) => part !== undefined && part !== '').join(' + ');
    if (err instanceof ConfigError && where !== '') {
      const wrapped = new ConfigError(`${where}: ${err.message}`, { cause: err });
      wrapped.name = err.name; // keep ThresholdError & co. recognisable
      throw wrapped;
    }
    throw err;
  }
}
