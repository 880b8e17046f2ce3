/**
 * Reading one lanebench config file: JSON, an ES module or CommonJS module, and TypeScript through
 * a host-provided importer (Vitest's module runner) where plain Node cannot import it.
 */
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { ConfigError, showValue } from '../base/errors.js';
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

/** Default deadline for loading a config file (import, top-level await, config function), seconds. */
export const DEFAULT_CONFIG_TIMEOUT_S = 30;
export const CONFIG_TIMEOUT_ENV = 'LANEBENCH_CONFIG_TIMEOUT';
const CONFIG_TIMEOUT_RANGE = { min: 0.1, max: 3600 } as const;

/** The deadline from LANEBENCH_CONFIG_TIMEOUT (seconds), a ConfigError naming a bad value and the range. */
export function configTimeoutSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[CONFIG_TIMEOUT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_CONFIG_TIMEOUT_S;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < CONFIG_TIMEOUT_RANGE.min || value > CONFIG_TIMEOUT_RANGE.max) {
    throw new ConfigError(
      `${CONFIG_TIMEOUT_ENV}=${showValue(raw)} is not valid; expected seconds from ${CONFIG_TIMEOUT_RANGE.min} to ${CONFIG_TIMEOUT_RANGE.max} (default ${DEFAULT_CONFIG_TIMEOUT_S})`,
    );
  }
  return value;
}

/**
 * The configuration object a file exports: JSON, `export default`, or `module.exports`. Loading has a
 * deadline: a config that never settles (a promise that never resolves, a top-level await on one) would
 * otherwise let the process drain its event loop and exit 0 having run nothing. The pending timer also
 * keeps the process alive until the deadline turns it into a ConfigError naming the file.
 */
export async function readConfigFile(file: string, opts: ReadConfigFileOptions = {}): Promise<LanebenchConfig> {
  const seconds = configTimeoutSeconds();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new ConfigError(
          `${file}: the config did not settle within ${seconds} s (a promise or top-level await that never resolves?); ` +
            `raise the limit with ${CONFIG_TIMEOUT_ENV}=<seconds> if loading really takes this long`,
        ),
      );
    }, seconds * 1000);
  });
  try {
    return await Promise.race([readConfigFileNow(file, opts), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function readConfigFileNow(file: string, opts: ReadConfigFileOptions): Promise<LanebenchConfig> {
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
    return configFromModule(mod, file);
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
          return configFromModule(mod, file);
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
  return configFromModule(mod, file);
}

async function configFromModule(mod: unknown, file: string): Promise<LanebenchConfig> {
  // `export default`, module.exports (arrives as default), or a module of named exports
  let config: unknown = mod !== null && typeof mod === 'object' && 'default' in mod ? mod.default : mod;
  if (config && typeof config === 'object' && 'default' in config && Object.keys(config).length === 1) {
    config = config.default; // CJS transpiled from `export default`
  }
  if (typeof config === 'function') {
    try {
      config = await (config as () => unknown)();
    } catch (err) {
      // a configuration error like any other (exit 2), naming the file rather than a raw stack
      throw new ConfigError(
        `${file}: the exported config function threw: ${err instanceof Error ? err.message : showValue(err)}`,
        { cause: err },
      );
    }
  }
  return config as LanebenchConfig;
}
