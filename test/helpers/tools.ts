/**
 * Optional system tools (Chromium, xmllint, hyperfine, GNU time). Outside CI a test whose tool
 * is missing is skipped with the reason printed; with LANEBENCH_REQUIRE_TOOLS=1 (set by .ci/run)
 * a missing tool fails the test instead, so CI never passes on an absence.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

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
