import { constants as fsConstants } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { replaceUnderLock } from './atomic-write.js';
import { HistoryError } from './errors.js';
import { checkLockPath, withFileLock, type LockOptions } from './lock.js';
import { validateHistoryDocument, validateRun } from './schema.js';

/**
 * Refuses a history path that is not a regular file before opening it: a FIFO would block the
 * reader forever and a character device (/dev/zero) would be read without end.
 */
async function checkRegularFile(file: string): Promise<boolean> {
  let st;
  try {
    st = await stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new HistoryError(file, `cannot read history file ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!st.isFile()) {
    const kind = st.isFIFO()
      ? 'a FIFO (named pipe)'
      : st.isCharacterDevice()
        ? 'a character device'
        : st.isBlockDevice()
          ? 'a block device'
          : st.isDirectory()
            ? 'a directory'
            : st.isSocket()
              ? 'a socket'
              : 'not a regular file';
    throw new HistoryError(
      file,
      `history file ${file} is ${kind}, not a regular file; remove it or choose another output directory`,
    );
  }
  return true;
}

/**
 * Reads metrics.json. A missing file is an empty history; anything else that is not a valid
 * schema v1 file (bad JSON, wrong shape or inner types, newer schema) is a HistoryError naming the file.
 */
export async function readHistory(file: string): Promise<HistoryFile> {
  if (!(await checkRegularFile(file))) return { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
    throw new HistoryError(file, `cannot read history file ${file}: ${(err as Error).message}`, { cause: err });
  }
  return parseHistory(file, text);
}

/** Validates the text of a history file; exported for merge tools that read files themselves. */
export function parseHistory(file: string, text: string): HistoryFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new HistoryError(
      file,
      `history file ${file} is not valid JSON (${(err as Error).message}); it may be truncated or corrupt. ` +
        `It was left untouched: repair or move it away to start a new history.`,
      { cause: err },
    );
  }
  return validateHistoryDocument(file, data);
}

/** Validates runs about to be written, so no store ever holds a run its readers would refuse. */
export function validateRuns(where: string, runs: readonly unknown[]): Run[] {
  return runs.map((r, i) => validateRun(where, r, i));
}

/**
 * Appends runs under a cross-process lock: read, append, fenced atomic replace. A file that cannot
 * be parsed is never overwritten (the HistoryError propagates and the file stays byte-identical).
 * Runs whose id is already present are replaced rather than duplicated (a retried publish). When
 * the lock was taken over while this writer was paused, the file is re-read and merged.
 */
export async function appendRuns(file: string, runs: Run[], opts: LockOptions = {}): Promise<HistoryFile> {
  const target = path.resolve(file);
  validateRuns(`(new runs for ${target})`, runs);
  return withFileLock(
    target,
    async (lock) => {
      const history = await readHistory(target);
      const ids = new Set(runs.map((r) => r.id));
      const next: HistoryFile = {
        schema_version: HISTORY_SCHEMA_VERSION,
        runs: [...history.runs.filter((r) => !ids.has(r.id)), ...runs],
      };
      await replaceUnderLock(lock, target, serializeHistory(next));
      return next;
    },
    opts,
  );
}

/**
 * Replaces the whole history (merge tools), atomically and under the same lock. Refuses to
 * replace an existing file that is not a readable history of this version.
 */
export async function writeHistory(file: string, history: HistoryFile): Promise<void> {
  const target = path.resolve(file);
  if (!history || !Array.isArray(history.runs)) {
    throw new HistoryError(
      target,
      `writeHistory(${target}): expected { schema_version: ${HISTORY_SCHEMA_VERSION}, runs: [...] }`,
    );
  }
  validateRuns(`(runs for ${target})`, history.runs);
  await mkdir(path.dirname(target), { recursive: true });
  await withFileLock(target, async (lock) => {
    await readHistory(target); // throws on a corrupt or newer file, which must be kept as it is
    await replaceUnderLock(
      lock,
      target,
      serializeHistory({ schema_version: HISTORY_SCHEMA_VERSION, runs: history.runs }),
    );
  });
}

/**
 * How many of the newest runs of each lane/workflow keep their per-iteration timelines. Timelines
 * are most of a run's size and only the latest runs are charted; trends use the statistics, which
 * every run keeps. Without this a 10,000-run history would be ~10× larger and slow to load.
 */
export const TIMELINE_RETENTION = 10;

/** Drops the timelines of all but the newest TIMELINE_RETENTION runs of each lane/workflow. */
export function compactHistory(runs: Run[]): Run[] {
  const kept = new Map<string, number>();
  const out: Run[] = new Array<Run>(runs.length);
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!;
    const key = `${run.lane}\u0000${run.workflow}`;
    const seen = kept.get(key) ?? 0;
    kept.set(key, seen + 1);
    const hasTimeline = run.iterations?.some((it) => it.timeline && it.timeline.length > 0);
    out[i] =
      seen < TIMELINE_RETENTION || !hasTimeline
        ? run
        : { ...run, iterations: run.iterations.map((it) => ({ ...it, timeline: [] })) };
  }
  return out;
}

/**
 * One run per line: compact enough to load 10,000 runs quickly, still line-diffable and greppable.
 * Timelines of old runs are dropped (compactHistory).
 */
export function serializeHistory(history: HistoryFile): string {
  const runs = compactHistory(history.runs);
  if (runs.length === 0) return `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[]}\n`;
  return `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[\n${runs.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
}

/**
 * What `run` checks before the first iteration, so a history that cannot take the run costs no
 * measuring time: the file is a readable, valid history (or absent), its directory is writable, and
 * the lock path is not something no writer could ever take (a regular file, a future mtime).
 */
export async function preflightHistory(file: string): Promise<HistoryFile> {
  const target = path.resolve(file);
  const history = await readHistory(target);
  let dir = path.dirname(target);
  // the nearest existing ancestor decides whether the directory can be created
  for (;;) {
    try {
      await access(dir, fsConstants.F_OK);
      break;
    } catch {
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  try {
    await access(dir, fsConstants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'EACCES';
    throw new HistoryError(
      target,
      `cannot write the history ${target}: directory ${dir} is read-only (${code}); make it writable or choose another output directory (--output-dir)`,
      { cause: err },
    );
  }
  checkLockPath(target);
  return history;
}
