/**
 * Temporary git worktrees for `lanebench ab --base <ref>`: each ref is checked out detached into its own directory
 * under the OS temp dir, never touching the user's checkout, and removed afterwards — also on SIGINT/SIGTERM (the
 * caller routes signals to `removeAll`). Removal is synchronous so it can run from a signal handler or an exit hook.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { revParse } from './git.js';

export interface Worktree {
  ref: string;
  sha: string;
  /** the worktree's root */
  root: string;
  /** the directory commands run in: the same subdirectory of the repository as the caller's cwd */
  cwd: string;
}

export class Worktrees {
  private readonly created: string[] = [];
  private readonly tmp: string;
  readonly repoRoot: string;

  constructor(private readonly cwd: string) {
    const top = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
    if (top.status !== 0) {
      throw new UsageError(
        `--base: ${cwd} is not inside a git repository (git rev-parse: ${oneLine(top.stderr) || 'git not found'})`,
      );
    }
    this.repoRoot = top.stdout.trim();
    this.tmp = mkdtempSync(join(tmpdir(), 'lanebench-ab-'));
  }

  /** Resolves `ref` (exit 2 naming it when unknown) and checks it out into a new detached worktree. */
  add(option: string, ref: string): Worktree {
    const sha = revParse(ref, this.cwd);
    if (sha === null)
      throw new UsageError(`${option}: '${ref}' is not a commit in ${this.repoRoot} (git rev-parse found no such ref)`);
    const root = join(this.tmp, `${option.replace(/^-+/, '')}-${sha.slice(0, 12)}`);
    const r = spawnSync('git', ['worktree', 'add', '--detach', '--quiet', root, sha], {
      cwd: this.repoRoot,
      encoding: 'utf8',
    });
    if (r.status !== 0) {
      rmSync(root, { recursive: true, force: true });
      throw new UsageError(`${option}: could not create a git worktree of '${ref}' at ${root}: ${oneLine(r.stderr)}`);
    }
    this.created.push(root);
    return { ref, sha, root, cwd: resolve(root, relative(this.repoRoot, resolve(this.cwd))) };
  }

  /** Removes every worktree created here and the temp directory; safe to call more than once. */
  removeAll(): void {
    while (this.created.length > 0) {
      const root = this.created.pop()!;
      spawnSync('git', ['worktree', 'remove', '--force', '--force', root], { cwd: this.repoRoot, stdio: 'ignore' });
      rmSync(root, { recursive: true, force: true });
    }
    rmSync(this.tmp, { recursive: true, force: true });
    // drop the administrative entries of worktrees whose directory is gone (e.g. removed by rmSync above)
    spawnSync('git', ['worktree', 'prune'], { cwd: this.repoRoot, stdio: 'ignore' });
  }
}

function oneLine(s: string | null | undefined): string {
  return (s ?? '').trim().split(/\r?\n/).join(' ').slice(0, 300);
}
