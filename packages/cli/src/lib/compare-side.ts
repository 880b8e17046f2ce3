/**
 * One side of `lanebench compare`: a history file or directory, a run id in the history, or a
 * git ref (the runs whose git.sha is the commit the ref resolves to, or starts with the given hex).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_OUTPUT_DIR, HISTORY_FILE_NAME, readHistory, type Run } from '@lanebench/core';
import { UsageError } from './errors.js';
import { revParse } from './git.js';

export interface Side {
  arg: string;
  kind: 'file' | 'run' | 'git';
  description: string;
  runs: Run[];
}

/** A history file, or a directory holding metrics.json (directly or in .benchmark_results/). */
export function historyPathOf(arg: string, cwd: string): string | null {
  const p = resolve(cwd, arg);
  if (!existsSync(p)) return null;
  if (statSync(p).isFile()) return p;
  for (const candidate of [join(p, HISTORY_FILE_NAME), join(p, DEFAULT_OUTPUT_DIR, HISTORY_FILE_NAME)]) {
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

export async function resolveSide(
  arg: string,
  history: readonly Run[],
  cwd: string,
  historyFile: string,
): Promise<Side> {
  const file = historyPathOf(arg, cwd);
  if (file) {
    const runs = (await readHistory(file)).runs;
    if (runs.length === 0) throw new UsageError(`'${arg}': history file ${file} has no runs`);
    return { arg, kind: 'file', description: `history ${file}`, runs };
  }
  const run = history.find((r) => r.id === arg);
  if (run) return { arg, kind: 'run', description: `run ${run.id}`, runs: [run] };
  const sha = revParse(arg, cwd);
  const hexPrefix = /^[0-9a-f]{4,64}$/i.test(arg) ? arg.toLowerCase() : null;
  const matchSha = sha ?? hexPrefix;
  if (matchSha) {
    const runs = history.filter((r) => typeof r.git?.sha === 'string' && r.git.sha.toLowerCase().startsWith(matchSha));
    if (runs.length > 0)
      return { arg, kind: 'git', description: `git ${arg} (${(sha ?? runs[0]!.git.sha!).slice(0, 12)})`, runs };
    if (sha)
      throw new UsageError(
        `'${arg}' is git commit ${sha.slice(0, 12)}, but ${historyFile} has no run recorded at that commit`,
      );
  }
  throw new UsageError(
    `'${arg}' is not a history file or directory, a run id in ${historyFile}, or a git ref with recorded runs; expected one of those`,
  );
}
