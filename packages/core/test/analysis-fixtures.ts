/** Synthetic runs for analysis/recommend tests: a seeded PRNG, normal variates and runs of drawn samples. */
import type { Run } from '../src/types.js';
import { makeRun, prng, type IterationInput } from '../../../test/helpers/runs.mjs';

export { prng, type IterationInput };

/** Normal variates by Box-Muller. */
export function normal(rand: () => number): (mean: number, sd: number) => number {
  return (mean, sd) => {
    const u = 1 - rand();
    const v = rand();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** Runs with exactly the given iteration values: the shared test Run (no statistics, a passed SLA). */
export { makeRun };

/** A run whose execution times are drawn from N(mean, (cv·mean)²). */
export function sampledRun(
  draw: (m: number, sd: number) => number,
  mean: number,
  cv: number,
  n: number,
  extra: Parameters<typeof makeRun>[0] extends infer O ? Omit<O, 'iterations'> : never = {},
): Run {
  return makeRun({
    ...extra,
    iterations: Array.from({ length: n }, () => ({ execution_time: draw(mean, cv * mean) })),
  });
}
