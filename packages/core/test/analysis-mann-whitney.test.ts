import { describe, expect, it } from 'vitest';
import { mannWhitneyU } from '../src/analysis/mann-whitney.js';

// Reference p-values computed with scipy 1.17.1: scipy.stats.mannwhitneyu(x, y, method=…)
// (two-sided; the asymptotic method uses the tie-corrected variance and a 0.5 continuity correction).
describe('mannWhitneyU', () => {
  it('matches the scipy documentation example (exact and asymptotic)', () => {
    const males = [19, 22, 16, 29, 24];
    const females = [20, 11, 17, 12];
    const exact = mannWhitneyU(males, females);
    expect(exact.method).toBe('exact');
    expect(exact.u).toBe(17);
    expect(exact.p_value).toBeCloseTo(0.1111111111111111, 12);
    const approx = mannWhitneyU(males, females, { method: 'asymptotic' });
    expect(approx.u).toBe(17);
    expect(approx.p_value).toBeCloseTo(0.11134688653314041, 6);
  });

  it('gives the exact p-value of completely separated samples', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    const r = mannWhitneyU(x, y);
    expect(r.u).toBe(0);
    // 2 / C(20, 10)
    expect(r.p_value).toBeCloseTo(1.082508822446903e-5, 15);
    expect(mannWhitneyU(x, y, { method: 'asymptotic' }).p_value).toBeCloseTo(0.00018267179110955002, 7);
  });

  it('applies the tie correction', () => {
    const r = mannWhitneyU([1, 2, 2, 3, 3, 3, 4], [3, 4, 4, 5, 5, 6]);
    expect(r.method).toBe('asymptotic');
    expect(r.u).toBe(3.5);
    expect(r.p_value).toBeCloseTo(0.012999854364387305, 6);
    const r2 = mannWhitneyU(
      [1.1, 2.3, 0.5, 4.4, 3.2, 2.2, 1.9, 0.7, 5.5, 3.3, 2.8, 1.4],
      [2.5, 3.6, 4.7, 5.1, 6.2, 3.9, 4.4, 5.8, 6.6, 7.1, 2.9, 3.0],
    );
    expect(r2.u).toBe(20.5);
    expect(r2.p_value).toBeCloseTo(0.003228224514290218, 6);
  });

  it('is exact up to 25 values per side', () => {
    const a = Array.from({ length: 25 }, (_, i) => i * 1.3 + 0.1);
    const b = Array.from({ length: 25 }, (_, i) => i * 1.1 + 3.05);
    const r = mannWhitneyU(a, b);
    expect(r.method).toBe('exact');
    expect(r.u).toBe(302);
    expect(r.p_value).toBeCloseTo(0.8475171866437983, 10);
  });

  it('is symmetric and returns 1 when every value is equal', () => {
    const x = [5, 7, 9, 11];
    const y = [6, 8, 30, 40, 50];
    expect(mannWhitneyU(x, y).p_value).toBeCloseTo(mannWhitneyU(y, x).p_value, 12);
    expect(mannWhitneyU([3, 3, 3], [3, 3, 3]).p_value).toBe(1);
  });

  it('rejects empty or non-finite samples', () => {
    expect(() => mannWhitneyU([], [1])).toThrow(RangeError);
    expect(() => mannWhitneyU([1, Number.NaN], [1])).toThrow(/finite/);
  });
});
