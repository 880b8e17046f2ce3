import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { HistoryError } from './errors.js';

/** Lock path of a history file: a sibling, so the lock lives on the same filesystem. */
export function lockPathFor(file: string): string {
  return `${file}.lock`;
}

/**
 * Runs `fn` while holding a cross-process lock on `file` (proper-lockfile: an atomic mkdir of
 * `<file>.lock`, refreshed while held; a lock not refreshed for `staleMs` is taken over, so a
 * crashed writer cannot block everyone). Waits with exponential backoff up to about a minute.
 */
export async function withFileLock<T>(file: string, fn: () => Promise<T>, opts: { staleMs?: number } = {}): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  let release: () => Promise<void>;
  // proper-lockfile's default reaction to a lost lock is to throw from a timer, which would crash the
  // test runner; record it instead and fail this write
  let compromised: Error | undefined;
  try {
    release = await lockfile.lock(file, {
      lockfilePath: lockPathFor(file),
      realpath: false,
      stale: opts.staleMs ?? 10_000,
      onCompromised: (err) => {
        compromised = err;
      },
      retries: { retries: 60, factor: 1.5, minTimeout: 20, maxTimeout: 1_000, randomize: true },
    });
  } catch (err) {
    throw new HistoryError(file, `could not lock ${file} (lock ${lockPathFor(file)}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  try {
    const result = await fn();
    if (compromised) {
      throw new HistoryError(
        file,
        `lost the lock on ${file} while writing (${compromised.message}); another writer may have taken it over`,
      );
    }
    return result;
  } finally {
    await release().catch(() => undefined);
  }
}
