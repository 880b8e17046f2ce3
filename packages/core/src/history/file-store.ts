import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { HistoryError } from './errors.js';
import {
  applyWindow,
  lightRun,
  summarizeSeries,
  type LightRun,
  type SeriesSummary,
  type HistoryRetention,
  type HistoryStore,
  type HistoryWindow,
  type PruneOptions,
} from './history-store.js';
import { hasLineLayout, scanLineFile } from './line-file.js';
import { compactFile, HISTORY_WARN_BYTES, latestCopies, readLineWindow, type Warn } from './line-store.js';
import { defaultStaleMs, withFileLock } from './lock.js';
import { replaceUnderLock } from './atomic-write.js';
import { appendRunsInPlace, preflightHistory, readHistory, stderrWarn, type AppendOptions } from './store.js';

export interface FileStoreOptions {
  /** LANEBENCH_SHARD: this job writes `metrics.<shard>.json` beside the history and reads both */
  shard?: string | undefined;
  retention?: HistoryRetention | undefined;
  warn?: Warn | undefined;
  /** passed to every append (tests: the compaction draw, the size warning) */
  append?: Omit<AppendOptions, 'retention' | 'warn'> | undefined;
}

/**
 * A history up to this size (all its files together; the size warning's) is read whole, once, by `summarize()`, and
 * the windows read after it on the same store are cut from that read. `report` and `trends` read the summary and
 * then up to 1,000 runs of every series, which for a history of this size is most of it: one parse of 54 MB
 * (10,000 runs) costs about 1 s, the summary pass plus a backward window pass per series more than 3 s. Bigger
 * histories keep the passes, whose memory stays bounded.
 */
const WHOLE_READ_MAX_BYTES = HISTORY_WARN_BYTES;

const SHARD_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `metrics.json` + shard `linux-1` → `metrics.linux-1.json` in the same directory. */
export function shardFileOf(file: string, shard: string): string {
  if (!SHARD_NAME.test(shard) || /^rescue-/.test(shard)) {
    throw new HistoryError(
      file,
      `LANEBENCH_SHARD: '${shard}' is not a valid shard name; expected 1 to 64 letters, digits, '-' or '_' ` +
        `(not starting with '-', '_' or 'rescue-')`,
    );
  }
  const ext = path.extname(file) || '.json';
  return path.join(path.dirname(file), `${path.basename(file, path.extname(file))}.${shard}${ext}`);
}

/**
 * metrics.json behind the HistoryStore interface: schema v1 in the line layout, appended in place
 * under the lock, read streaming, windows read backwards from the end. With a shard, runs go to the
 * shard's file and reads see the history and the shard together (a matrix job's baseline is the
 * merged history it restored; `lanebench merge DIR` folds the shards in).
 */
export class FileHistoryStore implements HistoryStore {
  readonly kind = 'file' as const;
  readonly display: string;
  readonly rescueFile: string;
  /** where this store appends (the shard's file with a shard) */
  readonly writeFile: string;
  private readonly warn: Warn;
  /** the whole read of summarize(), while the files are as they were then (size, mtime and inode of each) */
  private whole: { stamp: string; runs: Run[] } | undefined;
  constructor(
    readonly file: string,
    private readonly opts: FileStoreOptions = {},
  ) {
    this.writeFile = opts.shard !== undefined ? shardFileOf(file, opts.shard) : file;
    this.display = this.writeFile;
    this.rescueFile = this.writeFile;
    this.warn = opts.warn ?? stderrWarn;
  }
  private files(): string[] {
    return this.writeFile === this.file ? [this.file] : [this.file, this.writeFile];
  }
  async check(): Promise<void> {
    // a bad LANEBENCH_LOCK_STALE_MS fails before anything runs, not at the first write
    defaultStaleMs();
    for (const f of this.files()) await preflightHistory(f);
  }
  /** The size, mtime and inode of every file, or null when together they are past WHOLE_READ_MAX_BYTES. */
  private stamp(): string | null {
    let bytes = 0;
    const parts: string[] = [];
    for (const f of this.files()) {
      try {
        const st = statSync(f);
        bytes += st.size;
        parts.push(`${st.size}:${st.mtimeMs}:${st.ino}`);
      } catch {
        parts.push('-');
      }
    }
    return bytes <= WHOLE_READ_MAX_BYTES ? parts.join('|') : null;
  }
  async append(runs: readonly Run[]): Promise<void> {
    this.whole = undefined;
    await appendRunsInPlace(this.writeFile, runs, {
      ...this.opts.append,
      retention: this.opts.retention,
      warn: this.warn,
    });
  }
  async readWindow(window: HistoryWindow): Promise<Run[]> {
    if (this.whole && this.whole.stamp === this.stamp()) return applyWindow(this.whole.runs, window);
    const files = this.files().filter((f) => existsSync(f));
    if (window.last !== undefined && files.every((f) => hasLineLayout(f))) {
      const last = window.last;
      const parts = await Promise.all(files.map((f) => readLineWindow(f, { ...window, last }, this.warn)));
      return applyWindow(latestCopies(parts.flat()), window);
    }
    return applyWindow((await this.readAll()).runs, window);
  }
  async readAll(): Promise<HistoryFile> {
    const runs: Run[] = [];
    for (const f of this.files()) runs.push(...(await readHistory(f, this.warn)).runs);
    return { schema_version: HISTORY_SCHEMA_VERSION, runs: this.files().length > 1 ? latestCopies(runs) : runs };
  }
  async forEachLight(fn: (run: LightRun) => void): Promise<void> {
    // a later copy of an id replaces an earlier one at its own place (readAll's latestCopies), so the
    // light runs are kept until the end; they are a small part of the full records
    const byId = new Map<string, LightRun>();
    for (const f of this.files()) {
      if (!existsSync(f)) continue;
      if (!hasLineLayout(f)) {
        for (const r of (await readHistory(f, this.warn)).runs) {
          byId.delete(r.id);
          byId.set(r.id, lightRun(r));
        }
        continue;
      }
      const scan = await scanLineFile(f, (r) => {
        byId.delete(r.id);
        byId.set(r.id, lightRun(r));
        return false;
      });
      if (scan.torn) {
        this.warn(
          `lanebench: history ${f} ends with ${scan.torn.bytes} byte(s) of an incomplete run (a writer was interrupted ` +
            `mid-append, or one is under way); ignored, every complete run before them is counted`,
        );
      }
    }
    for (const r of byId.values()) fn(r);
  }
  async summarize(): Promise<SeriesSummary[]> {
    const stamp = this.stamp();
    if (stamp !== null) {
      const { runs } = await this.readAll();
      // a file that changed during the read is not kept: the windows then read it again
      this.whole = this.stamp() === stamp ? { stamp, runs } : undefined;
      return summarizeSeries(runs.map(lightRun));
    }
    const runs: LightRun[] = [];
    await this.forEachLight((r) => runs.push(r));
    return summarizeSeries(runs);
  }
  async prune(opts: PruneOptions): Promise<number> {
    this.whole = undefined;
    let removed = 0;
    for (const f of this.files()) {
      if (!existsSync(f)) continue;
      removed += await withFileLock(f, async (lock) => {
        const r = await compactFile(lock, f, {
          prune: opts,
          warn: this.warn,
          replace: (text) => replaceUnderLock(lock, f, text),
          readOther: () => readHistory(f, this.warn),
        });
        return r.removed;
      });
    }
    return removed;
  }
  async close(): Promise<void> {}
}
