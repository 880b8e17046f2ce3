/**
 * The p-th percentile (0–100) of ascending `sorted` values by linear interpolation between order
 * statistics: rank h = (n − 1)·p/100, value = x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * This is numpy's default ('linear') and Excel's PERCENTILE.INC. simple-statistics' quantileSorted
 * used another rule before 7.12 and our dependency range allows those versions, so the method is
 * pinned here (the tests cross-check it against numpy vectors and the installed quantileSorted).
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list is undefined; pass at least one value');
  if (!Number.isFinite(p) || p < 0 || p > 100) {
    throw new RangeError(`percentile ${String(p)} is out of range; expected 0 ≤ p ≤ 100`);
  }
  const rank = ((sorted.length - 1) * p) / 100;
  const lower = Math.floor(rank);
  const upper = Math.min(lower + 1, sorted.length - 1);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (rank - lower) * (high - low);
}

/** Samples a percentile needs before it is more than an interpolation of the extremes (docs/ANALYSIS.md). */
export const PERCENTILE_MIN_SAMPLES = { p95: 20, p99: 100 } as const;
