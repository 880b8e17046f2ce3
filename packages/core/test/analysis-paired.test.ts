import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, tQuantile, tSf } from '../src/analysis/distributions.js';
import { hodgesLehmann, signedRankCdf, walshAverages, wilcoxonSignedRank } from '../src/analysis/wilcoxon.js';
import { samplesToDecide, verdictOf } from '../src/analysis/verdict.js';

describe('distributions (values from scipy.stats 1.17)', () => {
  it('t quantiles and tails', () => {
    expect(tQuantile(0.975, 4)).toBeCloseTo(2.7764451051977934, 9);
    expect(tQuantile(0.975, 9)).toBeCloseTo(2.262157162798205, 9);
    expect(tQuantile(0.995, 9)).toBeCloseTo(3.249835541592126, 9);
    expect(tQuantile(0.995, 2)).toBeCloseTo(9.924843200918287, 8);
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262157162798205, 9);
    expect(tSf(2.5, 7)).toBeCloseTo(0.020496109292876444, 12);
  });
  it('normal quantiles and CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 12);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 9);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 14);
    expect(normalCdf(1.5)).toBeCloseTo(0.9331927987311419, 14);
  });
});

describe('Wilcoxon signed-rank and Hodges–Lehmann', () => {
  const d = [0.12, -0.03, 0.08, 0.21, 0.05, 0.15, -0.07, 0.11, 0.09, 0.18];

  it('exact p-value (scipy.stats.wilcoxon(d, method="exact") = 0.013671875)', () => {
    const r = wilcoxonSignedRank(d);
    expect(r.method).toBe('exact');
    expect(r.t_plus).toBe(51);
    expect(r.p_value).toBeCloseTo(0.013671875, 12);
  });

  it('normal approximation with ties and zeros (scipy approx, correction=True: 0.017776923842428925)', () => {
    const r = wilcoxonSignedRank([1, 2, 2, 3, -1, 4, 0, 5, 3, 2, 6, -2]);
    expect(r.method).toBe('asymptotic');
    expect(r.n_nonzero).toBe(11);
    expect(r.p_value).toBeCloseTo(0.017776923842428925, 10);
  });

  it('null distribution: n = 10, P(T+ ≤ 8) = 25/1024 (the tabled 5 % critical value)', () => {
    const cdf = signedRankCdf(10);
    expect(cdf[8]! * 1024).toBeCloseTo(25, 9);
    expect(cdf[55]).toBeCloseTo(1, 12);
  });

  it('HL estimate = median of Walsh averages; 95 % interval = 9th smallest and 9th largest for n = 10', () => {
    const w = walshAverages(d);
    expect(w).toHaveLength(55);
    const hl = hodgesLehmann(d, 0.05);
    expect(hl.estimate).toBeCloseTo(0.095, 12);
    expect(hl.low).toBeCloseTo(0.025, 12);
    expect(hl.high).toBeCloseTo(0.15, 12);
    expect(hl.coverage).toBeCloseTo(1 - 50 / 1024, 12);
    expect(hl.attainable).toBe(true);
  });

  it('too few pairs for the level: no attainable interval (n = 5 cannot reach 95 %)', () => {
    const hl = hodgesLehmann([0.1, 0.2, 0.3, 0.4, 0.5], 0.05);
    expect(hl.attainable).toBe(false);
    expect(hl.low).toBeCloseTo(0.1, 12);
    expect(hl.high).toBeCloseTo(0.5, 12);
  });
});

describe('verdictOf at its boundaries (τ = 0.1)', () => {
  const tau = 0.1;
  it('regression / improvement need the interval off 0 and the estimate past τ', () => {
    expect(verdictOf(0.1001, 0.0001, 0.2, tau)).toBe('regression');
    expect(verdictOf(0.1, 0.0001, 0.2, tau)).toBe('inconclusive');
    expect(verdictOf(0.15, 0, 0.3, tau)).toBe('inconclusive');
    expect(verdictOf(-0.1001, -0.2, -0.0001, tau)).toBe('improvement');
    expect(verdictOf(-0.15, -0.3, 0, tau)).toBe('inconclusive');
  });
  it('no-change needs the whole interval strictly inside ±τ; a significant small change is no-change', () => {
    expect(verdictOf(0, -0.0999, 0.0999, tau)).toBe('no-change');
    expect(verdictOf(0.05, 0.01, 0.0999, tau)).toBe('no-change');
    expect(verdictOf(0, -0.1, 0.05, tau)).toBe('inconclusive');
    expect(verdictOf(0.05, -0.01, 0.1, tau)).toBe('inconclusive');
  });
  it('samples to decide: today’s half-width over the gap, squared, times n', () => {
    // estimate 0.05 inside ±0.1, half-width 0.1: gap 0.05 → 4× the pairs
    expect(samplesToDecide(10, 0.05, -0.05, 0.15, tau)).toBe(40);
    // estimate past τ, interval touching 0: needs the lower end above 0 → gap = estimate
    expect(samplesToDecide(10, 0.2, -0.05, 0.45, tau)).toBe(Math.ceil(10 * (0.25 / 0.2) ** 2));
    expect(samplesToDecide(10, 0.1, -0.1, 0.3, tau)).toBe(40);
    // a zero-width interval cannot shrink
    expect(samplesToDecide(10, 0.2, 0.2, 0.2, tau)).toBeNull();
  });
});

describe('analyzePairs (one metric of an A/B session)', () => {
  it('ratio, interval and p on the log-ratios (pinned on the vector above)', async () => {
    const { analyzePairs } = await import('../src/analysis/paired.js');
    const d = [0.12, -0.03, 0.08, 0.21, 0.05, 0.15, -0.07, 0.11, 0.09, 0.18];
    const base = d.map(() => 2);
    const head = d.map((x) => 2 * Math.exp(x));
    const r = analyzePairs('w', 'execution_time', base, head, { threshold: 0.05, alpha: 0.05 });
    expect(r.ratio).toBeCloseTo(Math.exp(0.095), 10);
    expect(r.ci_low).toBeCloseTo(Math.exp(0.025), 10);
    expect(r.ci_high).toBeCloseTo(Math.exp(0.15), 10);
    expect(r.p_value).toBeCloseTo(0.013671875, 10);
    expect(r.pairs).toBe(10);
    // estimate 0.095 > ln 1.05 and the interval is above 0
    expect(r.verdict).toBe('regression');
    // at a 15 % threshold the same data cannot tell: estimate below τ, interval reaching past it;
    // half-width 0.0625 over the gap ln 1.15 − 0.095 → 20 pairs
    const at15 = analyzePairs('w', 'execution_time', base, head, { threshold: 0.15, alpha: 0.05 });
    expect(at15.verdict).toBe('inconclusive');
    expect(at15.pairs_to_decide).toBe(20);
    expect(at15.gated).toBe(true);
    // at 10 % the estimate sits on the threshold (0.095 vs 0.0953): no number of pairs is predictable
    expect(analyzePairs('w', 'execution_time', base, head, { threshold: 0.1, alpha: 0.05 }).pairs_to_decide).toBeNull();
    // at 20 % the whole interval is inside ±ln 1.2: no change
    expect(analyzePairs('w', 'execution_time', base, head, { threshold: 0.2, alpha: 0.05 }).verdict).toBe('no-change');
    expect(analyzePairs('w', 'cpu_usage', base, head).gated).toBe(false);
    // the default level is 1 %: the 99 % interval of n = 10 is the 4th smallest … 4th largest Walsh average
    const def = analyzePairs('w', 'execution_time', base, head, { threshold: 0.05 });
    expect(def.ci_low).toBeCloseTo(Math.exp(-0.01), 10);
    expect(def.ci_high).toBeCloseTo(Math.exp(0.18), 10);
    expect(def.verdict).toBe('inconclusive');
  });

  it('drops pairs with a missing side; CPU below one tick on both sides is no change, not 0/0', async () => {
    const { analyzePairs } = await import('../src/analysis/paired.js');
    const r = analyzePairs('w', 'execution_time', [1, null, 1, 1, 1, 1, 1], [1.01, 2, null, 0.99, 1, 1.02, 0.98]);
    expect(r.pairs).toBe(5);
    const cpu = analyzePairs('w', 'cpu_seconds', [0, 0, 0.01, 0, 0, 0, 0, 0], [0, 0.01, 0, 0, 0, 0, 0, 0]);
    expect(cpu.pairs).toBe(8);
    expect(cpu.verdict).toBe('no-change');
    expect(cpu.note).toMatch(/below the measurement resolution/);
    // one tick more is not below the resolution any more: the data decides (here: it cannot)
    const cpu2 = analyzePairs(
      'w',
      'cpu_seconds',
      [0.03, 0.03, 0.04, 0.03, 0.03, 0.03],
      [0.03, 0.05, 0.03, 0.04, 0.03, 0.03],
      { alpha: 0.05 },
    );
    expect(cpu2.note).toBeUndefined();
    // without a resolution a 0 on one side has no log-ratio
    expect(analyzePairs('w', 'memory_usage', [0, 1, 1], [1, 1, 1]).pairs).toBe(2);
    expect(analyzePairs('w', 'memory_usage', [], []).note).toMatch(/no pair/);
  });
});

describe('calibrationRow', () => {
  it('iteration CV, run-to-run CV and pairs needed from A/A data (pinned)', async () => {
    const { calibrationRow } = await import('../src/analysis/calibrate.js');
    const runs = [
      [1, 1.1, 0.9],
      [2, 2.2, 1.8],
    ];
    // log-ratios ±0.1 alternating: sample sd = 0.1·√(4/3)
    const pairs: Array<[number, number]> = [
      [1, Math.exp(0.1)],
      [1, Math.exp(-0.1)],
      [1, Math.exp(0.1)],
      [1, Math.exp(-0.1)],
    ];
    const r = calibrationRow('execution_time', runs, pairs);
    expect(r.iteration_cv_pct).toBeCloseTo(10, 9);
    // medians 1 and 2: sd 0.7071 / mean 1.5
    expect(r.run_cv_pct).toBeCloseTo((Math.SQRT1_2 / 1.5) * 100, 9);
    const sd = 0.1 * Math.sqrt(4 / 3);
    expect(r.pair_log_sd).toBeCloseTo(sd, 12);
    const z = 1.959963984540054 + 1.2815515655446004;
    expect(r.pairs_needed['10%']).toBe(Math.ceil(((z * sd) / Math.log(1.1)) ** 2 / 0.955));
    expect(r.pairs_needed['20%']).toBe(Math.max(6, Math.ceil(((z * sd) / Math.log(1.2)) ** 2 / 0.955)));
    expect(r.pairs).toBe(4);
    expect(r.history_gate_mde_pct).toBeGreaterThan(10);
  });
});
