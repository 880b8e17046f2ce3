import { METRIC_KEYS, type Iteration, type MetricStats } from '../types.js';
import { describe } from './describe.js';

/** Values of each metric over the passed iterations: every built-in metric, then custom ones by first appearance. */
export function metricSamples(iterations: readonly Iteration[]): Record<string, number[]> {
  const passed = iterations.filter((it) => it.status === 'passed');
  const out: Record<string, number[]> = {};
  if (passed.length === 0) return out;
  for (const key of METRIC_KEYS) {
    const values = passed.map((it) => it[key]).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
    if (values.length) out[key] = values;
  }
  for (const it of passed) {
    for (const [name, value] of Object.entries(it.custom ?? {})) {
      // a custom metric may not shadow a built-in one
      if ((METRIC_KEYS as readonly string[]).includes(name)) continue;
      if (typeof value !== 'number' || !Number.isFinite(value)) continue;
      (out[name] ??= []).push(value);
    }
  }
  return out;
}

/**
 * Statistics of every metric over the *passed* iterations (failed and timed-out iterations would skew
 * them; the SLA reports those separately). No passed iteration → an empty record.
 */
export function analyzeIterations(iterations: readonly Iteration[]): Record<string, MetricStats> {
  const out: Record<string, MetricStats> = {};
  for (const [metric, values] of Object.entries(metricSamples(iterations))) out[metric] = describe(values);
  return out;
}
