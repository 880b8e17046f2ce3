import { safeOutput } from '../output/sanitize.js';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, renameSync, rmSync, type Stats } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, showValue } from '../base/errors.js';
import { HistoryError } from './errors.js';

/** Lock path of a history file: a sibling directory, so the lock lives on the same filesystem. */
export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/**
 * Left by a writer that took a stale lock over, removed by the next whole-file replace (commit).
 * While it exists no writer appends in place: a paused former holder may still hold the file open
 * and write into it, and a replace (a new inode) makes such a late write land in the old file.
 */
export function takeoverMarkerFor(file: string): string {
  return `${file}.lock-takeover`;
}

const LOCK_STALE_ENV = 'LANEBENCH_LOCK_STALE_MS';
const DEFAULT_LOCK_STALE_MS = 10_000;
/** the holder refreshes every 50 ms at the most often: a shorter period would take a healthy lock over */
const MIN_LOCK_STALE_MS = 100;

/**
 * A lock not refreshed for this long is taken over. LANEBENCH_LOCK_STALE_MS overrides it (tests): an integer number
 * of milliseconds ≥ 100, unset or empty for the default. Anything else is a ConfigError naming the value and the
 * range: a typo must not silently mean the default.
 */
export function defaultStaleMs(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[LOCK_STALE_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_LOCK_STALE_MS;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < MIN_LOCK_STALE_MS) {
    throw new ConfigError(
      `${LOCK_STALE_ENV}=${showValue(raw)} is not valid; expected an integer number of milliseconds ≥ ${MIN_LOCK_STALE_MS} (default ${DEFAULT_LOCK_STALE_MS})`,
    );
  }
  return Number(raw);
}

/** The owner record inside the lock directory; `token` is the fencing token. */
interface LockOwner {
  pid: number;
  host: string;
  since: string;
  token: string;
}

/** Thrown by commit() when the lock was taken over while this writer was paused; nothing was replaced. */
export class LockLostError extends HistoryError {
  override name = 'HistoryError';
  readonly lockLost = true;
}

export interface HeldLock {
  /** the lock directory */
  dir: string;
  token: string;
  /** a temp path inside the lock directory for the next version of the file */
  tempPath(): string;
  /**
   * Atomically replaces `target` with `tmp` (a tempPath()) if this writer still owns the lock.
   * The fencing token is checked immediately before the rename, and the temp file lives inside the
   * lock directory: a writer that took the lock over moved that directory away first, so a paused
   * writer's rename fails (ENOENT) instead of replacing a newer file. Throws LockLostError then.
   */
  commit(tmp: string, target: string): void;
  /** still the owner (fencing token unchanged) */
  owns(): boolean;
  /** a stale lock was taken over since the file was last replaced: append only by a replace */
  takenOver(): boolean;
  /** the error that makes withFileLock retry: this writer no longer owns the lock */
  lost(target: string, cause?: unknown): LockLostError;
}

export interface LockOptions {
  staleMs?: number;
  /** how long to wait for a live holder before giving up (default 60 s) */
  waitMs?: number;
  /** progress messages (waiting, take-over); default stderr */
  log?: (line: string) => void;
}

const FUTURE_TOLERANCE_MS = 5_000;

/** A lock path no waiting can free: not a directory, or touched in the future. Throws naming it. */
function unusableLock(file: string, dir: string, st: Stats, now: number): void {
  if (!st.isDirectory()) {
    throw new HistoryError(
      file,
      `lock path ${dir} is a ${st.isFile() ? 'regular file' : 'non-directory'}, not a lanebench lock directory; ` +
        `remove it if no lanebench is writing ${file}`,
    );
  }
  if (st.mtimeMs > now + FUTURE_TOLERANCE_MS) {
    throw new HistoryError(
      file,
      `lock ${dir} has a modification time in the future (${st.mtime.toISOString()}, now ${new Date(now).toISOString()}); ` +
        `a clock moved or the lock was touched by hand: remove it if no lanebench is writing ${file}`,
    );
  }
}

/** Checks an existing lock of `file` without taking it (run's preflight). */
export function checkLockPath(file: string): void {
  const dir = lockPathFor(file);
  let st: Stats;
  try {
    st = lstatSync(dir);
  } catch {
    return;
  }
  unusableLock(file, dir, st, Date.now());
}

function readOwner(dir: string): LockOwner | null {
  try {
    const data = JSON.parse(readFileSync(path.join(dir, 'owner.json'), 'utf8')) as Partial<LockOwner>;
    if (typeof data.token === 'string' && typeof data.pid === 'number') return data as LockOwner;
  } catch {
    /* being created, or removed */
  }
  return null;
}

function describeOwner(owner: LockOwner | null, mtime: Date): string {
  if (!owner) return `an unknown writer since ${mtime.toISOString()}`;
  const host = owner.host && owner.host !== os.hostname() ? ` on ${owner.host}` : '';
  return `pid ${owner.pid}${host} since ${owner.since}`;
}

/** Fails at once on conditions no amount of waiting fixes, with a message naming the path. */
function checkDirectoryWritable(dir: string, file: string, err: NodeJS.ErrnoException): never {
  if (err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS') {
    throw new HistoryError(
      file,
      `cannot write the history: directory ${dir} is read-only (${err.code}); make it writable or choose another output directory`,
      { cause: err },
    );
  }
  if (err.code === 'ENOSPC') {
    throw new HistoryError(file, `disk full writing ${file} (no space to create the lock in ${dir})`, { cause: err });
  }
  throw new HistoryError(file, `could not lock ${file} (lock ${lockPathFor(file)}): ${err.message}`, { cause: err });
}

/**
 * Takes the lock on `file`: an atomic mkdir of `<file>.lock` holding owner.json (pid, host, since,
 * fencing token). A holder refreshes the directory's mtime while it works; a lock not refreshed for
 * `staleMs` is taken over after a message. A lock with a future mtime, or a lock path that is not a
 * directory, fails at once: waiting would never end.
 */
export async function acquireLock(
  file: string,
  opts: LockOptions = {},
): Promise<HeldLock & { release(): Promise<void> }> {
  const staleMs = opts.staleMs ?? defaultStaleMs();
  const waitMs = opts.waitMs ?? 60_000;
  const log = opts.log ?? ((line: string) => process.stderr.write(`${safeOutput(line)}\n`));
  const dir = lockPathFor(file);
  const parent = path.dirname(file);
  try {
    await mkdir(parent, { recursive: true });
  } catch (err) {
    checkDirectoryWritable(parent, file, err as NodeJS.ErrnoException);
  }
  const token = randomBytes(12).toString('hex');
  const started = Date.now();
  let announced = '';
  let delay = 20;
  for (;;) {
    try {
      await mkdir(dir);
      const owner: LockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString(), token };
      try {
        await writeFile(path.join(dir, 'owner.json'), JSON.stringify(owner));
      } catch (err) {
        await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        checkDirectoryWritable(parent, file, err as NodeJS.ErrnoException);
      }
      break;
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (e instanceof HistoryError) throw e;
      if (e.code !== 'EEXIST') checkDirectoryWritable(parent, file, e);
    }
    let st: Stats;
    try {
      st = lstatSync(dir);
    } catch {
      continue; // released between our mkdir and lstat
    }
    const now = Date.now();
    const owner = readOwner(dir);
    unusableLock(file, dir, st, now);
    const who = describeOwner(owner, st.mtime);
    if (now - st.mtimeMs > staleMs) {
      log(
        `lanebench: waiting for the lock ${dir} held by ${who}: not refreshed for ${Math.round((now - st.mtimeMs) / 1000)} s (stale period ${staleMs} ms), taking it over`,
      );
      // move it away atomically (a paused holder's temp file goes with it), then delete it
      const moved = `${dir}.stale-${randomBytes(4).toString('hex')}`;
      try {
        // the marker first: whoever gets the lock next must replace the file, not append to it
        await writeFile(takeoverMarkerFor(file), JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
        await rename(dir, moved);
        await rm(moved, { recursive: true, force: true });
      } catch {
        /* another writer took it over first */
      }
      continue;
    }
    if (announced !== who && now - started > 500) {
      announced = who;
      log(`lanebench: waiting for the lock ${dir} held by ${who}`);
    }
    if (now - started > waitMs + staleMs) {
      throw new HistoryError(
        file,
        `could not lock ${file}: the lock ${dir} has been held by ${who} for more than ${Math.round((now - started) / 1000)} s`,
      );
    }
    await new Promise((r) => setTimeout(r, delay * (0.5 + Math.random())));
    delay = Math.min(delay * 1.5, 500);
  }

  const owns = (): boolean => readOwner(dir)?.token === token;
  // refresh while held, so a long write is not mistaken for a crashed one; a paused process does not refresh
  const timer = setInterval(
    () => {
      if (owns()) utimes(dir, new Date(), new Date()).catch(() => undefined);
    },
    Math.max(50, Math.floor(staleMs / 3)),
  );
  timer.unref();

  const lost = (target: string, cause?: unknown) =>
    new LockLostError(
      target,
      `lost the lock ${dir} on ${target} (taken over while this writer was paused)`,
      cause === undefined ? undefined : { cause },
    );
  return {
    dir,
    token,
    owns,
    lost,
    takenOver: () => existsSync(takeoverMarkerFor(file)),
    tempPath: () => path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`),
    commit(tmp: string, target: string) {
      // synchronous: nothing else of this process runs between the check and the rename
      if (!owns()) throw lost(target);
      try {
        renameSync(tmp, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw lost(target, err);
        throw err;
      }
      rmSync(takeoverMarkerFor(target), { force: true });
    },
    async release() {
      clearInterval(timer);
      if (!owns()) return; // taken over: the directory is someone else's now
      const moved = `${dir}.released-${randomBytes(4).toString('hex')}`;
      try {
        await rename(dir, moved);
        await rm(moved, { recursive: true, force: true });
      } catch {
        /* already gone */
      }
    },
  };
}

/**
 * Runs `fn` while holding the lock on `file`. `fn` gets the held lock to write through
 * (tempPath + commit). When the lock is lost before commit (LockLostError), the whole of `fn` is
 * retried under a fresh lock, so it re-reads the file and merges instead of overwriting.
 */
export async function withFileLock<T>(
  file: string,
  fn: (lock: HeldLock) => Promise<T>,
  opts: LockOptions = {},
): Promise<T> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${safeOutput(line)}\n`));
  for (let attempt = 1; ; attempt++) {
    const lock = await acquireLock(file, opts);
    try {
      await cleanStaleTemps(file);
      return await fn(lock);
    } catch (err) {
      if (err instanceof LockLostError && attempt < 5) {
        log(`lanebench: ${err.message}; re-reading ${file} and merging (attempt ${attempt + 1})`);
        continue;
      }
      throw err;
    } finally {
      await lock.release();
    }
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temp files of writers killed mid-write (`.metrics.json.<pid>.<hex>.tmp` beside the file, as
 * earlier versions wrote them) are removed by the next writer, once their pid is gone. Called under
 * the lock; temp files inside the lock directory go with a taken-over lock.
 */
export async function cleanStaleTemps(file: string): Promise<string[]> {
  const dir = path.dirname(file);
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${base}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = pattern.exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || processAlive(pid)) continue;
    const p = path.join(dir, name);
    try {
      if ((await stat(p)).isFile()) {
        await rm(p, { force: true });
        removed.push(p);
      }
    } catch {
      /* gone already */
    }
  }
  return removed;
}
