/**
 * Plain-text rendering of a run's statistics and SLA result, shared by the JUnit <system-out> and
 * failure bodies (and usable in logs).
 */
import { formatViolation } from '../thresholds/violation-text.js';
import type { Run, Violation } from '../types.js';
import { METRIC_KEYS } from '../types.js';
import { runVerdict } from './labels.js';
import { cleanText, fixed, hasUnresolved, metricUnit, passedIterations, SMALL_SAMPLE_NOTE } from './format.js';

/** Metric keys of a run's analysis: built-ins in canonical order, then custom metrics alphabetically. */
export function orderedMetrics(run: Run): string[] {
  const keys = Object.keys(run.metrics_analysis ?? {});
  const builtin = METRIC_KEYS.filter((k) => keys.includes(k));
  const custom = keys.filter((k) => !(METRIC_KEYS as readonly string[]).includes(k)).sort();
  return [...builtin, ...custom];
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

/**
 * One violation in the one violation language (thresholds' formatViolation):
 * `execution_time_p95: measured 1250.3 s, required <= 1200 s (error)`. When the run has no samples
 * of the metric, the thresholds module's own message (which says so) is used.
 */
export function violationFigures(v: Violation, run?: Run): string {
  if (run && run.metrics_analysis?.[v.metric] === undefined && v.message) return v.message;
  return formatViolation(v);
}

export function statsTable(run: Run): string {
  const metrics = orderedMetrics(run);
  if (metrics.length === 0) return 'No statistics: no iteration passed.';
  const cols = ['mean', 'median', 'stdev', 'min', 'max', 'p95', 'p99'] as const;
  const nameWidth = Math.max(6, ...metrics.map((m) => m.length + 5));
  const header = pad('metric', nameWidth) + cols.map((c) => pad(c, 16, true)).join('') + pad('samples', 9, true);
  const lines = [header];
  for (const m of metrics) {
    const s = run.metrics_analysis[m]!;
    const unit = metricUnit(m, run);
    const cells = cols.map((c) => {
      const mark = (c === 'p95' || c === 'p99') && s.unresolved?.includes(c) ? '†' : '';
      return pad(fixed(s[c], 3) + mark, 16, true);
    });
    lines.push(pad(`${m}${unit ? ` [${unit}]` : ''}`, nameWidth) + cells.join('') + pad(String(s.samples), 9, true));
  }
  if (hasUnresolved(run)) lines.push('', `† ${SMALL_SAMPLE_NOTE}`);
  return lines.join('\n');
}

export function runSummaryText(run: Run): string {
  const lines = [
    `lane: ${run.lane}`,
    `workflow: ${run.workflow}`,
    `run id: ${run.id}`,
    `status: ${run.status} (${passedIterations(run)}/${run.iterations.length} iterations passed, ${run.iterations_requested} requested, ${run.warmup} warm-up)`,
    `started: ${run.started_at}, duration ${fixed(run.duration_s, 3)} s`,
  ];
  if (run.file) lines.push(`file: ${run.file}`);
  const sla = run.sla;
  if (sla) {
    // the strict-mode wording already says strict
    // the verdict words every report uses (labels.ts); a run that did not complete has no SLA verdict of its own
    const verdict = runVerdict(run);
    const state =
      verdict.kind === 'failed' || verdict.kind === 'timeout'
        ? `${sla.compliant ? 'compliant' : 'not compliant'} (run ${run.status})`
        : `${verdict.label}${sla.strict && verdict.kind !== 'strict-failed' ? ' (strict)' : ''}`;
    lines.push(`SLA: ${state}, ${sla.checked} thresholds checked, ${sla.violations.length} violations`);
    for (const v of sla.violations) lines.push(`  - ${violationFigures(v, run)}`);
  }
  lines.push('', statsTable(run));
  const failed = run.iterations.filter((i) => i.status !== 'passed');
  if (failed.length > 0) {
    lines.push('', 'Iterations that did not pass:');
    for (const i of failed) lines.push(`  #${i.index} ${i.status}${i.error ? `: ${cleanText(i.error)}` : ''}`);
  }
  if (run.notes?.length) {
    lines.push('', 'Notes:');
    for (const n of run.notes) lines.push(`  - ${n}`);
  }
  return lines.join('\n');
}
