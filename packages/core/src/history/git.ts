import { execFileSync } from 'node:child_process';
import type { GitInfo } from '../types.js';

/**
 * Commit, branch and dirty state of `cwd`. CI variables win where CI checks out a detached or
 * merge commit (GITHUB_SHA / GITHUB_HEAD_REF / GITHUB_REF_NAME, CI_COMMIT_SHA / CI_COMMIT_REF_NAME).
 * Every field is null when it cannot be known (not a repository, git missing); never throws.
 */
export function collectGit(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): GitInfo {
  const sha = nonEmpty(env.GITHUB_SHA) ?? nonEmpty(env.CI_COMMIT_SHA) ?? git(cwd, ['rev-parse', 'HEAD']);
  let branch =
    nonEmpty(env.GITHUB_HEAD_REF) ??
    nonEmpty(env.GITHUB_REF_NAME) ??
    nonEmpty(env.CI_COMMIT_REF_NAME) ??
    git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD']);
  if (branch === 'HEAD') branch = null; // detached HEAD has no branch name
  const status = git(cwd, ['status', '--porcelain'], true);
  return { sha, branch, dirty: status === null ? null : status.trim() !== '' };
}

function git(cwd: string, args: string[], allowEmpty = false): string | null {
  try {
    const out = execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
      windowsHide: true,
    }).trim();
    return out === '' && !allowEmpty ? null : out;
  } catch {
    return null;
  }
}

function nonEmpty(value: string | undefined): string | null {
  return value && value.trim() !== '' ? value.trim() : null;
}
