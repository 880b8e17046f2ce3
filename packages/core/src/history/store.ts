import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type HistoryFile, type Run } from '../types.js';
import { writeFileAtomic } from './atomic-write.js';
import { HistoryError } from './errors.js';
import { withFileLock } from './lock.js';

/**
 * Reads metrics.json. A missing file is an empty history; anything else that is not a valid
 * schema v1 file (bad JSON, wrong shape, newer schema) is a HistoryError naming the file.
 */
export async function readHistory(file: string): Promise<HistoryFile> {
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
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new HistoryError(
      file,
      `history file ${file} is not a lanebench history: expected an object { "schema_version": 1, "runs": [...] }`,
    );
  }
  const version = (data as { schema_version?: unknown }).schema_version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new HistoryError(
      file,
      `history file ${file} has no valid schema_version (found ${JSON.stringify(version)}); expected ${HISTORY_SCHEMA_VERSION}`,
    );
  }
  if (version > HISTORY_SCHEMA_VERSION) {
    throw new HistoryError(
      file,
      `history file ${file} was written by a newer lanebench (schema_version ${version}; this version reads ${HISTORY_SCHEMA_VERSION}). ` +
        `Upgrade lanebench or use another output directory; the file was left untouched.`,
    );
  }
  const runs = (data as { runs?: unknown }).runs;
  if (!Array.isArray(runs)) {
    throw new HistoryError(file, `history file ${file} is not a lanebench history: "runs" must be an array`);
  }
  runs.forEach((run, i) => {
    if (
      run === null ||
      typeof run !== 'object' ||
      typeof (run as Run).id !== 'string' ||
      typeof (run as Run).lane !== 'string'
    ) {
      throw new HistoryError(
        file,
        `history file ${file} is not a lanebench history: runs[${i}] is not a run (needs at least "id" and "lane")`,
      );
    }
  });
  return { schema_version: HISTORY_SCHEMA_VERSION, runs: runs as Run[] };
}

/**
 * Appends runs under a cross-process lock: read, append, atomic replace. A file that cannot be
 * parsed is never overwritten (the HistoryError propagates and the file stays byte-identical).
 * Runs whose id is already present are replaced rather than duplicated (a retried publish).
 */
export async function appendRuns(file: string, runs: Run[]): Promise<HistoryFile> {
  const target = path.resolve(file);
  return withFileLock(target, async () => {
    const history = await readHistory(target);
    const ids = new Set(runs.map((r) => r.id));
    const next: HistoryFile = {
      schema_version: HISTORY_SCHEMA_VERSION,
      runs: [...history.runs.filter((r) => !ids.has(r.id)), ...runs],
    };
    await writeFileAtomic(target, serializeHistory(next));
    return next;
  });
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
  await mkdir(path.dirname(target), { recursive: true });
  await withFileLock(target, async () => {
    await readHistory(target); // throws on a corrupt or newer file, which must be kept as it is
    await writeFileAtomic(target, serializeHistory({ schema_version: HISTORY_SCHEMA_VERSION, runs: history.runs }));
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
