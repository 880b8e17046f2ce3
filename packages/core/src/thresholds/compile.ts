import { METRIC_KEYS, type Severity, type Threshold } from '../types.js';
import { showValue } from '../base/errors.js';
import { parseDuration, parseMegabytes, parsePercent } from '../base/units.js';
import { SLA_KEYS, canonicalSla } from './sla-aliases.js';
import { ThresholdError } from './errors.js';
import { parseExpression } from './parser.js';
import { conversionFactor, isBuiltinMetric, unitRuleFor } from './metric-units.js';
import type { CompileOptions, LaneSlaInput, ThresholdEntry, ThresholdSpec } from './types.js';

const SEVERITIES: readonly Severity[] = ['error', 'warning'];
const ENTRY_KEYS = ['expr', 'severity'];

/** Compiles one threshold entry for one metric, e.g. ('execution_time', 'p(95) < 20m'). */
export function parseThreshold(metric: string, entry: ThresholdEntry, opts: CompileOptions = {}): Threshold {
  const customMetrics = declaredCustomMetrics(opts);
  if (!isBuiltinMetric(metric) && !customMetrics.includes(metric)) {
    const custom = customMetrics.length
      ? `; declared custom metrics: ${customMetrics.join(', ')}`
      : '; no custom metrics are declared';
    throw new ThresholdError(
      `unknown metric '${metric}' in thresholds; valid metrics: ${METRIC_KEYS.join(', ')}${custom}`,
    );
  }
  const { expr, severity } = readEntry(metric, entry, opts.defaultSeverity ?? 'error');
  let parsed;
  try {
    parsed = parseExpression(expr);
  } catch (err) {
    if (err instanceof ThresholdError) throw new ThresholdError(`${metric}: ${err.message}`);
    throw err;
  }
  const rule = unitRuleFor(metric, opts.customUnits);
  const factor = conversionFactor(rule, parsed.unit);
  if (factor === undefined) {
    const valid = Object.keys(rule.accepted);
    const choices = valid.length
      ? `valid units for ${metric}: ${valid.join(', ')} (or none = ${rule.stored})`
      : `${metric} has no declared unit, so write a plain number`;
    throw new ThresholdError(`unit '${parsed.unit}' does not fit ${metric} in threshold '${expr}'; ${choices}`);
  }
  return {
    name: `${metric}_${parsed.aggregation}`,
    metric,
    aggregation: parsed.aggregation,
    operator: parsed.operator,
    value: parsed.value * factor,
    severity,
    expr,
  };
}

/** Compiles a k6-style spec `{ metric: [entries] }` into thresholds, in the order written. */
export function compileThresholds(spec: ThresholdSpec, opts: CompileOptions = {}): Threshold[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new ThresholdError(
      `thresholds must be an object { <metric>: ['<aggregation> <operator> <value>', …] }, got ${showValue(spec)}`,
    );
  }
  const out: Threshold[] = [];
  for (const [metric, entries] of Object.entries(spec)) {
    // a list, as in k6: a bare string here is almost always a forgotten [ ], and silently accepting it hid typos
    if (!Array.isArray(entries)) {
      throw new ThresholdError(
        `thresholds.${metric}: expected a list of thresholds such as ['p(95) < 20m'], got ${showValue(entries)}`,
      );
    }
    for (const entry of entries) out.push(parseThreshold(metric, entry, opts));
  }
  return out;
}

/**
 * A lane SLA as thresholds, with SPEC §3 severities: mean over target = warning, p95/p99 over limit = error,
 * memory max over limit = warning, cpu avg over limit = warning. Values at the limit comply (`<=`).
 */
export function compileLaneSla(input: LaneSlaInput, what = 'sla'): Threshold[] {
  const sla = canonicalSla(input, what);
  if (sla === null || typeof sla !== 'object' || Array.isArray(sla)) {
    throw new ThresholdError(`${what} must be an object with keys ${SLA_KEYS.join(', ')}, got ${showValue(sla)}`);
  }
  for (const key of Object.keys(sla)) {
    if (!(SLA_KEYS as readonly string[]).includes(key)) {
      throw new ThresholdError(
        `unknown key '${key}' in ${what}; valid keys: ${SLA_KEYS.join(', ')} (aliases: target_time, p95_time, p99_time)`,
      );
    }
  }
  const out: Threshold[] = [];
  const add = (
    metric: string,
    aggregation: Threshold['aggregation'],
    exprAgg: string,
    value: number,
    unit: string,
    severity: Severity,
  ): void => {
    out.push({
      name: `${metric}_${aggregation}`,
      metric,
      aggregation,
      operator: '<=',
      value,
      severity,
      expr: `${exprAgg} <= ${String(value)}${unit}`,
    });
  };
  if (sla.target !== undefined)
    add('execution_time', 'mean', 'mean', parseDuration(sla.target, `${what}.target`), 's', 'warning');
  if (sla.p95 !== undefined) add('execution_time', 'p95', 'p(95)', parseDuration(sla.p95, `${what}.p95`), 's', 'error');
  if (sla.p99 !== undefined) add('execution_time', 'p99', 'p(99)', parseDuration(sla.p99, `${what}.p99`), 's', 'error');
  if (sla.memory_max !== undefined)
    add('memory_usage', 'max', 'max', parseMegabytes(sla.memory_max, `${what}.memory_max`), 'MB', 'warning');
  if (sla.cpu_avg !== undefined)
    add('cpu_usage', 'mean', 'avg', parsePercent(sla.cpu_avg, `${what}.cpu_avg`), '%', 'warning');
  return out;
}

function readEntry(
  metric: string,
  entry: ThresholdEntry,
  defaultSeverity: Severity,
): { expr: string; severity: Severity } {
  if (typeof entry === 'string') return { expr: entry, severity: defaultSeverity };
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new ThresholdError(
      `${metric}: a threshold must be a string like 'p(95) < 20m' or { expr, severity }, got ${showValue(entry)}`,
    );
  }
  for (const key of Object.keys(entry)) {
    if (!ENTRY_KEYS.includes(key)) {
      throw new ThresholdError(
        `${metric}: unknown key '${key}' in threshold ${showValue(entry)}; valid keys: ${ENTRY_KEYS.join(', ')}`,
      );
    }
  }
  if (typeof entry.expr !== 'string') {
    throw new ThresholdError(`${metric}: threshold ${showValue(entry)} needs 'expr', a string like 'p(95) < 20m'`);
  }
  const severity = entry.severity ?? defaultSeverity;
  if (!SEVERITIES.includes(severity)) {
    throw new ThresholdError(
      `${metric}: unknown severity ${showValue(entry.severity)} in threshold '${entry.expr}'; valid severities: ${SEVERITIES.join(', ')}`,
    );
  }
  return { expr: entry.expr, severity };
}

function declaredCustomMetrics(opts: CompileOptions): string[] {
  return [...new Set([...(opts.customMetrics ?? []), ...Object.keys(opts.customUnits ?? {})])];
}
