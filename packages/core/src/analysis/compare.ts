/**
 * Comparison across versions (SPEC §10): two sets of runs (one run, the runs of a git ref, or a
 * whole history file) side by side per lane, workflow and metric, with the change of means, the
 * two-sided Mann-Whitney U p-value over the pooled passed iterations, and whether every run of both
 * sides shares one environment fingerprint. A mismatch keeps the numbers but is flagged.
 */
import { describe } from '../stats/index.js';
import { METRIC_KEYS, type Run } from '../types.js';
import { mannWhitneyU } from './mann-whitney.js';
import { changePct, customMetrics, fingerprint, pooledValues } from './select.js';
import type { Comparison, ComparisonSide } from './types.js';
import { DEFAULT_REGRESSION_THRESHOLD } from '../config/defaults.js';
import { DEFAULT_ALPHA, DEFAULT_MIN_SAMPLES } from './regression.js';

export interface CompareOptions {
  /** metrics to compare (default: every built-in metric with a non-zero value on either side, plus custom ones) */
  metrics?: string[];
  alpha?: number;
  /** fraction, as config.regressionThreshold (default 0.10) */
  threshold?: number;
}

function side(runs: readonly Run[], metric: string): { summary: ComparisonSide; values: number[] } {
  const values = pooledValues(runs, metric);
  const s = values.length ? describe(values) : null;
  return {
    values,
    summary: {
      runs: runs.length,
      samples: values.length,
      mean: s?.mean ?? null,
      median: s?.median ?? null,
      p95: s?.p95 ?? null,
    },
  };
}

/** Groups runs by lane and workflow, keeping first-seen order. */
function groups(runs: readonly Run[]): Map<string, Run[]> {
  const out = new Map<string, Run[]>();
  for (const r of runs) {
    const key = `${r.lane}\u0000${r.workflow}`;
    const list = out.get(key) ?? [];
    list.push(r);
    out.set(key, list);
  }
  return out;
}

export function compareRuns(
  baseline: readonly Run[],
  candidate: readonly Run[],
  opts: CompareOptions = {},
): Comparison[] {
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const thresholdPct = (opts.threshold ?? DEFAULT_REGRESSION_THRESHOLD) * 100;
  const baseGroups = groups(baseline);
  const out: Comparison[] = [];
  for (const [key, candRuns] of groups(candidate)) {
    const baseRuns = baseGroups.get(key);
    if (!baseRuns) continue;
    const all = [...baseRuns, ...candRuns];
    const environmentMatch = new Set(all.map(fingerprint)).size === 1;
    const metrics = opts.metrics ?? [
      ...METRIC_KEYS.filter((m) => pooledValues(all, m).some((v) => v !== 0)),
      ...customMetrics(all),
    ];
    for (const metric of metrics) {
      const b = side(baseRuns, metric);
      const c = side(candRuns, metric);
      const enough = b.values.length >= DEFAULT_MIN_SAMPLES && c.values.length >= DEFAULT_MIN_SAMPLES;
      const change =
        b.summary.mean !== null && c.summary.mean !== null ? changePct(b.summary.mean, c.summary.mean) : null;
      const p = enough ? mannWhitneyU(b.values, c.values).p_value : null;
      const significant = p !== null && p < alpha;
      const status: Comparison['status'] = !enough
        ? 'insufficient-data'
        : significant && change !== null && Math.abs(change) > thresholdPct
          ? change > 0
            ? 'regression'
            : 'improvement'
          : 'no-change';
      out.push({
        lane: candRuns[0]!.lane,
        workflow: candRuns[0]!.workflow,
        metric,
        baseline: b.summary,
        candidate: c.summary,
        change_pct: change,
        p_value: p,
        significant,
        environment_match: environmentMatch,
        status,
      });
    }
  }
  return out;
}
