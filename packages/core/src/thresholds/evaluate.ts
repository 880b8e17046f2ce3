import type { MetricStats, SlaResult, Threshold, Violation } from '../types.js';
import { compare } from './compare.js';
import { formatViolation } from './violation-text.js';

export { compare } from './compare.js';
export { formatViolation, formatThresholdValue, formatMeasured } from './violation-text.js';
import { percentile } from '../stats/percentile.js';
import { unitRuleFor } from './metric-units.js';

export interface EvaluateOptions {
  /** warnings fail too */
  strict: boolean;
  /** units of custom metrics by name (for the violation's unit) */
  customUnits?: Record<string, string>;
  /** raw samples by metric, needed for percentiles other than p95/p99 (e.g. p(90), p(99.9)) */
  values?: Record<string, readonly number[]>;
}

/**
 * The aggregation's value from the stats (or the raw samples for uncommon percentiles);
 * undefined when it cannot be computed.
 */
export function aggregate(stats: MetricStats, threshold: Threshold, values?: readonly number[]): number | undefined {
  const agg = threshold.aggregation;
  switch (agg) {
    case 'mean':
    case 'median':
    case 'min':
    case 'max':
    case 'stdev':
    case 'p95':
    case 'p99':
      return stats[agg];
    default: {
      if (!values?.length) return undefined;
      const p = Number(agg.slice(1));
      return percentile(
        [...values].sort((a, b) => a - b),
        p,
      );
    }
  }
}

/**
 * Checks every threshold against the stats. A threshold whose metric has no samples is an
 * error-severity violation (never a silent pass). compliant = no error violation;
 * passed = compliant and, in strict mode, no warning either (docs/configuration.md).
 */
export function evaluateThresholds(
  stats: Record<string, MetricStats>,
  thresholds: readonly Threshold[],
  opts: EvaluateOptions,
): SlaResult {
  const violations: Violation[] = [];
  for (const t of thresholds) {
    const unit = unitRuleFor(t.metric, opts.customUnits).stored;
    const metricStats = stats[t.metric];
    const base = {
      name: t.name,
      metric: t.metric,
      aggregation: t.aggregation,
      operator: t.operator,
      threshold: t.value,
      unit,
    };
    if (!metricStats || metricStats.samples === 0) {
      violations.push({
        ...base,
        value: 0,
        severity: 'error',
        message: `${t.name}: no samples of ${t.metric} (no passed iteration recorded it), so '${t.expr}' cannot be checked (error)`,
      });
      continue;
    }
    const value = aggregate(metricStats, t, opts.values?.[t.metric]);
    if (value === undefined) {
      violations.push({
        ...base,
        value: 0,
        severity: 'error',
        message: `${t.name}: ${t.aggregation} of ${t.metric} needs the raw samples, which were not provided; only mean, median, min, max, stdev, p95 and p99 are stored (error)`,
      });
      continue;
    }
    if (compare(value, t.operator, t.value)) continue;
    const v: Violation = { ...base, value, severity: t.severity, message: '' };
    v.message = formatViolation(v);
    violations.push(v);
  }
  const compliant = !violations.some((v) => v.severity === 'error');
  const hasWarnings = violations.some((v) => v.severity === 'warning');
  return {
    compliant,
    strict: opts.strict,
    passed: compliant && (!opts.strict || !hasWarnings),
    violations,
    checked: thresholds.length,
  };
}
