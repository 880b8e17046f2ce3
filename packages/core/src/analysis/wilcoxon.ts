/**
 * Wilcoxon signed-rank test and the Hodges–Lehmann estimate with its distribution-free confidence interval, for
 * paired differences (here: log-ratios head/base of interleaved A/B pairs).
 *
 * - Test: zero differences are dropped (Wilcoxon's convention); without ties the p-value is exact (the null
 *   distribution of T+ is computed by dynamic programming in probabilities, so it is exact up to rounding for any n
 *   up to EXACT_LIMIT); with ties among |d| or more pairs it uses the normal approximation with the tie-corrected
 *   variance and a continuity correction (scipy.stats.wilcoxon(method='approx', correction=True) gives the same).
 * - Estimate: the median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j.
 * - Interval: [W_(C), W_(M+1−C)] of the sorted Walsh averages, C = 1 + the largest t with P(T+ ≤ t) ≤ α/2
 *   under the exact null for n (Hollander & Wolfe, §3.3). Zeros are kept for the interval: they are real pairs.
 */

import { normalCdf, normalQuantile } from './distributions.js';

const EXACT_LIMIT = 100;

/** P(T+ ≤ t) for t = 0 … n(n+1)/2 under H0 (each rank's sign a fair coin). */
export function signedRankCdf(n: number): Float64Array {
  const max = (n * (n + 1)) / 2;
  let p = new Float64Array(max + 1);
  p[0] = 1;
  for (let k = 1; k <= n; k++) {
    const next = new Float64Array(max + 1);
    for (let s = 0; s <= max; s++) {
      const v = p[s]!;
      if (v === 0) continue;
      next[s]! += v / 2;
      if (s + k <= max) next[s + k]! += v / 2;
    }
    p = next;
  }
  const cdf = new Float64Array(max + 1);
  let acc = 0;
  for (let s = 0; s <= max; s++) cdf[s] = acc += p[s]!;
  return cdf;
}

export interface SignedRankResult {
  /** sum of the ranks of the positive differences (zeros dropped) */
  t_plus: number;
  /** non-zero differences used by the test */
  n_nonzero: number;
  /** two-sided p-value */
  p_value: number;
  method: 'exact' | 'asymptotic';
}

function ranksOfAbs(values: number[]): { ranks: number[]; ties: number[] } {
  const order = values.map((v, i) => [Math.abs(v), i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const ties: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j + 2) / 2;
    if (j > i) ties.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, ties };
}

export function wilcoxonSignedRank(diffs: readonly number[]): SignedRankResult {
  if (diffs.some((d) => !Number.isFinite(d))) throw new RangeError('wilcoxonSignedRank needs finite differences');
  const d = diffs.filter((x) => x !== 0);
  const n = d.length;
  if (n === 0) return { t_plus: 0, n_nonzero: 0, p_value: 1, method: 'exact' };
  const { ranks, ties } = ranksOfAbs(d);
  let tPlus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) tPlus += ranks[i]!;
  const max = (n * (n + 1)) / 2;
  if (ties.length === 0 && n <= EXACT_LIMIT) {
    const cdf = signedRankCdf(n);
    const lower = cdf[Math.round(tPlus)]!;
    const upper = 1 - (Math.round(tPlus) > 0 ? cdf[Math.round(tPlus) - 1]! : 0);
    return { t_plus: tPlus, n_nonzero: n, p_value: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact' };
  }
  const mu = max / 2;
  const tieTerm = ties.reduce((s, t) => s + (t * t * t - t), 0);
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48;
  if (!(variance > 0)) return { t_plus: tPlus, n_nonzero: n, p_value: 1, method: 'asymptotic' };
  const z = Math.max(0, Math.abs(tPlus - mu) - 0.5) / Math.sqrt(variance);
  return { t_plus: tPlus, n_nonzero: n, p_value: Math.min(1, 2 * normalCdf(-z)), method: 'asymptotic' };
}

/** Sorted Walsh averages (d_i + d_j)/2 for i ≤ j. */
export function walshAverages(diffs: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < diffs.length; i++) for (let j = i; j < diffs.length; j++) out.push((diffs[i]! + diffs[j]!) / 2);
  return out.sort((a, b) => a - b);
}

export interface HodgesLehmann {
  estimate: number;
  low: number;
  high: number;
  /** actual coverage of the interval (the exact distribution is discrete), e.g. 0.951 */
  coverage: number;
  /** false when n is too small for any interval at this level: then low/high are the extreme Walsh averages */
  attainable: boolean;
}

function medianSorted(s: readonly number[]): number {
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Hodges–Lehmann estimate of the pseudo-median and its (1 − alpha) confidence interval. */
export function hodgesLehmann(diffs: readonly number[], alpha = 0.05): HodgesLehmann {
  const n = diffs.length;
  if (n === 0) throw new RangeError('hodgesLehmann needs at least one difference');
  const w = walshAverages(diffs);
  const m = w.length;
  let c: number; // 1-based order statistic of the lower limit
  let coverage: number;
  if (n <= EXACT_LIMIT) {
    const cdf = signedRankCdf(n);
    let t = -1;
    while (t + 1 < cdf.length && cdf[t + 1]! <= alpha / 2) t++;
    c = t + 1;
    coverage = 1 - 2 * (t >= 0 ? cdf[t]! : 0);
  } else {
    const z = normalQuantile(1 - alpha / 2);
    c = Math.max(0, Math.floor(m / 2 - z * Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24)));
    coverage = 1 - alpha;
  }
  const attainable = c >= 1;
  const lo = attainable ? w[c - 1]! : w[0]!;
  const hi = attainable ? w[m - c]! : w[m - 1]!;
  return { estimate: medianSorted(w), low: lo, high: hi, coverage: attainable ? coverage : 1, attainable };
}
