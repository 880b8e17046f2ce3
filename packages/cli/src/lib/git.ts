/** Resolving a git ref to a commit sha in the current repository (read-only `git rev-parse`). */
import { spawnSync } from 'node:child_process';

/** The full sha a ref names, or null when git is missing, this is no repository, or the ref is unknown. */
export function revParse(ref: string, cwd: string): string | null {
  if (ref.startsWith('-')) return null; // never let a value be read as a git option
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd, encoding: 'utf8' });
  if (r.status !== 0) return null;
  const sha = r.stdout.trim();
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha : null;
}
