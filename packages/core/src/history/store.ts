import { constants as fsConstants } from 'node:fs';
import { statSync } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { replaceUnderLock } from './atomic-write.js';
import { HistoryError } from './errors.js';
import { checkLockPath, withFileLock, type HeldLock, type LockOptions } from './lock.js';
import { hasLineLayout } from './line-file.js';
import {
  HISTORY_WARN_BYTES,
  appendInPlace,
  checkLineTail,
  compactFile,
  firstRunStart,
  latestCopies,
  readLineHistory,
  type Warn,
} from './line-store.js';
import type { HistoryRetention, PruneOptions } from './history-store.js';
import { safeOutput } from '../output/sanitize.js';
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

/** Where warnings of the history go unless a caller says otherwise. */
export const stderrWarn: Warn = (line) => process.stderr.write(`${safeOutput(line)}\n`);

/**
 * Reads metrics.json. A missing file is an empty history; anything else that is not a valid
 * schema v1 file (bad JSON, wrong shape or inner types, newer schema) is a HistoryError naming the file.
 * A file in the line layout is streamed (no size limit from one big string) and a torn last line
 * (an interrupted append) is ignored with a warning. A run id recorded twice counts once: the later copy.
 */
export async function readHistory(file: string, warn: Warn = stderrWarn): Promise<HistoryFile> {
  if (!(await checkRegularFile(file))) return { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
  if (hasLineLayout(file)) {
    try {
      return await readLineHistory(file, warn);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
      throw err instanceof HistoryError
        ? err
        : new HistoryError(file, `cannot read history file ${file}: ${(err as Error).message}`, { cause: err });
    }
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
    throw new HistoryError(file, `cannot read history file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const history = parseHistory(file, text);
  return { schema_version: HISTORY_SCHEMA_VERSION, runs: latestCopies(history.runs) };
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

export interface AppendOptions extends LockOptions {
  /** historyRetention, applied by the compactions */
  retention?: HistoryRetention | undefined;
  warn?: Warn | undefined;
  /** draws whether this append also compacts (tests: () => 0 always does, () => 1 never) */
  random?: (() => number) | undefined;
  /** the size past which a warning is printed (default HISTORY_WARN_BYTES) */
  warnBytes?: number | undefined;
  now?: (() => number) | undefined;
}

/** `historyRetention` as prune options at `now`. */
export function retentionPrune(retention: HistoryRetention | undefined, now: number): PruneOptions | undefined {
  if (!retention) return undefined;
  return {
    ...(retention.runs !== undefined ? { keepRuns: retention.runs } : {}),
    ...(retention.days !== undefined ? { olderThan: new Date(now - retention.days * 86_400_000) } : {}),
  };
}

/**
 * Appends runs under a cross-process lock, in place: only the new lines are written (line-store.ts),
 * so the cost does not grow with the history. A file that cannot be parsed is never overwritten (the
 * HistoryError propagates and the file stays byte-identical); a torn last line of an interrupted
 * append is set aside with a warning and the runs before it kept. A run id already present is
 * recorded again and the later copy is the one every reader sees. Now and then (on average when the
 * file grew by a quarter, or when the oldest run is past `retention.days` by a tenth) the append also
 * compacts: retention applied, old timelines and superseded copies dropped, a fenced rewrite.
 * Returns how the file was written (not the runs: reading them back is the caller's choice).
 */
export async function appendRunsInPlace(
  file: string,
  runs: readonly Run[],
  opts: AppendOptions = {},
): Promise<{ inPlace: boolean; compacted: boolean; size: number }> {
  const target = path.resolve(file);
  validateRuns(`(new runs for ${target})`, runs);
  const warn = opts.warn ?? stderrWarn;
  const random = opts.random ?? Math.random;
  const now = (opts.now ?? Date.now)();
  const prune = retentionPrune(opts.retention, now);
  const compactOpts = (lock: HeldLock, extra: readonly Run[]) => ({
    extra,
    prune,
    warn,
    replace: (text: string) => replaceUnderLock(lock, target, text),
    readOther: () => readHistory(target, warn),
  });
  const result = await withFileLock(
    target,
    async (lock) => {
      const appended = await appendInPlace(lock, target, runs, warn);
      if (!appended) {
        await compactFile(lock, target, compactOpts(lock, runs));
        return { inPlace: false, compacted: true, size: statSync(target).size };
      }
      const bytes = runs.reduce((n, r) => n + JSON.stringify(r).length + 2, 0);
      // random() < 1 always: a tiny file (a few runs) is compacted on every append, which costs nothing
      let due = random() < Math.min(1, (4 * bytes) / appended.size);
      if (!due && opts.retention?.days !== undefined) {
        const oldest = await firstRunStart(target);
        const slack = Math.max(1, opts.retention.days / 10);
        due = oldest !== undefined && Date.parse(oldest) < now - (opts.retention.days + slack) * 86_400_000;
      }
      if (!due) return { inPlace: true, compacted: false, size: appended.size };
      await compactFile(lock, target, compactOpts(lock, []));
      return { inPlace: true, compacted: true, size: statSync(target).size };
    },
    opts,
  );
  const limit = opts.warnBytes ?? HISTORY_WARN_BYTES;
  if (result.size >= limit) {
    warn(
      `lanebench: history ${target} is ${(result.size / 1e6).toFixed(1)} MB (warning from ${(limit / 1e6).toFixed(0)} MB; ` +
        `GitHub rejects files over 100 MB). Bound it with historyRetention: { runs: N, days: D } in the config, ` +
        `prune it (lanebench history prune --keep-runs N) or keep the history in PostgreSQL (history: 'postgres://…').`,
    );
  }
  return result;
}

/**
 * Appends runs (appendRunsInPlace) and returns the whole history as readers now see it. The read
 * back costs a full read: the stores use appendRunsInPlace.
 */
export async function appendRuns(file: string, runs: Run[], opts: AppendOptions = {}): Promise<HistoryFile> {
  await appendRunsInPlace(file, runs, opts);
  return readHistory(path.resolve(file), opts.warn ?? stderrWarn);
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
      serializeHistoryChunks({ schema_version: HISTORY_SCHEMA_VERSION, runs: history.runs }),
    );
  });
}

import { TIMELINE_RETENTION } from './timeline.js';
export { TIMELINE_RETENTION };

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
  return [...serializeHistoryChunks(history)].join('');
}

/**
 * serializeHistory's text in pieces of about a megabyte, for a history whose text would pass V8's string limit
 * (~512 MiB, about 100,000 runs): `history export` writes them one by one.
 */
export function* serializeHistoryChunks(history: HistoryFile): Generator<string> {
  const runs = compactHistory(history.runs);
  if (runs.length === 0) {
    yield `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[]}\n`;
    return;
  }
  let chunk = `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[\n`;
  for (let i = 0; i < runs.length; i++) {
    chunk += (i > 0 ? ',\n' : '') + JSON.stringify(runs[i]);
    if (chunk.length >= 1 << 20) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n]}\n`;
}

/**
 * What `run` checks before the first iteration, so a history that cannot take the run costs no
 * measuring time: the file is a readable, valid history (or absent), its directory is writable, and
 * the lock path is not something no writer could ever take (a regular file, a future mtime).
 */
export async function preflightHistory(file: string): Promise<void> {
  const target = path.resolve(file);
  // a file in the line layout: its first and last lines are checked, not every run (a big history
  // read here would cost time and memory before the first iteration); other layouts are read whole
  if ((await checkRegularFile(target)) && hasLineLayout(target)) await checkLineTail(target);
  else await readHistory(target);
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
}
