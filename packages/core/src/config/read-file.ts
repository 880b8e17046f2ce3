/**
 * Reading one lanebench config file through jiti: TypeScript (.ts, .mts, .cts, importing other .ts files),
 * ES modules, CommonJS and JSON, the same way on Node 20, 22 and 24, in a plain Node process, under
 * Vitest and inside Jest's CommonJS test runtime (where dynamic import() is not available).
 */
import { createJiti } from 'jiti';
import { ConfigError, showValue } from '../base/errors.js';
import type { LanebenchConfig } from './types.js';

/** Looked up in this order at the project root. */
export const CONFIG_FILE_NAMES = [
  'lanebench.config.ts',
  'lanebench.config.mts',
  'lanebench.config.cts',
  'lanebench.config.mjs',
  'lanebench.config.js',
  'lanebench.config.cjs',
  'lanebench.config.json',
] as const;

/** Imports a module by absolute path, the way the host runtime can (e.g. Vitest's `vitest.import`). */
export type ModuleImporter = (file: string) => Promise<unknown>;

export interface ReadConfigFileOptions {
  /**
   * @deprecated jiti loads TypeScript everywhere. When given, TypeScript files (.ts, .mts, .cts) still go through
   * this importer, as before, so existing callers keep their behaviour.
   */
  importFile?: ModuleImporter | undefined;
}

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
    return await Promise.race([readConfigFileNow(file, opts.importFile), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function readConfigFileNow(file: string, importFile: ModuleImporter | undefined): Promise<LanebenchConfig> {
  if (importFile && /\.[cm]?ts$/.test(file)) {
    let mod: unknown;
    try {
      mod = await importFile(file);
    } catch (err) {
      throw loadError(file, err);
    }
    return configFromModule(mod, file);
  }
  // moduleCache off: a long-lived process (Vitest watch, the tests) that loads the file again sees its edits.
  // The transpile cache on disk stays on (keyed by content): a cached .ts config loads in ~20 ms instead of
  // the ~600 ms it takes to load the TypeScript transform.
  const jiti = createJiti(file, { moduleCache: false, interopDefault: false });
  let mod: unknown;
  try {
    mod = await jiti.import(file);
  } catch (err) {
    throw loadError(file, err);
  }
  return configFromModule(mod, file);
}

/**
 * A ConfigError for a file that did not load. A syntax error (jiti reports every one, in any extension,
 * as "ParseError: <reason> <file>:<line>:<column>") names the file it is in — the config itself or a
 * module it imports — with its line; anything else (a throw at top level, a missing import) keeps its
 * message, prefixed with the config file, because the runtimes word them differently and a file name
 * is the one thing every message needs.
 */
function loadError(file: string, err: unknown): ConfigError {
  const message = (err instanceof Error ? err.message : showValue(err)).replace(/\s+/g, ' ').trim();
  const parse = /^ParseError: (.*?) ?(\S+:\d+:\d+)$/.exec(message);
  if (parse) {
    const [, reason = 'syntax error', where = file] = parse;
    const importedBy = where.startsWith(`${file}:`) ? '' : ` (imported by ${file})`;
    return new ConfigError(`${where}: syntax error: ${reason}${importedBy}`, { cause: err });
  }
  // by name: inside Jest the error comes from another realm, so instanceof would miss it
  if (file.endsWith('.json') && err instanceof Error && err.name === 'SyntaxError') {
    // Node 20 says where as "position N" only; Node 22 adds the line
    return new ConfigError(`${file}: invalid JSON (${message.replace(`${file}: `, '')})`, { cause: err });
  }
  return new ConfigError(`${file}: could not load the config file: ${message.replace(`${file}: `, '')}`, {
    cause: err,
  });
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
