/** Human-readable notes stored with a run: what a reader must know to interpret its figures. */
import { PERCENTILE_MIN_SAMPLES } from '../stats/index.js';
import type { Iteration } from '../types.js';

export function runNotes(iterations: readonly Iteration[], requested: number, interruptedAt?: number): string[] {
  const notes: string[] = [];
  const passed = iterations.filter((i) => i.status === 'passed').length;
  if (passed > 0 && passed < PERCENTILE_MIN_SAMPLES.p99) {
    const p95 = passed < PERCENTILE_MIN_SAMPLES.p95 ? ` (p95 needs ≥ ${PERCENTILE_MIN_SAMPLES.p95})` : '';
    notes.push(
      `p95/p99 computed from ${passed} sample${passed === 1 ? '' : 's'}${p95}; p99 needs ≥ ${PERCENTILE_MIN_SAMPLES.p99}`,
    );
  }
  const failed = iterations.filter((i) => i.status === 'failed').length;
  const timedOut = iterations.filter((i) => i.status === 'timeout').length;
  if (failed || timedOut) {
    notes.push(
      `${failed + timedOut} of ${iterations.length} iterations did not pass (${failed} failed, ${timedOut} timed out); statistics cover passed iterations only`,
    );
  }
  if (interruptedAt !== undefined) {
    notes.push(
      `run interrupted during iteration ${interruptedAt} of ${requested}; kept the ${iterations.length} finished`,
    );
  } else if (iterations.length < requested) {
    notes.push(`stopped after ${iterations.length} of ${requested} iterations (onFailure: 'abort')`);
  }
  const methods = iterations[0]?.methods;
  if (methods) {
    if (methods.cpu.includes('pidusage'))
      notes.push(
        'CPU and memory sampled with pidusage (no kernel accounting on this platform): short-lived processes may be missed',
      );
    if (methods.disk === 'unavailable') notes.push('disk I/O not available on this platform');
    if (methods.network_scope === 'network-namespace')
      notes.push('network bytes cover the whole network namespace (all processes), loopback excluded');
  }
  return notes;
}
