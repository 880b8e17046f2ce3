/**
 * Two-sided Mann-Whitney U test (Wilcoxon rank-sum), written here because simple-statistics only
 * returns the rank sum, not a p-value.
 *
 * - Without ties and with small samples the p-value is exact: the null distribution of U is
 *   counted by dynamic programming over the rank subsets.
 * - Otherwise the normal approximation is used, with the tie-corrected variance and a continuity
 *   correction of 0.5 — the same definition as scipy.stats.mannwhitneyu(method='asymptotic').
 */

export interface MannWhitneyResult {
  /** U statistic of the first sample (number of pairs where x > y, ties count ½) */
  u: number;
  /** two-sided p-value in [0, 1] */
  p_value: number;
  /** standardized statistic of the normal approximation (null for the exact method) */
  z: number | null;
  method: 'exact' | 'asymptotic';
}

export interface MannWhitneyOptions {
  /** 'auto' (default): exact when there are no ties and both samples are at most `exactLimit` */
  method?: 'auto' | 'exact' | 'asymptotic';
  /** continuity correction for the normal approximation (default true) */
  continuity?: boolean;
  /** largest sample size for which 'auto' chooses the exact distribution (default 25; counts stay exact in doubles) */
  exactLimit?: number;
}

/** Average ranks (1-based) of the pooled values, plus the tie group sizes. */
function rankPooled(values: number[]): { ranks: number[]; tieSizes: number[] } {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  const tieSizes: number[] = [];
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const avg = (i + j + 2) / 2; // ranks i+1 … j+1
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = avg;
    if (j > i) tieSizes.push(j - i + 1);
    i = j + 1;
  }
  return { ranks, tieSizes };
}

/**
 * P(U >= u) under H0 for samples of sizes m and n without ties.
 */
function exactUpperTail(u: number, m: number, n: number): number {
  // The counts of U are the coefficients of the Gaussian binomial [m+n choose m]_q
  // = prod_{k=1..m} (1 - q^(n+k)) / (1 - q^k).
  const maxU = m * n;
  let coeffs = new Float64Array(maxU + 1);
  coeffs[0] = 1;
  for (let k = 1; k <= m; k++) {
    // multiply by (1 - q^(n+k)); terms above m·n cannot contribute to the final coefficients
    const next = Float64Array.from(coeffs);
    for (let d = maxU - n - k; d >= 0; d--) next[d + n + k]! -= coeffs[d]!;
    // divide by (1 - q^k): exact polynomial division is a running sum with stride k
    for (let d = k; d <= maxU; d++) next[d]! += next[d - k]!;
    coeffs = next;
  }
  let total = 0;
  let tail = 0;
  for (let d = 0; d <= maxU; d++) {
    const c = Math.max(0, Math.round(coeffs[d]!)); // integral counts; rounding removes float dust
    total += c;
    if (d >= u) tail += c;
  }
  return tail / total;
}

/** Complementary error function, Chebyshev fit (Numerical Recipes `erfcc`), relative error < 1.2e-7. */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t *
                      (-0.18628806 +
                        t *
                          (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of the standard normal distribution, P(Z > z). */
export function normalSf(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

export function mannWhitneyU(x: number[], y: number[], opts: MannWhitneyOptions = {}): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one value in each sample');
  if ([...x, ...y].some((v) => !Number.isFinite(v))) throw new RangeError('mannWhitneyU needs finite numbers');
  const { ranks, tieSizes } = rankPooled([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += ranks[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const uMax = Math.max(u1, u2);

  const exactLimit = opts.exactLimit ?? 25;
  const method = opts.method ?? 'auto';
  const useExact =
    method === 'exact' || (method === 'auto' && tieSizes.length === 0 && n1 <= exactLimit && n2 <= exactLimit);
  if (useExact) {
    if (tieSizes.length > 0) throw new RangeError('the exact Mann-Whitney distribution assumes no ties');
    const p = Math.min(1, 2 * exactUpperTail(uMax, n1, n2));
    return { u: u1, p_value: p, z: null, method: 'exact' };
  }

  const n = n1 + n2;
  const tieTerm = tieSizes.reduce((s, t) => s + (t * t * t - t), 0);
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) {
    // every value is identical: no evidence of any difference
    return { u: u1, p_value: 1, z: 0, method: 'asymptotic' };
  }
  const mu = (n1 * n2) / 2;
  const correction = opts.continuity === false ? 0 : 0.5;
  const z = (uMax - mu - correction) / Math.sqrt(variance);
  const p = Math.min(1, Math.max(0, 2 * normalSf(z)));
  return { u: u1, p_value: p, z, method: 'asymptotic' };
}
