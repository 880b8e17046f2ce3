/**
 * `lanebench merge <files or dirs…> [--output-dir DIR]`: combines histories from several machines
 * or shards (a directory stands for every history file in it) into DIR/metrics.json (the existing
 * file included), every run once by id, oldest first.
 * The read-merge-replace happens under the history lock with an atomic rename, so a concurrent
 * writer never loses runs and a reader never sees a half-written file.
 */
import {
  HISTORY_FILE_NAME,
  mergeHistoriesDetailed,
  readHistory,
  replaceUnderLock,
  serializeHistoryChunks,
  withFileLock,
  type HistoryFile,
  type HistoryStore,
} from '@lanebench/core';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { historyPathOf } from '../lib/compare-side.js';
import { loadContext, type CommonOptions } from '../lib/context.js';
import { EXIT_OK, UsageError } from '../lib/errors.js';
import { colors } from '../lib/colors.js';
import { out } from '../lib/output.js';

/** A history file named like the history or one of its shards / rescue files: metrics.json, metrics.<name>.json. */
const HISTORY_NAME = /^metrics(\.[A-Za-z0-9][A-Za-z0-9._-]*)?\.json$/;

/**
 * The history files an argument stands for: a file itself; a directory, every history in it
 * (metrics.json, the shards `metrics.<shard>.json` that LANEBENCH_SHARD jobs wrote, rescue files),
 * or, when it has none, its .benchmark_results/metrics.json.
 */
export function historyFilesOf(arg: string, cwd: string): string[] {
  const p = resolve(cwd, arg);
  if (existsSync(p) && statSync(p).isDirectory()) {
    const names = readdirSync(p)
      .filter((n) => HISTORY_NAME.test(n) && statSync(join(p, n)).isFile())
      .sort((a, b) => (a === HISTORY_FILE_NAME ? -1 : b === HISTORY_FILE_NAME ? 1 : a.localeCompare(b)));
    if (names.length) return names.map((n) => join(p, n));
  }
  const file = historyPathOf(arg, cwd);
  return file ? [file] : [];
}

export async function mergeAction(inputs: string[], opts: CommonOptions): Promise<number> {
  const ctx = await loadContext(opts);
  const store = ctx.openStore();
  try {
    if (store.kind !== 'file') return await mergeIntoStore(inputs, ctx.cwd, store);
  } finally {
    await store.close();
  }
  const target = resolve(ctx.historyFile);
  const files: string[] = [];
  for (const arg of inputs) {
    const found = historyFilesOf(arg, ctx.cwd);
    if (!found.length)
      throw new UsageError(`merge: '${arg}' is not a history file or a directory containing metrics.json`);
    for (const file of found) if (resolve(file) !== target && !files.includes(file)) files.push(file);
  }
  if (files.length === 0) throw new UsageError(`merge: nothing to merge; every input is the output file ${target}`);
  // read (and validate) every input before taking the lock: a corrupt input stops the merge untouched
  const sources: HistoryFile[] = [];
  for (const f of files) sources.push(await readHistory(f));
  await mkdir(dirname(target), { recursive: true });
  const { before, summary } = await withFileLock(target, async (lock) => {
    const existing = await readHistory(target);
    const merged = mergeHistoriesDetailed([existing, ...sources]);
    await replaceUnderLock(lock, target, serializeHistoryChunks(merged.history));
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

/** Merge into a shared store (PostgreSQL): every input run appended once by id, in one transaction. */
async function mergeIntoStore(inputs: string[], cwd: string, store: HistoryStore): Promise<number> {
  const sources: HistoryFile[] = [];
  const files: string[] = [];
  for (const arg of inputs) {
    const found = historyFilesOf(arg, cwd);
    if (!found.length)
      throw new UsageError(`merge: '${arg}' is not a history file or a directory containing metrics.json`);
    for (const file of found) {
      files.push(file);
      sources.push(await readHistory(file));
    }
  }
  const before = new Set((await store.readAll()).runs.map((r) => r.id));
  const merged = mergeHistoriesDetailed(sources);
  await store.append(merged.history.runs);
  const added = merged.history.runs.filter((r) => !before.has(r.id)).length;
  out(
    `Merged ${files.length} file(s) into ${store.display}: ${merged.history.runs.length} runs (${added} new, ${merged.history.runs.length - added} already present)`,
  );
  return EXIT_OK;
}
