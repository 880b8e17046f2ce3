/**
 * Regression detection (SPEC §10).
 *
 * Baseline: the most recent `window` earlier runs (started before the candidate) of the same lane
 * and workflow, with status completed or partial, recorded on the same environment fingerprint.
 * Runs from other fingerprints are never mixed in: when only those exist the verdict is
 * 'environment-mismatch'.
 *
 * Samples: the candidate's passed iterations against the pooled passed iterations of the baseline
 * runs. The candidate is a single run, so its iterations are the only replicates it has; comparing
 * them with run means would leave one candidate value and no test. Pooling assumes iterations of
 * different runs on one machine are exchangeable, which holds when between-run drift is small
 * relative to the iteration noise; the threshold on the change of means guards against the
 * anti-conservative case where it is not.
 *
 * Verdict per metric: 'regression' (or 'improvement') only when |change of means| > threshold AND the
 * two-sided Mann-Whitney U test gives p < alpha; 'insufficient-data' when either side has fewer than
 * `minSamples` values. Every metric is "lower is better" (time, CPU, memory, custom costs).
 */
import type { Run } from '../types.js';
import { mannWhitneyU } from './mann-whitney.js';
import {
  chronological,
  changePct,
  customMetrics,
  fingerprint,
  mean,
  metricValues,
  pooledValues,
  startedMs,
} from './select.js';
import type { RegressionOptions, RegressionResult } from './types.js';

export const DEFAULT_REGRESSION_METRICS = ['execution_time', 'cpu_seconds', 'memory_usage'] as const;
export const DEFAULT_REGRESSION_THRESHOLD = 0.1;
export const DEFAULT_ALPHA = 0.05;
export const DEFAULT_BASELINE_WINDOW = 10;
export const DEFAULT_MIN_SAMPLES = 3;

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);

/** Earlier comparable runs of the candidate's lane and workflow, newest first. */
function earlierRuns(candidate: Run, history: readonly Run[]): Run[] {
  const t = startedMs(candidate);
  return chronological(
    history.filter(
      (r) =>
        r.id !== candidate.id &&
        r.lane === candidate.lane &&
        r.workflow === candidate.workflow &&
        startedMs(r) < t &&
        (r.status === 'completed' || r.status === 'partial'),
    ),
  ).reverse();
}

export function detectRegressions(
  candidate: Run,
  history: readonly Run[],
  opts: RegressionOptions = {},
): RegressionResult[] {
  const threshold = opts.threshold ?? DEFAULT_REGRESSION_THRESHOLD;
  const thresholdPct = threshold * 100;
  const alpha = opts.alpha ?? DEFAULT_ALPHA;
  const window = opts.window ?? DEFAULT_BASELINE_WINDOW;
  const minSamples = opts.minSamples ?? DEFAULT_MIN_SAMPLES;
  const metrics = opts.metrics ?? [...DEFAULT_REGRESSION_METRICS, ...customMetrics([candidate])];

  const earlier = earlierRuns(candidate, history);
  const fp = fingerprint(candidate);
  const sameEnv = earlier.filter((r) => fingerprint(r) === fp);
  const baseline = sameEnv.slice(0, Math.max(0, window));
  const otherEnvs = new Set(earlier.filter((r) => fingerprint(r) !== fp).map(fingerprint));

  return metrics.map((metric): RegressionResult => {
    const cand = metricValues(candidate, metric);
    const base = pooledValues(baseline, metric);
    const candidateMean = cand.length ? mean(cand) : null;
    const baselineMean = base.length ? mean(base) : null;
    const common = {
      lane: candidate.lane,
      workflow: candidate.workflow,
      metric,
      threshold_pct: thresholdPct,
      baseline_runs: baseline.length,
    };
    const label = `${candidate.lane} › ${candidate.workflow} › ${metric}`;

    if (baseline.length === 0 && otherEnvs.size > 0) {
      return {
        ...common,
        status: 'environment-mismatch',
        baseline_mean: null,
        candidate_mean: candidateMean,
        change_pct: null,
        p_value: null,
        message: `${label}: no earlier run on this environment (fingerprint ${fp || 'unknown'}); ${earlier.length} earlier run(s) from ${otherEnvs.size} other environment(s) were not compared`,
      };
    }
    if (
      baseline.length === 0 ||
      cand.length < minSamples ||
      base.length < minSamples ||
      candidateMean === null ||
      baselineMean === null
    ) {
      const why =
        baseline.length === 0
          ? 'no earlier run to compare with'
          : `needs at least ${minSamples} samples on each side (baseline ${base.length}, candidate ${cand.length})`;
      return {
        ...common,
        status: 'insufficient-data',
        baseline_mean: baselineMean,
        candidate_mean: candidateMean,
        change_pct: baselineMean !== null && candidateMean !== null ? changePct(baselineMean, candidateMean) : null,
        p_value: null,
        message: `${label}: insufficient data — ${why}`,
      };
    }

    const change = changePct(baselineMean, candidateMean);
    const p = mannWhitneyU(base, cand).p_value;
    const significant = p < alpha;
    const large = change !== null && Math.abs(change) > thresholdPct;
    const status = significant && large ? (change > 0 ? 'regression' : 'improvement') : 'no-change';
    const changeText = change === null ? 'from a zero baseline' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
    const verdict =
      status === 'regression'
        ? 'regression'
        : status === 'improvement'
          ? 'improvement'
          : !large
            ? `no change (within ±${thresholdPct}%)`
            : `no significant change (p ≥ ${alpha})`;
    return {
      ...common,
      status,
      baseline_mean: baselineMean,
      candidate_mean: candidateMean,
      change_pct: change,
      p_value: p,
      message: `${label}: ${verdict}: ${fmt(baselineMean)} → ${fmt(candidateMean)} (${changeText}, p=${p.toPrecision(3)}, ${baseline.length} baseline run(s))`,
    };
  });
}
