/**
 * The run-level history gate (docs/ANALYSIS.md).
 *
 * Baseline: the most recent `window` earlier runs (started before the candidate) of the same lane and workflow,
 * status completed or partial, same environment fingerprint, not part of an A/B session. Runs from other
 * fingerprints are never mixed in: when only those exist the verdict is 'environment-mismatch'.
 *
 * Each run is reduced to one number, the median of its passed iterations. On a shared machine runs drift by more
 * than iterations vary (CPU steal, neighbours, other VMs), so iterations of different runs are not exchangeable and a
 * test that pools them (the previous gate) is anti-conservative. Runs are: the candidate's median is compared with
 * the distribution of the baseline runs' medians. On the log scale, with k baseline medians x_i (mean x̄, sample
 * sd s) and the candidate's y, d = y − x̄ and (d / (s·√(1 + 1/k))) follows Student's t with k − 1 degrees of
 * freedom when the candidate is one more run like the others: the prediction interval d ± t_{1−α/2,k−1}·s·√(1+1/k)
 * is the interval of the four-valued verdict (verdict.ts). Its false-alarm rate is α/2 at most whatever the
 * between-run drift is, because the drift is what s measures. Fewer than `minRuns` baseline runs: insufficient-data.
 *
 * That holds when the candidate is exchangeable with its baseline, and back-to-back runs on a shared VM are not: the
 * machine's speed moves in spells of seconds to minutes (bench-regressions.mjs: the same awk loop at 16 ms for ~300
 * runs in a row, then at 20–23 ms for the next 55), so ten consecutive runs often all come from one spell and their
 * s is far smaller than the jump to the next. So the gate replays itself over the runs before the candidate: each
 * predicted from the `window` runs before it, as the gate would have.
 * - Spread: the root mean square of the newest REPLAY_FACTOR × window errors (at most REPLAY_RUNS) is the series'
 *   own one-run-ahead spread, spells included. The half-width is t·max(s·√(1 + 1/k), that spread), t with the window's k − 1 degrees
 *   of freedom (the errors are not independent). A real step long ago adds only the errors of the `window` runs
 *   right after it (the window absorbs it), far less than an s over the whole lookback would.
 * - Largest jump: normal tails still under-state a VM that is 30 % slower one run in ten. So a regression must also
 *   be larger than every jump the series made by itself in the REPLAY_RUNS replayed runs (an improvement
 *   lower than every drop): among n + 1 exchangeable runs the candidate jumped most with chance 1/(n + 1), whatever
 *   the distribution.
 * Fewer than REPLAY_MIN replayed runs: the window alone decides.
 *
 * A neighbour that starts during the candidate run
 * breaks it: the drift is then new, not measured by s (bench-regressions.mjs measured 4 % false alarms with a bursty
 * neighbour). So a timing verdict is not trusted when the candidate shared its machine with clearly more (or less)
 * other work than every baseline run did (`measurement.machine_contention`, measure/machine-cpu.ts): it becomes
 * 'inconclusive' with the reason, never a regression. Older runs without the figure turn the guard off.
 */
import type { Run } from '../types.js';
import { tQuantile, tSf } from './distributions.js';
import { chronological, customMetrics, fingerprint, metricValues, startedMs } from './select.js';
// the defaults of config.regressionThreshold / config.historyWindow, one definition for the config and the gate
import { DEFAULT_HISTORY_WINDOW, DEFAULT_REGRESSION_THRESHOLD } from '../config/defaults.js';
import type { RegressionOptions, RegressionResult } from './types.js';
import { mdePct, verdictOf, Z_POWER_90 } from './verdict.js';
import { medianContention } from '../measure/machine-cpu.js';

export const DEFAULT_REGRESSION_METRICS = ['execution_time', 'cpu_seconds', 'memory_usage'] as const;
/** two-sided level of the run-level gate: 0.01, so one run in 200 at most is a false alarm (docs/ANALYSIS.md) */
export const DEFAULT_GATE_ALPHA = 0.01;
/** level of the pooled Mann-Whitney test of `compare` (two sets of runs side by side) */
export const DEFAULT_ALPHA = 0.05;
/** fewest samples per side of `compare` */
export const DEFAULT_MIN_SAMPLES = 3;
/** fewer baseline runs than this: insufficient data (t with 4 degrees of freedom is the least that is useful) */
export const DEFAULT_MIN_RUNS = 5;

/** metrics a busier machine slows down; memory, I/O and custom metrics are not guarded */
const CONTENTION_GUARDED = new Set(['execution_time', 'cpu_seconds', 'cpu_usage']);
/**
 * how much more of the machine's CPU (as a share, 0–1) other processes must have used during the candidate than
 * during every baseline run before a timing verdict is not trusted: 0.25 is half a core on a 2-core runner, above
 * the run-to-run jitter of the figure on a shared machine and below a neighbour that can slow a run by itself
 */
export const CONTENTION_MARGIN = 0.25;

/**
 * The gate replays itself over this many times `window` earlier runs (default 3 × 10 = 30, at most REPLAY_RUNS) for
 * the series' own one-run-ahead spread (the root mean square of the replayed errors).
 */
export const REPLAY_FACTOR = 3;
/**
 * ... and over this many runs for the largest jump: a change no larger than a jump the series made by itself that
 * recently is not a regression. Distribution-free: among 201 exchangeable runs the candidate is the one that jumped
 * most with chance 1/201 (100 runs measured 0–1.8 %, around the target itself). A count of runs, not a multiple
 * of the window: the bound depends on it alone, and a window of 1,000 must not make the gate read 20,000 runs.
 */
export const REPLAY_RUNS = 200;
/** fewest replayed runs whose errors make a spread or a largest jump (fewer: the window decides alone) */
export const REPLAY_MIN = 10;

/** Earlier comparable runs of one environment the gate reads for a window of `window` runs: window + replay. */
export function gateLookback(window: number): number {
  return Math.max(0, window) + REPLAY_RUNS;
}

/**
 * The log errors of predicting each of the newest `count` values from the mean of the `window` values before it
 * (`series` newest first, logs), newest first; as many as have `window` values before them.
 */
export function replayErrors(series: readonly number[], window: number, count: number): number[] {
  const errors: number[] = [];
  for (let j = 0; j < count && j + window < series.length; j++) {
    let mean = 0;
    for (let i = j + 1; i <= j + window; i++) mean += series[i]!;
    errors.push(series[j]! - mean / window);
  }
  return errors;
}

/** Median over a run's passed iterations of `measurement.machine_contention`; null when none recorded it. */
export function runContention(run: Run): number | null {
  return medianContention(run.iterations ?? []);
}

const fmt = (v: number): string =>
  Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
const pct = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

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
        r.ab === undefined &&
        r.confirm === undefined &&
        (r.status === 'completed' || r.status === 'partial'),
    ),
  ).reverse();
}

/** Median of a run's passed values of a metric, null when it has none. */
export function runMedian(run: Run, metric: string): number | null {
  const v = metricValues(run, metric).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}

export function detectRegressions(
  candidate: Run,
  history: readonly Run[],
  opts: RegressionOptions = {},
): RegressionResult[] {
  const threshold = opts.threshold ?? DEFAULT_REGRESSION_THRESHOLD;
  const thresholdPct = threshold * 100;
  const tau = Math.log1p(threshold);
  const alpha = opts.alpha ?? DEFAULT_GATE_ALPHA;
  const window = opts.window ?? DEFAULT_HISTORY_WINDOW;
  const minRuns = Math.max(2, opts.minRuns ?? DEFAULT_MIN_RUNS);
  const metrics = opts.metrics ?? [...DEFAULT_REGRESSION_METRICS, ...customMetrics([candidate])];

  const earlier = earlierRuns(candidate, history);
  const fp = fingerprint(candidate);
  const sameEnv = earlier.filter((r) => fingerprint(r) === fp);
  const otherEnvs = new Set(earlier.filter((r) => fingerprint(r) !== fp).map(fingerprint));

  return metrics.map((metric): RegressionResult => {
    // runs without a value of this metric do not count towards the window
    const baseline: number[] = [];
    const baselineContention: Array<number | null> = [];
    // the window and, behind it, the runs the gate replays itself over (newest first)
    const lookback: number[] = [];
    const lookbackRuns: Run[] = [];
    for (const r of sameEnv) {
      if (lookback.length >= gateLookback(window)) break;
      const m = runMedian(r, metric);
      if (m === null) continue;
      lookback.push(m);
      lookbackRuns.push(r);
      if (baseline.length < Math.max(0, window)) {
        baseline.push(m);
        baselineContention.push(runContention(r));
      }
    }
    const cand = runMedian(candidate, metric);
    const k = baseline.length;
    const common = {
      lane: candidate.lane,
      workflow: candidate.workflow,
      metric,
      threshold_pct: thresholdPct,
      baseline_runs: k,
      alpha,
      ci_low_pct: null,
      ci_high_pct: null,
      mde_pct: null,
      run_cv_pct: null,
      replay_spread_pct: null,
      replay_runs: 0,
    };
    const label = `${candidate.lane} › ${candidate.workflow} › ${metric}`;

    if (k === 0 && otherEnvs.size > 0) {
      return {
        ...common,
        status: 'environment-mismatch',
        baseline_mean: null,
        candidate_mean: cand,
        change_pct: null,
        p_value: null,
        message: `${label}: no earlier run on this environment (fingerprint ${fp || 'unknown'}); ${earlier.length} earlier run(s) from ${otherEnvs.size} other environment(s) were not compared`,
      };
    }
    const insufficient = (why: string, baselineMean: number | null): RegressionResult => ({
      ...common,
      status: 'insufficient-data',
      baseline_mean: baselineMean,
      candidate_mean: cand,
      change_pct: baselineMean !== null && cand !== null && baselineMean > 0 ? (cand / baselineMean - 1) * 100 : null,
      p_value: null,
      message: `${label}: insufficient data — ${why}`,
    });
    if (cand === null) return insufficient('the run has no passed value of this metric', null);
    if (k < minRuns) {
      return insufficient(
        k === 0
          ? `no earlier run to compare with (needs ${minRuns})`
          : `needs at least ${minRuns} earlier comparable runs, has ${k}`,
        k > 0 ? baseline.reduce((a, b) => a + b, 0) / k : null,
      );
    }
    if (cand === 0 && baseline.every((b) => b === 0)) {
      return {
        ...common,
        status: 'no-change',
        baseline_mean: 0,
        candidate_mean: 0,
        change_pct: 0,
        p_value: 1,
        ci_low_pct: 0,
        ci_high_pct: 0,
        message: `${label}: no change (0 in every run)`,
      };
    }
    if (cand <= 0 || baseline.some((b) => b <= 0)) {
      return insufficient('a run median is 0, so ratios are undefined', null);
    }

    const logs = baseline.map(Math.log);
    const xbar = logs.reduce((a, b) => a + b, 0) / k;
    const s = Math.sqrt(logs.reduce((a, b) => a + (b - xbar) ** 2, 0) / (k - 1));
    const d = Math.log(cand) - xbar;
    // the window's prediction error, widened to the replayed one when this series jumps more than s says; with the
    // window's k − 1 degrees of freedom either way, because the replayed errors are not independent (neighbouring
    // runs share a spell and most of their windows), so 30 of them carry far fewer than 29
    const errors =
      lookback.length > k && lookback.every((v) => v > 0) ? replayErrors(lookback.map(Math.log), k, REPLAY_RUNS) : [];
    const spreadErrors = errors.slice(0, Math.min(REPLAY_FACTOR * window, REPLAY_RUNS));
    const replay =
      spreadErrors.length >= REPLAY_MIN
        ? {
            rms: Math.sqrt(spreadErrors.reduce((a, e) => a + e * e, 0) / spreadErrors.length),
            runs: spreadErrors.length,
          }
        : null;
    const windowSe = s * Math.sqrt(1 + 1 / k);
    const replayWidens = replay !== null && replay.rms > windowSe;
    const se = replayWidens ? replay.rms : windowSe;
    const df = k - 1;
    const tc = tQuantile(1 - alpha / 2, df);
    const low = d - tc * se;
    const high = d + tc * se;
    let status = verdictOf(d, low, high, tau);
    const shift = CONTENTION_GUARDED.has(metric) ? contentionShift(status, candidate, baselineContention) : null;
    if (shift) status = 'inconclusive';
    // the largest jump guard: a change no larger than the series' own largest jump in the replayed runs
    const jump = errors.length >= REPLAY_MIN ? largestJump(status, d, errors, lookbackRuns) : null;
    if (jump) status = 'inconclusive';
    const p = se > 0 ? Math.min(1, 2 * tSf(Math.abs(d) / se, df)) : d === 0 ? 1 : 0;
    const baselineMean = Math.exp(xbar);
    const change = Math.expm1(d) * 100;
    const lowPct = Math.expm1(low) * 100;
    const highPct = Math.expm1(high) * 100;
    const mde = mdePct(se, tc, tau, Z_POWER_90);
    const runCv = Math.sqrt(Math.expm1(s * s)) * 100;
    const replayPct = replay ? Math.expm1(replay.rms) * 100 : null;
    const head =
      status === 'regression'
        ? 'regression'
        : status === 'improvement'
          ? 'improvement'
          : status === 'no-change'
            ? `no change (within ±${thresholdPct}%)`
            : shift
              ? `inconclusive (other processes used ${share(shift.candidate)} of the machine's CPU during this run, ${share(shift.baseline_min)}–${share(shift.baseline_max)} during the ${k} baseline runs: the ${d > 0 ? 'slowdown' : 'speed-up'} may be theirs; confirm with \`lanebench ab\` or --confirm)`
              : jump
                ? `inconclusive (run ${jump.run_id} of ${jump.started_at} was ${pct(jump.change_pct)} off the ${k} runs before it, no less than this run is, within the last ${errors.length} runs: a ${d > 0 ? 'slowdown' : 'speed-up'} the series made by itself; confirm with \`lanebench ab\` or --confirm)`
                : replayWidens
                  ? `inconclusive (the last ${replay.runs} runs each differed from the ${k} before them by ${replayPct!.toFixed(1)}% (root mean square): this series jumps in spells, which hides a ${thresholdPct}% change in one run; confirm with \`lanebench ab\` or --confirm)`
                  : `inconclusive (run-to-run CV ${runCv.toFixed(1)}% of the last ${k} runs hides a ${thresholdPct}% change; confirm with \`lanebench ab\` or --confirm)`;
    return {
      ...common,
      status,
      baseline_mean: baselineMean,
      candidate_mean: cand,
      change_pct: change,
      p_value: p,
      ci_low_pct: lowPct,
      ci_high_pct: highPct,
      mde_pct: mde,
      run_cv_pct: runCv,
      replay_spread_pct: replayPct,
      replay_runs: errors.length >= REPLAY_MIN ? errors.length : 0,
      ...(jump ? { jump } : {}),
      ...(shift ? { contention: shift } : {}),
      message: `${label}: ${head}: ${fmt(baselineMean)} → ${fmt(cand)} (run medians, ${pct(change)}, ${Math.round((1 - alpha) * 100)}% range ${pct(lowPct)}…${pct(highPct)}, p=${p.toPrecision(3)}, detectable ≥${mde.toFixed(1)}%, ${k} baseline run(s))`,
    };
  });
}

const share = (v: number): string => `${Math.round(v * 100)}%`;

/**
 * The largest-jump guard: a regression whose estimate d is no larger than the largest upward error of the replayed
 * runs (an improvement: no lower than the lowest) is something this series did by itself within them. Under
 * exchangeability the candidate is the largest of n + 1 errors with chance 1/(n + 1), whatever the distribution:
 * the bound that holds when the runs' spread is heavy-tailed (a VM that is 30 % slower one run in ten), where the
 * t interval's normal tails do not.
 */
function largestJump(
  status: string,
  d: number,
  errors: readonly number[],
  runs: readonly Run[],
): { run_id: string; started_at: string; change_pct: number } | null {
  if (status !== 'regression' && status !== 'improvement') return null;
  let at = 0;
  for (let j = 1; j < errors.length; j++) {
    if (status === 'regression' ? errors[j]! > errors[at]! : errors[j]! < errors[at]!) at = j;
  }
  const e = errors[at]!;
  const within = status === 'regression' ? d <= e : d >= e;
  if (!within) return null;
  // errors[j] belongs to the run at lookback index j (newest first)
  const r = runs[at]!;
  return { run_id: r.id, started_at: r.started_at, change_pct: Math.expm1(e) * 100 };
}

/**
 * The contention guard: a regression whose run had more than CONTENTION_MARGIN more of the machine taken by others
 * than every baseline run (or an improvement with that much less than every one). Needs the figure on the
 * candidate and on at least half of the baseline runs.
 */
function contentionShift(
  status: string,
  candidate: Run,
  baseline: ReadonlyArray<number | null>,
): { candidate: number; baseline_min: number; baseline_max: number } | null {
  if (status !== 'regression' && status !== 'improvement') return null;
  const c = runContention(candidate);
  const known = baseline.filter((b): b is number => b !== null);
  if (c === null || known.length === 0 || known.length * 2 < baseline.length) return null;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const shifted = status === 'regression' ? c - hi > CONTENTION_MARGIN : lo - c > CONTENTION_MARGIN;
  return shifted ? { candidate: c, baseline_min: lo, baseline_max: hi } : null;
}
