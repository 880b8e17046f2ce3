import { describe, expect, it } from 'vitest';
import { changePointsOf, detectChangePoints } from '../src/analysis/changepoints.js';
import { makeRun, normal, prng } from './analysis-fixtures.js';

const series = (seed: number, parts: Array<[number, number, number]>): number[] => {
  const draw = normal(prng(seed));
  return parts.flatMap(([n, mean, sd]) => Array.from({ length: n }, () => draw(mean, sd)));
};

describe('E-divisive change points', () => {
  it('finds one step where it is (30 runs at 100, 30 at 115, noise sd 2)', () => {
    const cps = detectChangePoints(
      series(1, [
        [30, 100, 2],
        [30, 115, 2],
      ]),
    );
    expect(cps.map((c) => c.index)).toEqual([30]);
    expect(cps[0]!.p_value).toBeLessThanOrEqual(0.001);
  });

  it('finds two breaks (a staircase 100 → 115 → 130)', () => {
    const cps = detectChangePoints(
      series(2, [
        [20, 100, 3],
        [20, 115, 3],
        [20, 130, 3],
      ]),
    );
    expect(cps.map((c) => c.index)).toEqual([20, 40]);
  });

  it('a step up and back down: found once each side is searched (binary segmentation limit, docs/ANALYSIS.md)', () => {
    const x = series(2, [
      [20, 100, 3],
      [20, 125, 3],
      [20, 100, 3],
    ]);
    // over the whole series no single split reaches p ≤ 0.001 (p ≈ 0.003); the first 40 runs show the step
    expect(detectChangePoints(x)).toEqual([]);
    expect(detectChangePoints(x.slice(0, 40)).map((c) => c.index)).toEqual([20]);
  });

  it('finds a +8 % shift that no single-run gate at ±10 % would flag', () => {
    const cps = detectChangePoints(
      series(3, [
        [25, 100, 2],
        [25, 108, 2],
      ]),
    );
    expect(cps).toHaveLength(1);
    expect(Math.abs(cps[0]!.index - 25)).toBeLessThanOrEqual(1);
  });

  it('finds nothing in pure noise (20 seeded series of 60 runs) nor in a short series', () => {
    let found = 0;
    for (let seed = 100; seed < 120; seed++) found += detectChangePoints(series(seed, [[60, 100, 5]])).length;
    expect(found).toBe(0);
    expect(detectChangePoints([1, 2, 3, 10, 11])).toEqual([]);
  });

  it('is deterministic and honours alpha: p is (1 + beats) / 1000', () => {
    const x = series(4, [
      [10, 100, 5],
      [10, 110, 5],
    ]);
    expect(detectChangePoints(x)).toEqual(detectChangePoints(x));
    const loose = detectChangePoints(x, { alpha: 0.05 });
    for (const c of loose) expect(Number.isInteger(c.p_value * 1000)).toBe(true);
  });

  it('changePointsOf reports run id, date, sha and the medians before → after', () => {
    const draw = normal(prng(5));
    const runs = Array.from({ length: 24 }, (_, i) =>
      makeRun({
        id: `run${i}`,
        sha: `sha${i}`,
        startedAt: new Date(Date.UTC(2025, 0, 1 + i)).toISOString(),
        iterations: [0, 1, 2].map(() => ({ execution_time: draw(i < 12 ? 10 : 13, 0.2) })),
      }),
    );
    const [cp, ...rest] = changePointsOf(runs, 'docs', 'build', 'execution_time');
    expect(rest).toEqual([]);
    expect(cp).toMatchObject({ lane: 'docs', workflow: 'build', metric: 'execution_time', run_id: 'run12' });
    expect(cp!.started_at).toBe('2025-01-13T00:00:00.000Z');
    expect(cp!.git_sha).toBe('sha12');
    expect(cp!.before).toBeCloseTo(10, 0);
    expect(cp!.after).toBeCloseTo(13, 0);
  });
});
