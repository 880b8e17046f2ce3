/**
 * The one four-valued verdict rule (docs/ANALYSIS.md), shared by the run-level history gate and paired A/B.
 *
 * Inputs are on the log scale: an estimate d of log(candidate/baseline), an interval [low, high] around it, and the
 * threshold τ = log(1 + threshold). "Lower is better" for every metric.
 * - regression:  low > 0 and d > τ   (the change is real AND its best estimate is larger than the threshold)
 * - improvement: high < 0 and d < −τ
 * - no-change:   −τ < low and high < τ (whatever the change is, it is smaller than the threshold)
 * - inconclusive: anything else (the interval straddles a boundary that matters)
 * Requiring only the point estimate, not the whole interval, to pass τ keeps the detection power of a 10 pair A/B
 * for a +20 % change; requiring the interval to exclude 0 bounds the false-alarm rate by α/2 even when the noise is
 * as large as the threshold (docs/ANALYSIS.md has the measured rates).
 */
export type Verdict = 'regression' | 'improvement' | 'no-change' | 'inconclusive';

export function verdictOf(estimate: number, low: number, high: number, tau: number): Verdict {
  if (low > 0 && estimate > tau) return 'regression';
  if (high < 0 && estimate < -tau) return 'improvement';
  if (low > -tau && high < tau) return 'no-change';
  return 'inconclusive';
}

/** Upper bound on what "how many more" may say; beyond it the answer is "more than this". */
export const MAX_PAIRS_ESTIMATE = 10_000;

/**
 * Total sample size (pairs, or runs) at which an interval of today's width, shrinking as 1/√n, would decide an
 * inconclusive verdict: the decision nearest the estimate is reached when the half-width falls below the gap
 * between the estimate and the boundary it has to clear. null when the estimate sits on the boundary.
 */
export function samplesToDecide(n: number, estimate: number, low: number, high: number, tau: number): number | null {
  const half = (high - low) / 2;
  const gap = estimate >= tau ? estimate : estimate <= -tau ? -estimate : tau - Math.abs(estimate);
  if (!(gap > 0) || !(half > 0)) return null;
  const needed = Math.ceil(n * (half / gap) ** 2);
  return needed > MAX_PAIRS_ESTIMATE ? null : Math.max(n + 1, needed);
}

/**
 * Minimum detectable change in percent: the smallest true increase flagged 'regression' with the given power by
 * the rule above, for an estimate with standard error `se` and interval multiplier `critical` (low = d − critical·se):
 * the estimate must clear max(τ, critical·se), and it does so with probability `power` when the true change is
 * z_power·se above that.
 */
export function mdePct(se: number, critical: number, tau: number, zPower: number): number {
  return (Math.exp(Math.max(tau, critical * se) + zPower * se) - 1) * 100;
}

/** z of 90 % power (one-sided), the power every MDE in lanebench is stated at. */
export const Z_POWER_90 = 1.2815515655446004;
