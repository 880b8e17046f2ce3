/**
 * Progress of a workflow running inside a test runner, as plain lines on stderr. The runners
 * forward a worker's stderr live, while a test's own output and result arrive only when the whole
 * workflow ends. (The CLI draws its own live line on a terminal; see packages/cli lib/progress.ts.)
 */
import { safeOutput, visible } from '../output/sanitize.js';
import type { ProgressEvent } from './types.js';

/** `[lanebench] docs › build: iteration 2/5 passed 0.81s (elapsed 1.7s, ETA 3s)` */
export function formatProgressLine(e: ProgressEvent): string {
  const phase = e.warmup ? 'warm-up' : 'iteration';
  const time = e.execution_time !== undefined ? ` ${e.execution_time.toFixed(2)}s` : '';
  const eta = e.eta_s !== null && Number.isFinite(e.eta_s) && e.eta_s > 0 ? `, ETA ${Math.ceil(e.eta_s)}s` : '';
  return `[lanebench] ${visible(e.lane)} › ${visible(e.workflow)}: ${phase} ${e.iteration}/${e.total} ${e.status}${time} (elapsed ${e.elapsed_s.toFixed(1)}s${eta})`;
}

export interface ProgressLinesOptions {
  /** only the lines of finished iterations, not the 'running' ones (default false) */
  finishedOnly?: boolean;
  /** where lines go (default: process.stderr) */
  write?: (line: string) => void;
}

/** An `onProgress` callback for runWorkflow/measure that writes one line per event. */
export function progressLines(opts: ProgressLinesOptions = {}): (e: ProgressEvent) => void {
  const write = opts.write ?? ((line: string) => void process.stderr.write(`${safeOutput(line)}\n`));
  return (e) => {
    if (opts.finishedOnly && e.status === 'running') return;
    write(formatProgressLine(e));
  };
}
