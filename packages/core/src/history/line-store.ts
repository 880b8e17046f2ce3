/**
 * Writes and reads of the file store in the line layout (line-file.ts): an append writes only the
 * new lines over the closing `]}` (no read or rewrite of the runs before), a read streams, a window
 * read goes backwards from the end and stops when it has its runs. Retention, dropping old runs'
 * timelines and superseded copies of a run id happen in a compaction (a streaming rewrite, fenced
 * rename) that runs now and then, so its cost is spread over many appends.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  statSync,
  writeSync,
} from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { describeWriteError, syncDirectory } from './atomic-write.js';
import { HistoryError } from './errors.js';
import { pruneRuns, type HistoryWindow, type PruneOptions } from './history-store.js';
import {
  HEADER,
  HEADER_LINE,
  TAIL,
  forEachLine,
  forEachLineBackwards,
  hasLineLayout,
  parseRunLine,
  scanLineFile,
} from './line-file.js';
import { lockPathFor, type HeldLock } from './lock.js';
import { TIMELINE_RETENTION } from './timeline.js';

/** A warning is printed once the file passes this size (GitHub rejects files over 100 MB). */
export const HISTORY_WARN_BYTES = 90_000_000;

export type Warn = (line: string) => void;

/** Runs of a file in file order with later copies of an id replacing earlier ones (a retried publish). */
export function latestCopies(runs: readonly Run[]): Run[] {
  const last = new Map<string, number>();
  runs.forEach((r, i) => last.set(r.id, i));
  if (last.size === runs.length) return [...runs];
  return runs.filter((r, i) => last.get(r.id) === i);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Reads a line-layout file, streaming. A torn last line (an interrupted append) is ignored with a
 * warning; when the lock is held the append may still be under way, so the read waits for it first.
 */
export async function readLineHistory(file: string, warn: Warn): Promise<HistoryFile> {
  for (let attempt = 0; ; attempt++) {
    const scan = await scanLineFile(file);
    if (scan.torn && existsSync(lockPathFor(file)) && attempt < 20) {
      await sleep(100);
      continue;
    }
    if (scan.torn) warnTorn(file, scan.torn.bytes, warn);
    return { schema_version: HISTORY_SCHEMA_VERSION, runs: latestCopies(scan.runs) };
  }
}

function warnTorn(file: string, bytes: number, warn: Warn, setAside?: string): void {
  warn(
    `lanebench: history ${file} ends with ${bytes} byte(s) of an incomplete run (a writer was interrupted mid-append); ` +
      (setAside
        ? `they were moved to ${setAside} and the file repaired; every complete run before them is kept`
        : `ignored; every complete run before them is kept, and the next write repairs the file`),
  );
}

/** Which runs a window wants, checked on the parsed run. */
function matches(r: Run, w: HistoryWindow, since: number | undefined): boolean {
  return (
    (w.lane === undefined || r.lane === w.lane) &&
    (w.workflow === undefined || r.workflow === w.workflow) &&
    (w.fingerprint === undefined || r.env?.fingerprint === w.fingerprint) &&
    (since === undefined || Date.parse(r.started_at) >= since)
  );
}

/**
 * The newest `last` runs of a window, read backwards from the end: only lines that may match are
 * parsed (a cheap test for the lane and workflow strings first), and reading stops at the `last`-th
 * match. Newest means last recorded; the result is sorted by started_at like the other stores.
 */
export async function readLineWindow(file: string, w: HistoryWindow & { last: number }, warn: Warn): Promise<Run[]> {
  const since = w.since ? Date.parse(w.since) : undefined;
  const needles = [
    ...(w.lane !== undefined ? [`"lane":${JSON.stringify(w.lane)}`] : []),
    ...(w.workflow !== undefined ? [`"workflow":${JSON.stringify(w.workflow)}`] : []),
  ];
  const found: Run[] = [];
  const seen = new Set<string>();
  let index = 0;
  let atEnd = true;
  let tornAt: string | null = null;
  if (w.last > 0) {
    await forEachLineBackwards(file, (text) => {
      if (text === HEADER) return false;
      if (atEnd) {
        atEnd = false;
        if (text === ']}') return;
        // no closing line: the last line is an interrupted append (or one under way)
        tornAt = text;
        return;
      }
      index++;
      if (!needles.every((n) => text.includes(n))) return;
      const run = parseRunLine(file, text, -index);
      if (seen.has(run.id)) return; // an older copy of a run id recorded again later
      seen.add(run.id);
      if (!matches(run, w, since)) return;
      found.push(run);
      if (found.length >= w.last) return false;
    });
  }
  if (tornAt !== null && !existsSync(lockPathFor(file))) warnTorn(file, Buffer.byteLength(tornAt), warn);
  return found.reverse().sort((a, b) => Date.parse(a.started_at) - Date.parse(b.started_at));
}

/** One run per line in the layout every reader understands. */
export function serializeLines(runs: readonly Run[]): string {
  if (runs.length === 0) return `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[]}\n`;
  return `${HEADER}\n${runs.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
}

export interface CompactOptions {
  /** runs to add at the end (an append that became a compaction) */
  extra?: readonly Run[];
  /** what to drop (retention or `history prune`) */
  prune?: PruneOptions | undefined;
  warn: Warn;
  /** replaces the file with this text (the in-memory path for other layouts) */
  replace: (text: string) => Promise<void>;
  /** reads a file that is not in the line layout (whole-file JSON) */
  readOther: () => Promise<HistoryFile>;
}

interface RunMeta {
  id: string;
  lane: string;
  workflow: string;
  started_at: string;
  timeline: boolean;
}

function metaOf(r: Run): RunMeta {
  return {
    id: r.id,
    lane: r.lane,
    workflow: r.workflow,
    started_at: r.started_at,
    timeline: r.iterations?.some((it) => it.timeline && it.timeline.length > 0) ?? false,
  };
}

/** Indices whose timelines go: all but the newest TIMELINE_RETENTION (in file order) of each lane/workflow. */
function timelinesToDrop(metas: readonly RunMeta[], keep: (i: number) => boolean): Set<number> {
  const seen = new Map<string, number>();
  const drop = new Set<number>();
  for (let i = metas.length - 1; i >= 0; i--) {
    if (!keep(i)) continue;
    const m = metas[i]!;
    const key = `${m.lane}\u0000${m.workflow}`;
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    if (n >= TIMELINE_RETENTION && m.timeline) drop.add(i);
  }
  return drop;
}

function withoutTimelines(r: Run): Run {
  return { ...r, iterations: r.iterations.map((it) => ({ ...it, timeline: [] })) };
}

/**
 * Rewrites the file: superseded copies of a run id, pruned runs and old timelines dropped, `extra`
 * appended. Streams a line-layout file in two passes (ids first, then copying lines, parsing only
 * those whose timeline goes), so a file of any size is rewritten without one big string. Returns the
 * number of runs pruned. Call under the lock; the caller's `replace` is the fenced rename.
 */
export async function compactFile(
  lock: HeldLock,
  file: string,
  opts: CompactOptions,
): Promise<{ removed: number; runs: number }> {
  const extra = opts.extra ?? [];
  if (!existsSync(file) || !hasLineLayout(file)) {
    const history = existsSync(file) ? await opts.readOther() : { schema_version: HISTORY_SCHEMA_VERSION, runs: [] };
    const all = latestCopies([...history.runs, ...extra]);
    const drop = opts.prune ? pruneRuns(all, opts.prune) : new Set<string>();
    const kept = all.filter((r) => !drop.has(r.id));
    const metas = kept.map(metaOf);
    const noTimeline = timelinesToDrop(metas, () => true);
    await opts.replace(serializeLines(kept.map((r, i) => (noTimeline.has(i) ? withoutTimelines(r) : r))));
    return { removed: drop.size, runs: kept.length };
  }
  const metas: RunMeta[] = [];
  const scan = await scanLineFile(file, (r) => {
    metas.push(metaOf(r));
    return false;
  });
  const fileRuns = metas.length;
  metas.push(...extra.map(metaOf));
  const lastOf = new Map<string, number>();
  metas.forEach((m, i) => lastOf.set(m.id, i));
  const current = metas.filter((m, i) => lastOf.get(m.id) === i);
  const drop = opts.prune ? pruneRuns(current as unknown as Run[], opts.prune) : new Set<string>();
  const keep = (i: number) => lastOf.get(metas[i]!.id) === i && !drop.has(metas[i]!.id);
  const noTimeline = timelinesToDrop(metas, keep);

  let setAside: string | undefined;
  if (scan.torn && scan.torn.bytes > 0) setAside = await setAsideTorn(file, scan.torn.goodEnd);

  const tmp = lock.tempPath();
  let handle;
  try {
    handle = await open(tmp, 'wx');
  } catch (err) {
    if (!lock.owns()) throw lock.lost(file, err);
    throw describeWriteError(file, err);
  }
  let written = 0;
  try {
    const parts: string[] = [];
    let pending = 0;
    const flush = async () => {
      if (parts.length === 0) return;
      await handle.write(parts.join(''));
      parts.length = 0;
      pending = 0;
    };
    const emit = async (json: string) => {
      parts.push(written === 0 ? `${HEADER}\n${json}` : `,\n${json}`);
      written++;
      pending += json.length;
      if (pending > 1 << 20) await flush();
    };
    await copyLines(file, scan.goodEnd, async (text, index) => {
      if (!keep(index)) return;
      await emit(noTimeline.has(index) ? JSON.stringify(withoutTimelines(parseRunLine(file, text, index))) : text);
    });
    for (let e = 0; e < extra.length; e++) {
      const index = fileRuns + e;
      if (!keep(index)) continue;
      const r = extra[e]!;
      await emit(JSON.stringify(noTimeline.has(index) ? withoutTimelines(r) : r));
    }
    parts.push(written === 0 ? `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[]}\n` : '\n]}\n');
    await flush();
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (!lock.owns()) throw lock.lost(file, err);
    throw err instanceof HistoryError ? err : describeWriteError(file, err);
  }
  try {
    lock.commit(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err instanceof HistoryError ? err : describeWriteError(file, err);
  }
  await syncDirectory(path.dirname(file));
  if (setAside) warnTorn(file, scan.torn!.bytes, opts.warn, setAside);
  return { removed: drop.size, runs: written };
}

/** Calls `fn` for every run line before `goodEnd` (trailing `,` removed), awaiting it in order. */
async function copyLines(
  file: string,
  goodEnd: number,
  fn: (text: string, index: number) => Promise<void>,
): Promise<void> {
  const handle = await open(file, 'r');
  try {
    let pos = HEADER_LINE.length;
    let carry = Buffer.alloc(0); // a line whose end is in the next block (bytes: a character may be split)
    let index = 0;
    const line = async (text: string) => {
      if (text !== '' && text !== ']}') await fn(text.endsWith(',') ? text.slice(0, -1) : text, index++);
    };
    while (pos < goodEnd) {
      const buf = Buffer.alloc(Math.min(1 << 20, goodEnd - pos));
      const { bytesRead } = await handle.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, buf.subarray(0, bytesRead)]) : buf.subarray(0, bytesRead);
      let start = 0;
      for (;;) {
        const nl = data.indexOf(0x0a, start);
        if (nl < 0) break;
        await line(data.toString('utf8', start, nl));
        start = nl + 1;
      }
      carry = Buffer.from(data.subarray(start));
    }
    if (carry.length) await line(carry.toString('utf8'));
  } finally {
    await handle.close();
  }
}

/** Copies the torn bytes after `goodEnd` to `<file>.torn-<time>` so nothing is thrown away unseen. */
async function setAsideTorn(file: string, goodEnd: number): Promise<string> {
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    bytes = Buffer.alloc(size - goodEnd);
    readSync(fd, bytes, 0, bytes.length, goodEnd);
  } finally {
    closeSync(fd);
  }
  const target = `${file}.torn-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await writeFile(target, bytes);
  return target;
}

export interface AppendResult {
  /** false when the append was done by a compaction (rewrite) instead */
  inPlace: boolean;
  size: number;
}

/**
 * Appends `runs` in place: the new lines are written over the closing `\n]}\n` in one write, then
 * fsynced. The fencing token is checked before the write and again after it; a writer that finds its
 * lock taken over retries (LockLostError), and since a take-over leaves a marker that makes the next
 * writer replace the file instead of appending, a late write of a paused writer lands in the old
 * inode. A file with a torn end is repaired first (the torn bytes set aside, with a warning).
 * Returns null when the file cannot be appended to in place (absent, another layout, after a
 * take-over): the caller compacts instead.
 */
export async function appendInPlace(
  lock: HeldLock,
  file: string,
  runs: readonly Run[],
  warn: Warn,
): Promise<AppendResult | null> {
  let st;
  try {
    st = statSync(file);
  } catch {
    return null;
  }
  if (st.size < HEADER_LINE.length + TAIL.length - 1 || lock.takenOver() || !hasLineLayout(file)) return null;
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(5);
    readSync(fd, tail, 0, 5, size - 5);
    let offset: number;
    let hasRuns: boolean;
    let repaired: { bytes: number; setAside: string } | null = null;
    if (tail.subarray(1).equals(TAIL)) {
      offset = size - TAIL.length;
      hasRuns = tail[0] !== 0x5b; // '['
    } else {
      let count = 0;
      const scan = await scanLineFile(file, () => {
        count++;
        return false;
      });
      if (!scan.torn) return null; // ends with `]}` but not as written here: rewrite it
      offset = scan.goodEnd;
      hasRuns = count > 0;
      repaired = { bytes: scan.torn.bytes, setAside: await setAsideTorn(file, scan.torn.goodEnd) };
    }
    const text = Buffer.from(`${hasRuns ? ',' : ''}\n${runs.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`);
    if (fstatSync(fd).size !== size || !lock.owns()) throw lock.lost(file);
    try {
      for (let done = 0; done < text.length;) done += writeSync(fd, text, done, text.length - done, offset + done);
      if (offset + text.length < size) ftruncateSync(fd, offset + text.length);
      fsyncSync(fd);
    } catch (err) {
      // a full disk mid-write: put the old end back (its blocks exist already), so the file is as before
      if (!repaired) {
        try {
          writeSync(fd, TAIL, 0, TAIL.length, size - TAIL.length);
          ftruncateSync(fd, size);
          fsyncSync(fd);
        } catch {
          /* the torn end is repaired by the next writer */
        }
      }
      throw describeWriteError(file, err);
    }
    // written after losing the lock: the retry appends again (a later copy of an id replaces it)
    if (!lock.owns()) throw lock.lost(file);
    if (repaired) warnTorn(file, repaired.bytes, warn, repaired.setAside);
    return { inPlace: true, size: Math.max(size, offset + text.length) };
  } finally {
    closeSync(fd);
  }
}

/** started_at of the first (oldest recorded) run, from the first run line only. */
export async function firstRunStart(file: string): Promise<string | undefined> {
  let found: string | undefined;
  let n = 0;
  await forEachLine(file, (line) => {
    if (n++ === 0) return;
    const m = /"started_at":"([^"]+)"/.exec(line.toString('utf8'));
    found = m?.[1];
    return false;
  });
  return found;
}

/**
 * Proof that the end of the file is readable without reading the rest (preflight): the last run
 * line parses and is a valid run. A torn end is fine here: the next write repairs it.
 */
export async function checkLineTail(file: string): Promise<void> {
  let closed = false;
  await forEachLineBackwards(file, (text) => {
    if (text === HEADER) return false;
    if (!closed) {
      closed = text === ']}';
      return closed;
    }
    parseRunLine(file, text, -1);
    return false;
  });
}
