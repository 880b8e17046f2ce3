/**
 * Statistics of a paired, interleaved A/B session (`lanebench ab`, docs/ANALYSIS.md).
 *
 * Pair i is one base and one head iteration measured back to back (ABBA order), so slow drift of the machine hits
 * both and cancels in d_i = log(head_i / base_i). Per metric: the Hodges–Lehmann estimate of the pseudo-median of d
 * with its distribution-free interval (wilcoxon.ts), the Wilcoxon signed-rank p-value, the verdict of verdict.ts,
 * and the minimum detectable effect at this noise.
 */
import type { Run } from '../types.js';
import { metricValues } from './select.js';
import { normalQuantile } from './distributions.js';
import { hodgesLehmann, wilcoxonSignedRank } from './wilcoxon.js';
import { mdePct, samplesToDecide, verdictOf, Z_POWER_90, type Verdict } from './verdict.js';

/** Metrics whose regression fails `ab` (exit 1) unless --metrics says otherwise. */
export const AB_GATED_METRICS = ['execution_time', 'cpu_seconds', 'memory_usage'] as const;
/**
 * Two-sided level of the A/B interval: 0.01 (99 % intervals). With 0.05 the A/A false-alarm rate on a loaded
 * machine was 3 % (bench regressions.ab, docs/ANALYSIS.md): when the noise is as large as the threshold, the rule's
 * false-alarm rate approaches α/2, so α = 0.01 bounds it by ½ %. It needs at least 8 pairs.
 */
export const DEFAULT_AB_ALPHA = 0.01;
export const DEFAULT_AB_PAIRS = 10;

/**
 * Resolution of metrics that are counted in coarse units: CPU time comes in clock ticks (10 ms at CLK_TCK 100), disk
 * I/O in 4 KiB pages. The log-ratio of a pair is taken of (value + resolution), so a command that uses less than one
 * unit on both sides compares as equal instead of dividing 0 by 1 tick; for values far above the resolution the
 * offset changes nothing.
 */
export const METRIC_RESOLUTION: Readonly<Record<string, number>> = {
  cpu_seconds: 0.01,
  disk_read_bytes: 4096,
  disk_write_bytes: 4096,
  disk_io: 4096,
};

/** One row of `lanebench ab` (`--json` prints these; docs/ANALYSIS.md). */
export interface AbRow {
  workflow: string;
  metric: string;
  verdict: Verdict;
  /** head/base: exp of the Hodges–Lehmann estimate of the log-ratios */
  ratio: number | null;
  ci_low: number | null;
  ci_high: number | null;
  p_value: number | null;
  /** pairs that entered the statistics (both sides passed; see METRIC_RESOLUTION for values near 0) */
  pairs: number;
  /** smallest increase flagged with 90 % power at this noise and this many pairs, percent */
  mde_pct: number | null;
  /** medians of the two sides over those pairs */
  base: number | null;
  head: number | null;
  /** whether a regression of this metric fails the session */
  gated: boolean;
  /** for 'inconclusive': the total pairs that would likely decide it (null: more than 10,000 or undecidable) */
  pairs_to_decide?: number | null;
  /** why there is no verdict, e.g. too few pairs for the level */
  note?: string;
}

export interface PairedOptions {
  threshold?: number;
  alpha?: number;
  gated?: readonly string[];
}

function median(v: readonly number[]): number | null {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * Paired analysis of one metric. `base[i]` and `head[i]` are pair i (null when that side's iteration failed);
 * pairs with a missing side, or (for metrics without a resolution) one side 0 and the other not, are left out.
 */
export function analyzePairs(
  workflow: string,
  metric: string,
  base: ReadonlyArray<number | null>,
  head: ReadonlyArray<number | null>,
  opts: PairedOptions = {},
): AbRow {
  const threshold = opts.threshold ?? 0.1;
  const tau = Math.log1p(threshold);
  const alpha = opts.alpha ?? DEFAULT_AB_ALPHA;
  const eps = METRIC_RESOLUTION[metric] ?? 0;
  const gated = (opts.gated ?? AB_GATED_METRICS).includes(metric);
  const d: number[] = [];
  const b: number[] = [];
  const h: number[] = [];
  for (let i = 0; i < Math.min(base.length, head.length); i++) {
    const x = base[i];
    const y = head[i];
    if (x == null || y == null || !Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0) continue;
    if (x + eps === 0 && y + eps === 0) d.push(0);
    else if (x + eps > 0 && y + eps > 0) d.push(Math.log((y + eps) / (x + eps)));
    else continue;
    b.push(x);
    h.push(y);
  }
  const n = d.length;
  const row: AbRow = {
    workflow,
    metric,
    verdict: 'inconclusive',
    ratio: null,
    ci_low: null,
    ci_high: null,
    p_value: null,
    pairs: n,
    mde_pct: null,
    base: median(b),
    head: median(h),
    gated,
  };
  if (n === 0) return { ...row, note: 'no pair with a value on both sides' };
  if (eps > 0 && Math.max(...b, ...h) <= 2 * eps) {
    // every value within two counting units: whatever differs is the counter's granularity, not the workload
    return { ...row, verdict: 'no-change', ratio: 1, note: `below the measurement resolution (${eps}) on both sides` };
  }
  const hl = hodgesLehmann(d, alpha);
  const p = wilcoxonSignedRank(d).p_value;
  row.ratio = Math.exp(hl.estimate);
  row.ci_low = Math.exp(hl.low);
  row.ci_high = Math.exp(hl.high);
  row.p_value = p;
  if (!hl.attainable) {
    row.note = `${n} pair(s) cannot give a ${Math.round((1 - alpha) * 100)}% interval (the signed-rank test needs at least ${minPairs(alpha)})`;
    row.pairs_to_decide = minPairs(alpha);
    return row;
  }
  // the interval's half-width as a standard error: HL intervals are ≈ estimate ± z·σ/√n for symmetric noise
  const z = normalQuantile(1 - alpha / 2);
  const se = (hl.high - hl.low) / (2 * z);
  row.mde_pct = mdePct(se, z, tau, Z_POWER_90);
  row.verdict = verdictOf(hl.estimate, hl.low, hl.high, tau);
  if (row.verdict === 'inconclusive') row.pairs_to_decide = samplesToDecide(n, hl.estimate, hl.low, hl.high, tau);
  return row;
}

/** Fewest pairs for which the exact signed-rank interval at level alpha exists: 2^-n·2 ≤ alpha. */
export function minPairs(alpha: number): number {
  let n = 1;
  while (2 / 2 ** n > alpha) n++;
  return n;
}

/** Values of a metric per iteration index (1-based) of a run; failed iterations are null. */
function byIndex(run: Run, metric: string, count: number): Array<number | null> {
  const out = new Array<number | null>(count).fill(null);
  for (const it of run.iterations) {
    if (it.status !== 'passed' || it.index < 1 || it.index > count) continue;
    const [v] = metricValues({ ...run, iterations: [it] }, metric);
    if (v !== undefined) out[it.index - 1] = v;
  }
  return out;
}

/** Rows for every metric of a session's two runs (iteration index i of each side is pair i). */
export function analyzeAbRuns(base: Run, head: Run, metrics: readonly string[], opts: PairedOptions = {}): AbRow[] {
  const count = Math.max(
    base.ab?.pair_count ?? 0,
    head.ab?.pair_count ?? 0,
    base.iterations.length,
    head.iterations.length,
  );
  return metrics.map((m) => analyzePairs(head.workflow, m, byIndex(base, m, count), byIndex(head, m, count), opts));
}
