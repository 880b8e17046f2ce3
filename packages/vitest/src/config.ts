/**
 * The configuration the plugin resolves once per Vitest root: lanebench.config.* (or the
 * `configFile` option) read with core's loader, the plugin options merged over it, and the
 * settings of `lanebench run` over both. TypeScript config files are loaded through Vitest's own
 * module runner, so they work on every Node version Vitest supports.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  CONFIG_FILE_NAMES,
  ConfigError,
  readConfigFile,
  resolveConfig,
  type LaneConfig,
  type LanebenchConfig,
  type ResolvedConfig,
} from '@lanebench/core';
import { readCliOverrides, type LanebenchPluginOptions } from './options.js';
import type { WorkerPayload } from './payload.js';

export type ModuleImporter = (file: string) => Promise<unknown>;

function findConfigFile(root: string, configFile: string | undefined): string | undefined {
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
        merged[name] = prev ? { ...prev, ...lane, ...(prev.sla || lane.sla ? { sla: { ...prev.sla, ...lane.sla } } : {}) } : lane;
      }
      out.lanes = merged;
    }
  }
  return out;
}

async function readFile(file: string, importer: ModuleImporter | undefined): Promise<LanebenchConfig> {
  if (!/\.[cm]?ts$/.test(file) || !importer) return readConfigFile(file);
  let mod: unknown;
  try {
    mod = await importer(file);
  } catch (error) {
    throw new ConfigError(`${file}: could not load the config file: ${(error as Error).message}`, { cause: error });
  }
  let config = mod && typeof mod === 'object' && 'default' in mod ? (mod as { default: unknown }).default : mod;
  if (typeof config === 'function') config = await (config as () => unknown)();
  return config as LanebenchConfig;
}

export async function resolvePluginConfig(
  root: string,
  options: LanebenchPluginOptions,
  importer?: ModuleImporter,
): Promise<Omit<WorkerPayload, 'vitestVersion'>> {
  const overrides = readCliOverrides();
  const { configFile: optionFile, ...pluginConfig } = options;
  const file = findConfigFile(root, overrides.configFile ?? optionFile);
  const fromFile = file ? await readFile(file, importer) : undefined;
  const merged = mergeConfigs(fromFile, pluginConfig, overrides.config);
  let config: ResolvedConfig;
  try {
    config = { ...resolveConfig(merged, { root }), ...(file ? { configFile: file } : {}) };
  } catch (error) {
    if (error instanceof ConfigError) {
      const where = file ? `${file} + lanebench() plugin options` : 'lanebench() plugin options';
      throw new ConfigError(`${where}: ${error.message}`, { cause: error });
    }
    throw error;
  }
  return { config, ...(overrides.workflow ? { workflowOverrides: overrides.workflow } : {}) };
}
