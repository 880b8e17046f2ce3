/**
 * Atomic file replacement for the history, the reports and the Jest sidecar (also published as the
 * small `@lanebench/core/atomic-write` entry: node built-ins only, nothing else of core).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { HistoryError } from './errors.js';
import type { HeldLock } from './lock.js';

/** A write error as the user should read it: a full disk names the file, not a stack. */
export function describeWriteError(file: string, err: unknown): Error {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOSPC') return new HistoryError(file, `disk full writing ${file}`, { cause: err });
  if (e?.code === 'EDQUOT') return new HistoryError(file, `disk quota exceeded writing ${file}`, { cause: err });
  if (e?.code === 'EACCES' || e?.code === 'EPERM' || e?.code === 'EROFS') {
    return new HistoryError(file, `cannot write ${file}: ${path.dirname(file)} is read-only (${e.code})`, {
      cause: err,
    });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Text to write: one string, or pieces of it (a history too big for one string). */
export type FileText = string | Iterable<string>;

/** Writes and fsyncs `text` to a new file `tmp` (removed again on failure). */
export async function writeTempFile(tmp: string, text: FileText, target: string = tmp): Promise<void> {
  let handle;
  try {
    handle = await open(tmp, 'wx');
  } catch (err) {
    throw describeWriteError(target, err);
  }
  try {
    if (typeof text === 'string') await handle.writeFile(text, 'utf8');
    else
      for (const piece of text) {
        const bytes = Buffer.from(piece, 'utf8');
        for (let at = 0; at < bytes.length;) at += (await handle.write(bytes, at, bytes.length - at)).bytesWritten;
      }
    await handle.sync();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw describeWriteError(target, err);
  }
  await handle.close();
}

/**
 * Writes `text` so that readers see either the old file or the new one, never a torn one:
 * a temp file in the same directory (same filesystem, so rename is atomic), fsync, rename,
 * then fsync of the directory so the rename itself survives a crash.
 */
export async function writeFileAtomic(file: string, text: FileText): Promise<void> {
  const dir = path.dirname(file);
  const tmp = tempPathBeside(file);
  await writeTempFile(tmp, text, file);
  try {
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw describeWriteError(file, err);
  }
  await syncDirectory(dir);
}

/**
 * writeFileAtomic for callers that cannot wait: a Jest matcher hands its Run to the reporter before it
 * returns. The same steps and error messages, with the synchronous fs calls.
 */
export function writeFileAtomicSync(file: string, text: string): void {
  const dir = path.dirname(file);
  const tmp = tempPathBeside(file);
  let fd: number;
  try {
    fd = openSync(tmp, 'wx');
  } catch (err) {
    throw describeWriteError(file, err);
  }
  try {
    try {
      writeSync(fd, text, null, 'utf8');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw describeWriteError(file, err);
  }
  syncDirectorySync(dir);
}

/** A temp file in the file's own directory (same filesystem, so the rename is atomic), unique per process and call. */
function tempPathBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Replaces `file` with `text` while holding its lock: the temp file goes inside the lock directory
 * and the rename is fenced (HeldLock.commit), so a writer that lost the lock replaces nothing.
 */
export async function replaceUnderLock(lock: HeldLock, file: string, text: FileText): Promise<void> {
  const tmp = lock.tempPath();
  try {
    await writeTempFile(tmp, text, file);
  } catch (err) {
    // the lock directory (where the temp file goes) was moved away by a writer that took over
    if (!lock.owns()) throw lock.lost(file, err);
    throw err;
  }
  try {
    lock.commit(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err instanceof HistoryError ? err : describeWriteError(file, err);
  }
  await syncDirectory(path.dirname(file));
}

function syncDirectorySync(dir: string): void {
  // best effort, as syncDirectory
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* best effort */
  }
}

export async function syncDirectory(dir: string): Promise<void> {
  // not supported on every platform (Windows); the rename is still atomic there
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    /* best effort */
  }
}
