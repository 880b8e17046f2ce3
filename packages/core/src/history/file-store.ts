import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { replaceUnderLock } from './atomic-write.js';
import { applyWindow, pruneRuns, type HistoryStore, type HistoryWindow, type PruneOptions } from './history-store.js';
import { withFileLock } from './lock.js';
import { appendRuns, preflightHistory, readHistory, serializeHistory } from './store.js';

/** metrics.json behind the HistoryStore interface (schema v1, the lock, fenced atomic replace). */
export class FileHistoryStore implements HistoryStore {
  readonly kind = 'file' as const;
  readonly display: string;
  readonly rescueFile: string;
  // the file as this writer's append left it: the next readAll returns it without a second read
  private appended: HistoryFile | undefined;
  constructor(readonly file: string) {
    this.display = file;
    this.rescueFile = file;
  }
  async check(): Promise<void> {
    await preflightHistory(this.file);
  }
  async append(runs: readonly Run[]): Promise<void> {
    this.appended = await appendRuns(this.file, [...runs]);
  }
  async readWindow(window: HistoryWindow): Promise<Run[]> {
    return applyWindow((await readHistory(this.file)).runs, window);
  }
  async readAll(): Promise<HistoryFile> {
    const appended = this.appended;
    this.appended = undefined;
    return appended ?? readHistory(this.file);
  }
  async prune(opts: PruneOptions): Promise<number> {
    return withFileLock(this.file, async (lock) => {
      const history = await readHistory(this.file);
      const drop = pruneRuns(history.runs, opts);
      if (drop.size === 0) return 0;
      const runs = history.runs.filter((r) => !drop.has(r.id));
      await replaceUnderLock(lock, this.file, serializeHistory({ schema_version: HISTORY_SCHEMA_VERSION, runs }));
      return drop.size;
    });
  }
  async close(): Promise<void> {}
}
