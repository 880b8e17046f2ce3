/**
 * Progress of long lanes as plain lines on the worker's stderr, which Vitest forwards live
 * (a test's own output and result arrive only when the whole workflow ends).
 */
import type { ProgressEvent } from '@lanebench/core';

export function formatProgress(e: ProgressEvent): string {
  const phase = e.warmup ? 'warm-up' : 'iteration';
  const time = e.execution_time !== undefined ? ` ${e.execution_time.toFixed(2)}s` : '';
  const eta = e.eta_s !== null && Number.isFinite(e.eta_s) && e.eta_s > 0 ? `, ETA ${Math.ceil(e.eta_s)}s` : '';
  return `[lanebench] ${e.lane} › ${e.workflow}: ${phase} ${e.iteration}/${e.total} ${e.status}${time} (elapsed ${e.elapsed_s.toFixed(1)}s${eta})`;
}

export function progressToStderr(e: ProgressEvent): void {
  process.stderr.write(`${formatProgress(e)}\n`);
}
