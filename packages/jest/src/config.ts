/**
 * The configuration the reporter resolves once per Jest run: lanebench.config.* at rootDir (or
 * options.configFile) read by core's loader, with the reporter options merged over it, and the
 * settings of `lanebench run` (runJest) over both.
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
import type { CliOverrides } from './cli-overrides.js';
import type { LanebenchJestOptions } from './options.js';

function findConfigFile(root: string, configFile: string | undefined): string | undefined {
  if (configFile !== undefined) {
    const file = resolve(root, configFile);
    if (!existsSync(file)) throw new ConfigError(`config file not found: ${file} (from configFile '${configFile}')`);
    return file;
  }
  return CONFIG_FILE_NAMES.map((name) => join(root, name)).find((candidate) => existsSync(candidate));
}

/** Later layers win; lanes merge per lane and each lane's `sla` per value, like the plugin options. */
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

export async function loadReporterConfig(
  rootDir: string,
  options: LanebenchJestOptions,
  overrides: CliOverrides,
): Promise<ResolvedConfig> {
  const { configFile: optionFile, ...reporterConfig } = options;
  const file = findConfigFile(rootDir, overrides.configFile ?? optionFile);
  const fromFile = file ? await readConfigFile(file) : undefined;
  const merged = mergeConfigs(fromFile, reporterConfig, overrides.config);
  try {
    return { ...resolveConfig(merged, { root: rootDir }), ...(file ? { configFile: file } : {}) };
  } catch (error) {
    if (error instanceof ConfigError) {
      const where = file ? `${file} + @lanebench/jest reporter options` : '@lanebench/jest reporter options';
      throw new ConfigError(`${where}: ${error.message}`, { cause: error });
    }
    throw error;
  }
}
