/**
 * Reading one lanebench config file: JSON, an ES module or CommonJS module, and TypeScript through
 * a host-provided importer (Vitest's module runner) where plain Node cannot import it.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ConfigError } from './errors.js';
import type { LanebenchConfig } from './types.js';

/** Looked up in this order at the project root. */
export const CONFIG_FILE_NAMES = [
  'lanebench.config.ts',
  'lanebench.config.mjs',
  'lanebench.config.js',
  'lanebench.config.json',
] as const;

/** Imports a module by absolute path, the way the host runtime can (e.g. Vitest's `vitest.import`). */
export type ModuleImporter = (file: string) => Promise<unknown>;

export interface ReadConfigFileOptions {
  /** used for TypeScript files (.ts, .mts, .cts) instead of Node's own import */
  importFile?: ModuleImporter;
}

const TYPESCRIPT_FILE = /\.[cm]?ts$/;

/** The configuration object a file exports: JSON, `export default`, or `module.exports`. */
export async function readConfigFile(file: string, opts: ReadConfigFileOptions = {}): Promise<LanebenchConfig> {
  if (file.endsWith('.json')) {
    const text = await readFile(file, 'utf8');
    try {
      return JSON.parse(text) as LanebenchConfig;
    } catch (err) {
      throw new ConfigError(`${file}: invalid JSON (${(err as Error).message})`, { cause: err });
    }
  }
  if (opts.importFile && TYPESCRIPT_FILE.test(file)) {
    let mod: unknown;
    try {
      mod = await opts.importFile(file);
    } catch (err) {
      throw new ConfigError(`${file}: could not load the config file: ${(err as Error).message}`, { cause: err });
    }
    return configFromModule(mod);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    const code = (err as { code?: string }).code;
    // Jest runs setup files in a vm context without dynamic import; CommonJS files can still be required
    if (code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING' || code === 'ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_FLAG') {
      if (file.endsWith('.js') || file.endsWith('.cjs')) {
        try {
          mod = { default: createRequire(file)(file) as unknown };
          return configFromModule(mod);
        } catch {
          /* an ES module .js: fall through to the error below */
        }
      }
      throw new ConfigError(
        `${file}: this runtime cannot import ES module config files here (no dynamic import in this VM context, e.g. inside Jest); ` +
          `use lanebench.config.json or a CommonJS lanebench.config.js (module.exports = { … })`,
        { cause: err },
      );
    }
    if (file.endsWith('.ts') && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || err instanceof SyntaxError)) {
      throw new ConfigError(
        `${file}: this Node.js (${process.version}) cannot load TypeScript config files; ` +
          `rename it to lanebench.config.mjs, .js or .json, or run under a TypeScript loader (Vitest, tsx, Node ≥ 22.6 with type stripping)`,
        { cause: err },
      );
    }
    throw new ConfigError(`${file}: could not load the config file: ${(err as Error).message}`, { cause: err });
  }
  return configFromModule(mod);
}

async function configFromModule(mod: unknown): Promise<LanebenchConfig> {
  // `export default`, module.exports (arrives as default), or a module of named exports
  let config: unknown = mod !== null && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
  if (config && typeof config === 'object' && 'default' in config && Object.keys(config).length === 1) {
    config = config.default; // CJS transpiled from `export default`
  }
  if (typeof config === 'function') config = await (config as () => unknown)();
  return config as LanebenchConfig;
}
