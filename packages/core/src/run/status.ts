/** Run status from its iterations (docs/FILE-FORMATS.md): one place, so reports and the CLI agree on the definition. */
import type { Iteration, RunStatus } from '../types.js';

/**
 * - completed: every requested iteration ran and passed;
 * - partial:   at least one passed but not all requested passed (failures, timeouts, abort, Ctrl-C);
 * - timeout:   none passed and at least one timed out (the run ended because of a timeout);
 * - failed:    none passed and none timed out.
 * An interrupted run (Ctrl-C) with no finished iteration is 'partial': nothing was measured, nothing failed.
 */
export function runStatus(iterations: readonly Iteration[], requested: number, interrupted = false): RunStatus {
  const passed = iterations.filter((i) => i.status === 'passed').length;
  if (passed === requested && iterations.length === requested && !interrupted) return 'completed';
  if (passed > 0) return 'partial';
  if (iterations.some((i) => i.status === 'timeout')) return 'timeout';
  if (iterations.some((i) => i.status === 'failed')) return 'failed';
  return 'partial';
}
