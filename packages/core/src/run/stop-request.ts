/**
 * Stopping a runner-driven lane (`lanebench run --lane L` without `--`): the CLI drives Vitest or Jest, whose
 * workers run the workflows in processes or threads the CLI cannot reach with a signal of its own. So the CLI
 * names a stop file in LANEBENCH_STOP_FILE (inherited by the runner and its workers) and writes the signal's name
 * into it when it is told to stop; every runWorkflow in a worker watches that file. First write: abort the running
 * workflow (its iteration's tree is killed, the finished iterations become a partial run) and start no other. A
 * second line `now`: skip the kill grace (killTreesNow), as a second Ctrl-C does in ad-hoc mode.
 */
import { readFileSync } from 'node:fs';
import { killTreesNow } from '../measure/index.js';

export const STOP_FILE_ENV = 'LANEBENCH_STOP_FILE';

export interface StopRequest {
  /** the signal the CLI received (SIGINT, SIGTERM, SIGHUP) */
  signal: string;
  /** a second signal: kill without grace */
  now: boolean;
}

/** The stop request in `file`, or null while there is none (no file yet, or unreadable). */
export function readStopRequest(file: string | undefined = process.env[STOP_FILE_ENV]): StopRequest | null {
  if (!file) return null;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').map((l) => l.trim());
  if (!lines[0]) return null;
  return { signal: lines[0], now: lines.includes('now') };
}

/** Thrown by runWorkflow when the lane was stopped before this workflow started: nothing was measured. */
export class RunStoppedError extends Error {
  constructor(
    readonly signal: string,
    workflow: string,
  ) {
    super(`lanebench run was stopped (${signal}) before workflow '${workflow}' started; not measured`);
    this.name = 'RunStoppedError';
  }
}

export interface StopWatch {
  /** aborted when the stop file is written; undefined when no stop file is configured */
  signal: AbortSignal | undefined;
  dispose(): void;
}

/** Polls the stop file every `intervalMs` while a workflow runs (a stat-sized read: negligible next to sampling). */
export function watchStopRequest(workflow: string, intervalMs = 100): StopWatch {
  const file = process.env[STOP_FILE_ENV];
  if (!file) return { signal: undefined, dispose: () => undefined };
  const early = readStopRequest(file);
  if (early) throw new RunStoppedError(early.signal, workflow);
  const controller = new AbortController();
  const timer = setInterval(() => {
    const req = readStopRequest(file);
    if (!req) return;
    if (!controller.signal.aborted) controller.abort(new Error(`interrupted by ${req.signal}`));
    if (req.now) {
      killTreesNow();
      clearInterval(timer);
    }
  }, intervalMs);
  timer.unref();
  return { signal: controller.signal, dispose: () => clearInterval(timer) };
}
