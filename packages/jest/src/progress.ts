/**
 * Plain progress lines for workflows running inside Jest. Jest pipes a worker's stderr to its
 * own, so these appear live while a long lane runs (the test result arrives only at the end).
 */
import type { ProgressEvent } from '@lanebench/core';

export function formatProgress(e: ProgressEvent): string {
  const phase = e.warmup ? 'warm-up' : 'iteration';
  const time = e.execution_time !== undefined ? ` ${e.execution_time.toFixed(2)}s` : '';
  const eta = e.eta_s !== null && Number.isFinite(e.eta_s) && e.eta_s > 0
    ? `, ETA ${Math.ceil(e.eta_s)}s`
    : '';
  return `[lanebench] ${e.lane} › ${e.workflow}: ${phase} ${e.iteration}/${e.total} ${e.status}${time} (elapsed ${e.elapsed_s.toFixed(1)}s${eta})`;
}

/** One line per finished iteration; 'running' events would double the noise without news. */
export function progressToStderr(e: ProgressEvent): void {
  if (e.status === 'running') return;
  process.stderr.write(`${formatProgress(e)}\n`);
}
