/** Human-readable notes stored with a run: what a reader must know to interpret its figures. */
import { PERCENTILE_MIN_SAMPLES } from '../stats/index.js';
import type { Iteration } from '../types.js';
import { medianContention } from '../measure/machine-cpu.js';

/** median share of the machine's CPU other processes used, from which a run's notes say it shared its machine */
export const SHARED_MACHINE_NOTE_AT = 0.25;

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
  notes.push(...measurementNotes(iterations));
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

/** Prefix of the notes that qualify figures (the Markdown summary lists them; HTML and text show every note). */
export const MEASUREMENT_NOTE_PREFIX = 'measurement: ';

/** Notes for the iterations whose figures are below resolution or include escaped processes. */
export function measurementNotes(iterations: readonly Iteration[]): string[] {
  const list = (pick: (i: Iteration) => boolean): string =>
    iterations
      .filter(pick)
      .map((i) => i.index)
      .join(', ');
  const out: string[] = [];
  const mem = list((i) => i.measurement?.memory_below_resolution === true);
  if (mem)
    out.push(
      `${MEASUREMENT_NOTE_PREFIX}memory below the sampling resolution in iteration(s) ${mem}: a process lived shorter than the sampling interval, the figure is a lower bound`,
    );
  const cpu = list((i) => i.measurement?.cpu_below_resolution === true);
  if (cpu)
    out.push(
      `${MEASUREMENT_NOTE_PREFIX}CPU at or below the kernel's resolution (one clock tick per process) in iteration(s) ${cpu}`,
    );
  const contention = medianContention(iterations);
  if (contention !== null && contention >= SHARED_MACHINE_NOTE_AT)
    out.push(
      `${MEASUREMENT_NOTE_PREFIX}other processes used ${Math.round(contention * 100)}% of the machine's CPU during the iterations (median): timings are slower and noisier than on an idle machine`,
    );
  let found = 0;
  let killed = 0;
  for (const i of iterations) {
    found += i.measurement?.escaped_processes?.found ?? 0;
    killed += i.measurement?.escaped_processes?.killed ?? 0;
  }
  if (found > 0 || killed > 0) {
    const its = list((i) => (i.measurement?.escaped_processes?.found ?? 0) > 0);
    out.push(
      `${MEASUREMENT_NOTE_PREFIX}${found} escaped process(es) (setsid daemons, re-parented children) measured in iteration(s) ${its}; ${killed} still running at the end and killed`,
    );
  }
  return out;
}
