/**
 * Progress of a workflow running inside a test runner, as plain lines on stderr. The runners
 * forward a worker's stderr live, while a test's own output and result arrive only when the whole
 * workflow ends. When `lanebench run --lane L` drives the runner from a terminal, it names a file in
 * LANEBENCH_PROGRESS_EVENTS instead: the events go there, one JSON line each, and the CLI draws its
 * live line from them (packages/cli lib/progress.ts), as it does for a command it measures itself.
 */
import { appendFileSync } from 'node:fs';
import { ConfigError, showValue } from '../base/errors.js';
import { safeOutput, visible } from '../output/sanitize.js';
import { ADHOC_LANE } from './adhoc-lane.js';
import type { ProgressEvent } from './types.js';

/**
 * `[lanebench] docs › build: iteration 2/5 passed 0.81s (elapsed 1.7s, ETA 3s)`. A run of the ad-hoc lane shows its
 * workflow name alone: that lane is provisional (toMeetSla('docs') files the run under docs), so the name the
 * summary prints later is the one seen throughout.
 */
export function formatProgressLine(e: ProgressEvent): string {
  const phase = e.warmup ? 'warm-up' : 'iteration';
  const time = e.execution_time !== undefined ? ` ${e.execution_time.toFixed(2)}s` : '';
  const eta = e.eta_s !== null && Number.isFinite(e.eta_s) && e.eta_s > 0 ? `, ETA ${Math.ceil(e.eta_s)}s` : '';
  const name = e.lane === ADHOC_LANE ? visible(e.workflow) : `${visible(e.lane)} › ${visible(e.workflow)}`;
  return `[lanebench] ${name}: ${phase} ${e.iteration}/${e.total} ${e.status}${time} (elapsed ${e.elapsed_s.toFixed(1)}s${eta})`;
}

/** Where the interval between "still running" lines comes from: seconds, 0 for none. */
export const PROGRESS_INTERVAL_ENV = 'LANEBENCH_PROGRESS_INTERVAL';
export const DEFAULT_PROGRESS_INTERVAL_S = 30;
/** below a second the lines would flood a CI log; above an hour they would never show */
const PROGRESS_INTERVAL_RANGE = { min: 1, max: 3600 } as const;

/**
 * The interval from LANEBENCH_PROGRESS_INTERVAL: seconds from 1 to 3600 (fractions allowed), 0 for no lines, unset
 * or empty for the default 30. Anything else is a ConfigError naming the value and the range: a typo must not
 * silently mean the default.
 */
export function progressIntervalSeconds(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[PROGRESS_INTERVAL_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_PROGRESS_INTERVAL_S;
  const value = Number(raw);
  const { min, max } = PROGRESS_INTERVAL_RANGE;
  if (!Number.isFinite(value) || (value !== 0 && (value < min || value > max))) {
    throw new ConfigError(
      `${PROGRESS_INTERVAL_ENV}=${showValue(raw)} is not valid; expected seconds from ${min} to ${max}, or 0 for no progress lines while an iteration runs (default ${DEFAULT_PROGRESS_INTERVAL_S})`,
    );
  }
  return value;
}

/** A file the CLI reads progress events from (set by `lanebench run --lane L` on a terminal). */
export const PROGRESS_EVENTS_ENV = 'LANEBENCH_PROGRESS_EVENTS';

/** One line of the events file: the event and when it happened (ms since the epoch). */
export interface ProgressEventRecord {
  at: number;
  event: ProgressEvent;
}

export interface ProgressLinesOptions {
  /** only the lines of finished iterations, not the 'running' ones (default false) */
  finishedOnly?: boolean | undefined;
  /**
   * at most one line a second (iterations shorter than that would flood the log), plus every failure and the
   * last iteration's line (default false)
   */
  throttle?: boolean | undefined;
  /**
   * while an iteration runs, a line with its elapsed time and ETA every this many seconds (0: none). Default:
   * LANEBENCH_PROGRESS_INTERVAL (progressIntervalSeconds), else 30
   */
  heartbeatS?: number | undefined;
  /** where lines go (default: process.stderr) */
  write?: ((line: string) => void) | undefined;
  /** clock in ms (tests) */
  now?: (() => number) | undefined;
}

/** An `onProgress` callback for runWorkflow/measure that writes lines for its events. */
export function progressLines(opts: ProgressLinesOptions = {}): (e: ProgressEvent) => void {
  const eventsFile = process.env[PROGRESS_EVENTS_ENV];
  if (eventsFile) {
    // one small O_APPEND write per event: lines of concurrent workers never interleave
    return (event) => appendFileSync(eventsFile, `${JSON.stringify({ at: Date.now(), event })}\n`);
  }
  const write = opts.write ?? ((line: string) => void process.stderr.write(`${safeOutput(line)}\n`));
  const now = opts.now ?? Date.now;
  // read at the first event, not here: adapters create their callback when a test file is imported
  let heartbeatMs: number | undefined;
  let lastWrite = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const emit = (line: string) => {
    lastWrite = now();
    write(line);
  };
  const stopHeartbeat = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };

  return (e) => {
    stopHeartbeat();
    heartbeatMs ??= (opts.heartbeatS ?? progressIntervalSeconds()) * 1000;
    if (e.status === 'running' && heartbeatMs > 0) {
      const started = now();
      timer = setInterval(() => {
        const dt = (now() - started) / 1000;
        emit(
          formatProgressLine({
            ...e,
            elapsed_s: e.elapsed_s + dt,
            eta_s: e.eta_s === null ? null : Math.max(0, e.eta_s - dt),
          }),
        );
      }, heartbeatMs);
      // a worker must be able to exit while an iteration is abandoned
      timer.unref();
    }
    if (opts.finishedOnly && e.status === 'running') return;
    if (opts.throttle) {
      const last = !e.warmup && e.status !== 'running' && e.iteration === e.total;
      const failed = e.status !== 'running' && e.status !== 'passed';
      if (!last && !failed && now() - lastWrite < 1000) return;
    }
    emit(formatProgressLine(e));
  };
}
