/** Resolving a runner from the user's project (not from lanebench's own dependencies). */
import { createRequire } from 'node:module';
import { join } from 'node:path';

export function projectRequire(cwd: string): NodeJS.Require {
  return createRequire(join(cwd, 'package.json'));
}

/** The installed version of a package in the project, or null when it is not installed. */
export function installedVersion(cwd: string, pkg: string): string | null {
  try {
    const req = projectRequire(cwd);
    return (req(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}
