/**
 * Change points of a history series (docs/ANALYSIS.md): E-divisive means (Matteson & James 2014, the method behind
 * MongoDB's and Apache Otava's performance change detection) over the run medians of one lane/workflow/metric.
 *
 * For a split at τ of x_1..x_n into L = x_1..x_τ and R = x_τ+1..x_n the divergence is
 *   Q(τ) = (|L||R| / n) · ( 2·mean|L_i − R_j| − mean_{i<k}|L_i − L_k| − mean_{j<l}|R_j − R_l| )
 * (energy distance with exponent 1). The best split is the τ maximizing Q; its significance is a permutation test:
 * the maximum of Q over τ for random shuffles of the same values. p = (1 + #{shuffles ≥ observed}) / (1 + shuffles);
 * with the default 999 shuffles a p ≤ 0.001 means no shuffle came close. The search stops early once enough
 * shuffles beat the observed value for p to exceed alpha, so noise costs a handful of shuffles. Significant splits
 * are searched again inside each side (binary segmentation) until nothing is significant or the sides are too short.
 * Shuffles come from a seeded generator: the same history always gives the same change points.
 * Limit: binary segmentation splits in two only, so a temporary step that goes up and comes back down inside one
 * series is weaker as a single split (Matteson & James also search the right end κ, at O(n³) per shuffle); the
 * trend window bounds the series, and each side of a found change is searched again.
 */
import type { Run } from '../types.js';
import { runMedian } from './regression.js';
import { chronological } from './select.js';
import type { ChangePoint } from './types.js';

export const DEFAULT_CHANGE_POINT_ALPHA = 0.001;
export const DEFAULT_PERMUTATIONS = 999;
/** fewest points on each side of a split */
export const DEFAULT_MIN_SEGMENT = 3;

export interface ChangePointOptions {
  alpha?: number;
  permutations?: number;
  minSegment?: number;
  seed?: number;
  /** changePointsOf: only the last N runs of the series (default: all) */
  window?: number;
}

export interface SeriesChangePoint {
  /** index of the first value of the new segment */
  index: number;
  p_value: number;
}

/** Best split of values[idx[0..n)] by Q: returns [τ (size of the left part), Q]. */
function bestSplit(x: readonly number[], idx: readonly number[], minSeg: number): [number, number] {
  const n = idx.length;
  // row sums restricted to the prefix/suffix are updated incrementally: O(n²) for all τ
  const d = (a: number, b: number): number => Math.abs(x[idx[a]!]! - x[idx[b]!]!);
  let within = 0; // Σ_{i<k<τ} d
  let cross = 0; // Σ_{i<τ≤j} d
  let right = 0; // Σ_{τ≤j<l} d
  for (let j = 0; j < n; j++) for (let l = j + 1; l < n; l++) right += d(j, l);
  let best = -Infinity;
  let bestTau = -1;
  for (let tau = 1; tau < n; tau++) {
    // move element tau−1 from the right part to the left
    const m = tau - 1;
    let toLeft = 0;
    let toRight = 0;
    for (let i = 0; i < m; i++) toLeft += d(i, m);
    for (let j = m + 1; j < n; j++) toRight += d(m, j);
    within += toLeft;
    right -= toRight;
    cross += toRight - toLeft;
    const p = tau;
    const q = n - tau;
    if (p < minSeg || q < minSeg) continue;
    const e =
      (2 * cross) / (p * q) - (p > 1 ? within / ((p * (p - 1)) / 2) : 0) - (q > 1 ? right / ((q * (q - 1)) / 2) : 0);
    const Q = ((p * q) / n) * e;
    if (Q > best) {
      best = Q;
      bestTau = tau;
    }
  }
  return [bestTau, best];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Change points of a numeric series, in index order. */
export function detectChangePoints(values: readonly number[], opts: ChangePointOptions = {}): SeriesChangePoint[] {
  const alpha = opts.alpha ?? DEFAULT_CHANGE_POINT_ALPHA;
  const R = opts.permutations ?? DEFAULT_PERMUTATIONS;
  const minSeg = Math.max(2, opts.minSegment ?? DEFAULT_MIN_SEGMENT);
  const rand = mulberry32(opts.seed ?? 0x1ce);
  // largest number of shuffles ≥ observed that still allows p ≤ alpha
  const allowed = Math.floor(alpha * (R + 1)) - 1;
  const found: SeriesChangePoint[] = [];

  const segment = (start: number, end: number): void => {
    const n = end - start;
    if (n < 2 * minSeg) return;
    const idx = Array.from({ length: n }, (_, i) => start + i);
    const [tau, q] = bestSplit(values, idx, minSeg);
    if (tau < 0 || !(q > 0)) return;
    let beats = 0;
    let done = 0;
    const perm = [...idx];
    for (; done < R; done++) {
      for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [perm[i], perm[j]] = [perm[j]!, perm[i]!];
      }
      if (bestSplit(values, perm, minSeg)[1] >= q) {
        beats++;
        if (beats > allowed) break;
      }
    }
    if (beats > allowed) return;
    const p = (1 + beats) / (1 + R);
    found.push({ index: start + tau, p_value: p });
    segment(start, start + tau);
    segment(start + tau, end);
  };
  if (allowed >= 0) segment(0, values.length);
  return found.sort((a, b) => a.index - b.index);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Change points of the run medians of one lane/workflow/metric (completed or partial runs, A/B and confirmation
 * runs left out), with the medians of the segments on either side.
 */
export function changePointsOf(
  runs: readonly Run[],
  lane: string,
  workflow: string,
  metric: string,
  opts: ChangePointOptions = {},
): ChangePoint[] {
  return changePointsOfSeries(
    chronological(runs.filter((r) => r.lane === lane && r.workflow === workflow)),
    lane,
    workflow,
    metric,
    opts,
  );
}

/** changePointsOf over the runs of one series, already oldest first. */
function changePointsOfSeries(
  sorted: readonly Run[],
  lane: string,
  workflow: string,
  metric: string,
  opts: ChangePointOptions,
): ChangePoint[] {
  const series: Array<{ run: Run; value: number }> = [];
  for (const run of sorted) {
    if (run.ab || run.confirm) continue;
    if (run.status !== 'completed' && run.status !== 'partial') continue;
    const m = runMedian(run, metric);
    if (m !== null) series.push({ run, value: m });
  }
  if (opts.window !== undefined && series.length > opts.window) series.splice(0, series.length - opts.window);
  const values = series.map((s) => s.value);
  const cps = detectChangePoints(values, opts);
  const bounds = [0, ...cps.map((c) => c.index), values.length];
  return cps.map((c, i): ChangePoint => {
    const first = series[c.index]!.run;
    const cp: ChangePoint = {
      lane,
      workflow,
      metric,
      run_id: first.id,
      started_at: first.started_at,
      before: median(values.slice(bounds[i], c.index)),
      after: median(values.slice(c.index, bounds[i + 2])),
      p_value: c.p_value,
    };
    if (first.git?.sha) cp.git_sha = first.git.sha;
    return cp;
  });
}

/**
 * Change points of every lane/workflow series of a history (or of the series of `only`) for the given metrics: the
 * dashboard's markers.
 */
export function changePointsOfHistory(
  runs: readonly Run[],
  metrics: readonly string[] = ['execution_time', 'cpu_seconds', 'memory_usage'],
  opts: ChangePointOptions = {},
  only?: readonly Run[],
): ChangePoint[] {
  const series = new Map<string, [string, string]>();
  for (const r of only ?? runs) series.set(`${r.lane}\u0000${r.workflow}`, [r.lane, r.workflow]);
  // one sort of the history, split by series (not one sort of all of it per series and metric)
  const bySeries = new Map<string, Run[]>();
  for (const r of chronological(runs)) {
    const key = `${r.lane}\u0000${r.workflow}`;
    const list = bySeries.get(key);
    if (list) list.push(r);
    else bySeries.set(key, [r]);
  }
  return [...series.entries()].flatMap(([key, [lane, workflow]]) =>
    metrics.flatMap((m) => changePointsOfSeries(bySeries.get(key) ?? [], lane, workflow, m, opts)),
  );
}
