/**
 * `lanebench merge <files or dirs…> [--output-dir DIR]`: combines histories from several machines
 * or shards into DIR/metrics.json (the existing file included), every run once by id, oldest first.
 * The read-merge-replace happens under the history lock with an atomic rename, so a concurrent
 * writer never loses runs and a reader never sees a half-written file.
 */
import {
  mergeHistoriesDetailed,
  readHistory,
  replaceUnderLock,
  serializeHistory,
  withFileLock,
  type HistoryFile,
} from '@lanebench/core';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { historyPathOf } from '../lib/compare-side.js';
import { loadContext, type CommonOptions } from '../lib/context.js';
import { EXIT_OK, UsageError } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { out } from '../lib/output.js';

export async function mergeAction(inputs: string[], opts: CommonOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const target = resolve(ctx.historyFile);
  const files: string[] = [];
  for (const arg of inputs) {
    const file = historyPathOf(arg, ctx.cwd);
    if (!file) throw new UsageError(`merge: '${arg}' is not a history file or a directory containing metrics.json`);
    if (resolve(file) !== target && !files.includes(file)) files.push(file);
  }
  if (files.length === 0) throw new UsageError(`merge: nothing to merge; every input is the output file ${target}`);
  // read (and validate) every input before taking the lock: a corrupt input stops the merge untouched
  const sources: HistoryFile[] = [];
  for (const f of files) sources.push(await readHistory(f));
  await mkdir(dirname(target), { recursive: true });
  const { before, summary } = await withFileLock(target, async (lock) => {
    const existing = await readHistory(target);
    const merged = mergeHistoriesDetailed([existing, ...sources]);
    await replaceUnderLock(lock, target, serializeHistory(merged.history));
    return { before: existing.runs.length, summary: merged.summary };
  });
  const inputRuns = sources.reduce((n, s) => n + s.runs.length, 0);
  out(
    `Merged ${files.length} file(s) (${inputRuns} runs) into ${target}: ${summary.runs} runs (${summary.runs - before} new, ${summary.duplicates} duplicate(s) skipped)`,
  );
  if (summary.conflicts.length) {
    out(
      colors().yellow(
        `⚠ ${summary.conflicts.length} run id(s) appeared with different content; the first copy was kept: ${summary.conflicts.join(', ')}`,
      ),
    );
  }
  return EXIT_OK;
}
