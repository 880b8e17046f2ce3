/**
 * Helpers for end-to-end tests: pack the workspace packages once, then create fresh
 * projects in temp dirs that install the packed tarballs plus real runners from npm.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PACK_DIR = join(REPO_ROOT, '.tmp', 'packs');
const PACKAGES = ['core', 'vitest', 'jest', 'cli'] as const;
export type PackageDir = (typeof PACKAGES)[number];

/** The Vitest majors every Vitest end-to-end test runs: 4.1, and 5 on Node 22 (which Vitest 5 requires). */
export const VITEST_MAJORS = [
  { major: 4, dependencies: { vitest: '4.1.12' } },
  { major: 5, dependencies: { vitest: '5.1.2', node: '22' } },
] as const;

/** Packs every workspace package (built by `pnpm build` before the tests) and returns tarball paths. */
export function packWorkspace(): Record<PackageDir, string> {
  mkdirSync(PACK_DIR, { recursive: true });
  const out = {} as Record<PackageDir, string>;
  for (const pkg of PACKAGES) {
    const cwd = join(REPO_ROOT, 'packages', pkg);
    const manifest = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as { name: string; version: string };
    const file = `${manifest.name.replace('@', '').replace('/', '-')}-${manifest.version}.tgz`;
    // Always repack: the tarball must match the freshly built dist/.
    execFileSync('pnpm', ['pack', '--pack-destination', PACK_DIR], { cwd, stdio: 'pipe' });
    const tarball = join(PACK_DIR, file);
    if (!existsSync(tarball)) {
      throw new Error(`pnpm pack did not produce ${tarball}; found: ${readdirSync(PACK_DIR).join(', ')}`);
    }
    out[pkg] = tarball;
  }
  return out;
}

let packed: Record<PackageDir, string> | undefined;
export function packs(): Record<PackageDir, string> {
  packed ??= packWorkspace();
  return packed;
}

export interface Project {
  dir: string;
  write(file: string, content: string): void;
  read(file: string): string;
  exists(file: string): boolean;
  /** `cwd` is relative to the project directory (default: the project directory itself). */
  run(
    cmd: string,
    args: string[],
    opts?: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string },
  ): SpawnSyncReturns<string>;
}

/**
 * Creates a fresh project in a temp dir and installs the given lanebench packages (packed
 * tarballs) and registry dependencies with npm, as a user would.
 */
export function createProject(opts: {
  name: string;
  lanebench: PackageDir[];
  dependencies?: Record<string, string>;
  type?: 'module' | 'commonjs';
}): Project {
  const tarballs = packs();
  const dir = mkdtempSync(join(tmpdir(), `lanebench-e2e-${opts.name}-`));
  const deps: Record<string, string> = { ...(opts.dependencies ?? {}) };
  // core is always installed from the tarball so the adapters' dependency on it resolves locally.
  const wanted = new Set<PackageDir>(['core', ...opts.lanebench]);
  const names: Record<PackageDir, string> = {
    core: '@lanebench/core',
    vitest: '@lanebench/vitest',
    jest: '@lanebench/jest',
    cli: 'lanebench',
  };
  for (const p of wanted) deps[names[p]] = `file:${tarballs[p]}`;
  const pkg = {
    name: `e2e-${opts.name}`,
    private: true,
    type: opts.type ?? 'module',
    dependencies: deps,
    overrides: { '@lanebench/core': `file:${tarballs.core}` },
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 540_000,
  });
  if (install.status !== 0) {
    throw new Error(`npm install failed in ${dir}:\n${install.stdout}\n${install.stderr}`);
  }
  return {
    dir,
    write(file, content) {
      const p = join(dir, file);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    },
    read: (file) => readFileSync(join(dir, file), 'utf8'),
    exists: (file) => existsSync(join(dir, file)),
    run(cmd, args, runOpts = {}) {
      return spawnSync(cmd, args, {
        cwd: runOpts.cwd === undefined ? dir : join(dir, runOpts.cwd),
        encoding: 'utf8',
        timeout: runOpts.timeoutMs ?? 300_000,
        env: { ...process.env, NO_COLOR: '1', CI: 'true', GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', ...runOpts.env },
      });
    },
  };
}
