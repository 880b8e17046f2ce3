import { describe, expect, it } from 'vitest';
import { describe as describeValues, type Run } from '@lanebench/core';
import { legacyResult, providerResult, statistics } from '../src/tinybench.js';

function runWith(times: number[], failed = 0): Run {
  const iterations = [
    ...times.map((t, i) => ({ index: i + 1, status: 'passed', execution_time: t })),
    ...Array.from({ length: failed }, (_, i) => ({
      index: times.length + i + 1,
      status: 'failed',
      execution_time: 99,
    })),
  ];
  return { iterations } as unknown as Run;
}

describe('tinybench-shaped results', () => {
  it('computes latency statistics in milliseconds from passed iterations only', () => {
    const result = providerResult('build', runWith([0.1, 0.2, 0.3, 0.4], 1), false);
    expect(result.name).toBe('build');
    expect(result.state).toBe('completed');
    expect(result.latency.samplesCount).toBe(4);
    expect(result.latency.mean).toBeCloseTo(250);
    expect(result.latency.min).toBeCloseTo(100);
    expect(result.latency.max).toBeCloseTo(400);
    expect(result.latency.p50).toBeCloseTo(250);
    expect(result.latency.p75).toBeCloseTo(325); // linear interpolation, as core's percentile
    expect(result.latency.sd).toBeCloseTo(129.0994, 3); // sample stdev (n − 1)
    expect(result.latency.samples).toBeUndefined();
    expect(result.totalTime).toBeCloseTo(1000);
    expect(result.period).toBeCloseTo(250);
  });

  it("agrees with core's describe on the figures both compute", () => {
    const values = [12.5, 3, 7.25, 40, 9, 9, 15.5];
    const s = statistics(values);
    const d = describeValues(values);
    expect([s.mean, s.p50, s.sd, s.min, s.max, s.p99]).toEqual([d.mean, d.median, d.stdev, d.min, d.max, d.p99]);
    expect(s.variance).toBeCloseTo(d.stdev ** 2, 12);
  });

  it('keeps samples only when asked, and tolerates an empty run', () => {
    expect(statistics([3, 1, 2], true).samples).toEqual([1, 2, 3]);
    expect(statistics([]).samplesCount).toBe(0);
  });

  it("fills Vitest 4's benchmark result (hz from the mean)", () => {
    const legacy = legacyResult('build', runWith([0.5, 0.5]));
    expect(legacy.hz).toBeCloseTo(2);
    expect(legacy.sampleCount).toBe(2);
    expect(legacy.median).toBeCloseTo(500);
    expect(legacy.rme).toBe(0);
  });
});
