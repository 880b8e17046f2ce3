import os from 'node:os';
import path from 'node:path';
import { HISTORY_SCHEMA_VERSION, type Run } from '../types.js';
import { writeFileAtomic } from './atomic-write.js';
import { HistoryError } from './errors.js';

/**
 * The history could not be written, but the run was measured: it is in `rescueFile`, and the message
 * says how to merge it back. Exit code 2 (a HistoryError).
 */
export class HistoryRescueError extends HistoryError {
  readonly rescueFile: string | null;
  readonly exitCode = 2 as const;
  constructor(file: string, rescueFile: string | null, message: string, options?: { cause?: unknown }) {
    super(file, message, options);
    this.rescueFile = rescueFile;
  }
}

export function rescueFileName(runs: readonly Run[]): string {
  const id = (runs[0]?.id ?? 'run').replace(/[^A-Za-z0-9._-]+/g, '-');
  return `metrics.rescue-${id}.json`;
}

/**
 * Writes `runs` as a schema-v1 history to `metrics.rescue-<run id>.json` beside `historyFile`, or in
 * the temp directory when that directory cannot take it (read-only, full). Returns the error to throw:
 * it names the history, the reason, the rescue file and the `lanebench merge` command.
 * `describe` masks anything secret in the history's name (a PostgreSQL URL).
 */
export async function rescueRuns(
  historyFile: string,
  runs: readonly Run[],
  cause: unknown,
  opts: { rescueDir?: string; display?: string } = {},
): Promise<HistoryRescueError> {
  const display = opts.display ?? historyFile;
  const reason = cause instanceof Error ? cause.message : String(cause);
  const name = rescueFileName(runs);
  const text = `{"schema_version":${HISTORY_SCHEMA_VERSION},"runs":[\n${runs.map((r) => JSON.stringify(r)).join(',\n')}\n]}\n`;
  const dirs = [...new Set([opts.rescueDir ?? path.dirname(historyFile), os.tmpdir()])];
  const failures: string[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, name);
    try {
      await writeFileAtomic(file, text);
      const target = opts.rescueDir === undefined ? ` --output-dir ${path.dirname(historyFile)}` : '';
      return new HistoryRescueError(
        historyFile,
        file,
        `could not save ${runs.length === 1 ? 'the run' : `${runs.length} runs`} to ${display}: ${reason}\n` +
          `The measured ${runs.length === 1 ? 'run was' : 'runs were'} saved to ${file}. ` +
          `Once ${display} can be written again, merge it back: lanebench merge ${file}${target}`,
        { cause },
      );
    } catch (err) {
      failures.push(`${file}: ${(err as Error).message}`);
    }
  }
  return new HistoryRescueError(
    historyFile,
    null,
    `could not save the run to ${display}: ${reason}\nNo rescue file could be written either (${failures.join('; ')})`,
    { cause },
  );
}
