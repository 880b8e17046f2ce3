/**
 * Noise calibration (`lanebench calibrate`, docs/ANALYSIS.md): from A/A data — the same command as both sides of
 * interleaved A/B rounds — the iteration-to-iteration CV, the run-to-run CV of run medians, the standard deviation
 * of paired log-ratios, and what that noise allows: pairs needed to detect a 5/10/20 % change with 90 % power at
 * α = 0.05 two-sided (n = ((z₀.₉₇₅ + z₀.₉)·σ_d / log(1 + e))², the signed-rank test's efficiency ≈ 0.955 folded in),
 * and the history gate's minimum detectable change with a 10-run window.
 */
import { normalQuantile, tQuantile } from './distributions.js';
import { mdePct, Z_POWER_90 } from './verdict.js';

export const CALIBRATION_EFFECTS = [0.05, 0.1, 0.2] as const;

export interface CalibrationRow {
  metric: string;
  /** mean over runs of the CV of a run's iterations, percent */
  iteration_cv_pct: number | null;
  /** CV of the run medians, percent (needs ≥ 2 runs) */
  run_cv_pct: number | null;
  /** sd of log(B/A) over the A/A pairs */
  pair_log_sd: number | null;
  pairs: number;
  /** pairs for 90 % power per effect, keyed '5%', '10%', '20%' */
  pairs_needed: Record<string, number | null>;
  /** smallest change the history gate flags with 90 % power with 10 baseline runs at this run-to-run noise */
  history_gate_mde_pct: number | null;
}

const sdOf = (v: readonly number[]): number => {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
};
const meanOf = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const medianOf = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * @param runs  values of the metric per run (each run's iterations)
 * @param pairs A/A pairs [a, b]
 * @param threshold the gate's threshold (for the history-gate MDE)
 */
export function calibrationRow(
  metric: string,
  runs: ReadonlyArray<readonly number[]>,
  pairs: ReadonlyArray<readonly [number, number]>,
  threshold = 0.1,
): CalibrationRow {
  const cvs = runs.filter((r) => r.length >= 2 && meanOf(r) > 0).map((r) => sdOf(r) / meanOf(r));
  const medians = runs.filter((r) => r.length > 0).map(medianOf);
  const logs = pairs.filter(([a, b]) => a > 0 && b > 0).map(([a, b]) => Math.log(b / a));
  const sdD = logs.length >= 2 ? sdOf(logs) : null;
  const z = normalQuantile(0.975) + Z_POWER_90;
  const needed: Record<string, number | null> = {};
  for (const e of CALIBRATION_EFFECTS) {
    needed[`${e * 100}%`] = sdD === null ? null : Math.max(6, Math.ceil(((z * sdD) / Math.log1p(e)) ** 2 / 0.955));
  }
  const positive = medians.filter((m) => m > 0);
  const runLogSd = positive.length >= 2 ? sdOf(positive.map(Math.log)) : null;
  return {
    metric,
    iteration_cv_pct: cvs.length ? meanOf(cvs) * 100 : null,
    run_cv_pct: medians.length >= 2 && meanOf(medians) > 0 ? (sdOf(medians) / meanOf(medians)) * 100 : null,
    pair_log_sd: sdD,
    pairs: logs.length,
    pairs_needed: needed,
    history_gate_mde_pct:
      runLogSd === null
        ? null
        : mdePct(runLogSd * Math.sqrt(1 + 1 / 10), tQuantile(0.995, 9), Math.log1p(threshold), Z_POWER_90),
  };
}
