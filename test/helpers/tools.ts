/**
 * Optional system tools (Chromium, xmllint, hyperfine, GNU time). Outside CI a test whose tool
 * is missing is skipped with the reason printed; with LANEBENCH_REQUIRE_TOOLS=1 (set by .ci/run)
 * a missing tool fails the test instead, so CI never passes on an absence.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Chromium for the browser tests: LANEBENCH_CHROMIUM (or CHROMIUM_PATH), else the system's. */
export const CHROMIUM_PATH = process.env.LANEBENCH_CHROMIUM ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** How every browser test starts it: headless, no sandbox (root in a container), no GPU, nothing that goes online. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function hasCommand(cmd: string): boolean {
  if (cmd.startsWith('/')) return existsSync(cmd);
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Returns true when the tool is present. When it is absent: throws under
 * LANEBENCH_REQUIRE_TOOLS=1, otherwise prints why the dependent test skips and returns false.
 */
export function toolAvailable(cmd: string, why: string): boolean {
  if (hasCommand(cmd)) return true;
  const msg = `${cmd} is not installed: ${why} (install it, e.g. via .ci/run)`;
  if (process.env.LANEBENCH_REQUIRE_TOOLS === '1') throw new Error(`required tool missing — ${msg}`);
  console.warn(`SKIP: ${msg}`);
  return false;
}

/** The Jenkins xunit junit-10.xsd, vendored under test/fixtures/junit (MIT; see the NOTICE there). */
export const JUNIT_XSD = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'junit', 'junit-10.xsd');

/**
 * The schema's path when xmllint is there to use it. A missing xmllint follows toolAvailable (skip with the
 * reason printed, or fail under LANEBENCH_REQUIRE_TOOLS=1); a missing schema is a broken checkout and fails.
 */
export function junitSchema(why = 'validates junit.xml against junit-10.xsd'): string | null {
  if (!existsSync(JUNIT_XSD))
    throw new Error(`${JUNIT_XSD} is missing: it is part of the repository (git checkout it)`);
  if (!toolAvailable('xmllint', why)) return null;
  return JUNIT_XSD;
}

/**
 * Tests that run the built packages (dist/) need `pnpm build` first, which `pnpm test` does. Missing
 * output is an error, not a reason to skip.
 */
export function requireBuilt(file: string): string {
  if (!existsSync(file)) throw new Error(`${file} is not built: run \`pnpm build\` first (\`pnpm test\` does)`);
  return file;
}

/**
 * Mounts a tmpfs of `size` (e.g. '1m') at `dir`, read-only when asked: the real way to get a full
 * disk or a read-only directory (root ignores permission bits). Returns false, printing why, when
 * mounting is not permitted here; under LANEBENCH_REQUIRE_TOOLS=1 that fails instead.
 */
export function mountTmpfs(dir: string, size: string, why: string, opts: { readOnly?: boolean } = {}): boolean {
  const options = `size=${size}${opts.readOnly ? ',ro' : ''}`;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status === 0) return true;
  const msg = `cannot mount a tmpfs (${(r.stderr || String(r.error ?? r.status)).trim()}; needs root): ${why}`;
  if (process.env.LANEBENCH_REQUIRE_TOOLS === '1') throw new Error(`required capability missing — ${msg}`);
  console.warn(`SKIP: ${msg}`);
  return false;
}

export function unmount(dir: string): void {
  spawnSync('umount', ['-l', dir], { stdio: 'ignore' });
}
