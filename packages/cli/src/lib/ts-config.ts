/**
 * lanebench.config.ts without a TypeScript loader: Node 20 cannot import .ts, but a project that
 * uses Vitest has Vite, whose loadConfigFromFile bundles a TypeScript module and returns its
 * default export. Used only when core's loadConfig reports that it cannot load the .ts file.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LanebenchConfig } from '@lanebench/core';
import { projectRequire } from '../runners/project.js';

interface ViteModule {
  loadConfigFromFile(
    env: { command: 'serve' | 'build'; mode: string },
    file: string,
    root: string,
    logLevel?: string,
  ): Promise<{ config: unknown } | null>;
}

/** The TypeScript config file loadConfig would use, if that is the one in play. */
export function tsConfigFile(root: string, explicit?: string): string | null {
  if (explicit) return explicit.endsWith('.ts') ? resolve(root, explicit) : null;
  const file = join(root, 'lanebench.config.ts');
  return existsSync(file) ? file : null; // .ts comes first in core's CONFIG_FILE_NAMES
}

/** The config object exported by a .ts file, through the project's Vite; null when Vite is not installed. */
export async function loadTsConfigWithVite(file: string, root: string): Promise<LanebenchConfig | null> {
  let entry: string;
  try {
    entry = projectRequire(root).resolve('vite');
  } catch {
    return null;
  }
  const vite = (await import(pathToFileURL(entry).href)) as ViteModule;
  const loaded = await vite.loadConfigFromFile({ command: 'serve', mode: 'production' }, file, root, 'silent');
  return loaded?.config ?? {};
}
