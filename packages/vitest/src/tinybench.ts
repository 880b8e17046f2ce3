/**
 * Vitest prints and stores benchmark results in tinybench's shape. These build that shape from a
 * Run's measured iterations (latency in milliseconds, as tinybench reports it) so the built-in
 * tables show the real workflow times.
 */
import { describe, percentile, type Run } from '@lanebench/core';

/** tinybench 6 `Statistics` (Vitest 5 provider results). */
export interface TinybenchStatistics {
  aad: number;
  critical: number;
  df: number;
  mad: number;
  max: number;
  mean: number;
  min: number;
  moe: number;
  p50: number;
  p75: number;
  p99: number;
  p995: number;
  p999: number;
  rme: number;
  samples: number[] | undefined;
  samplesCount: number;
  sd: number;
  sem: number;
  variance: number;
}

/** A Vitest 5 `BenchResult` as a provider must return it. */
export interface ProviderBenchResult {
  name: string;
  state: 'completed';
  latency: TinybenchStatistics;
  throughput: TinybenchStatistics;
  period: number;
  totalTime: number;
  runtime: 'node';
  runtimeVersion: string;
  timestampProviderName: string;
}

/** Vitest 4 `task.result.benchmark` as its bench reporter reads it. */
export interface LegacyBenchmarkResult {
  name: string;
  rank: number;
  rme: number;
  samples: number[];
  sampleCount: number;
  hz: number;
  min: number;
  max: number;
  mean: number;
  median: number;
  p75: number;
  p99: number;
  p995: number;
  p999: number;
  sd: number;
  variance: number;
  sem: number;
  moe: number;
  totalTime: number;
  period: number;
}

/** Two-sided 95 % Student t critical values for small degrees of freedom; 1.96 beyond. */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function latenciesMs(run: Run): number[] {
  return run.iterations.filter((i) => i.status === 'passed').map((i) => i.execution_time * 1000);
}

/**
 * tinybench's statistics of `values` (milliseconds or operations per second). Mean, median, standard
 * deviation (n − 1) and extremes are core's `describe`, the extra percentiles core's `percentile`, so
 * Vitest's tables agree with lanebench's own reports; only the confidence figures are tinybench's.
 */
export function statistics(values: number[], retainSamples = false): TinybenchStatistics {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) {
    return {
      aad: 0,
      critical: 0,
      df: 0,
      mad: 0,
      max: 0,
      mean: 0,
      min: 0,
      moe: 0,
      p50: 0,
      p75: 0,
      p99: 0,
      p995: 0,
      p999: 0,
      rme: 0,
      samples: retainSamples ? [] : undefined,
      samplesCount: 0,
      sd: 0,
      sem: 0,
      variance: 0,
    };
  }
  const { mean, median, stdev, min, max, p99 } = describe(sorted);
  const sem = stdev / Math.sqrt(n);
  const df = n - 1;
  const critical = T_95[Math.max(df, 1) - 1] ?? 1.96;
  const moe = sem * critical;
  const deviations = sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  return {
    aad: sorted.reduce((a, v) => a + Math.abs(v - mean), 0) / n,
    critical,
    df,
    mad: percentile(deviations, 50),
    max,
    mean,
    min,
    moe,
    p50: median,
    p75: percentile(sorted, 75),
    p99,
    p995: percentile(sorted, 99.5),
    p999: percentile(sorted, 99.9),
    rme: mean === 0 ? Infinity : (100 * moe) / Math.abs(mean),
    samples: retainSamples ? sorted : undefined,
    samplesCount: n,
    sd: stdev,
    sem,
    variance: stdev ** 2,
  };
}

export function providerResult(name: string, run: Run, retainSamples: boolean): ProviderBenchResult {
  const latencies = latenciesMs(run);
  const latency = statistics(latencies, retainSamples);
  const throughput = statistics(
    latencies.map((ms) => (ms > 0 ? 1000 / ms : 0)),
    retainSamples,
  );
  const totalTime = latencies.reduce((a, b) => a + b, 0);
  return {
    name,
    state: 'completed',
    latency,
    throughput,
    period: latency.mean,
    totalTime,
    runtime: 'node',
    runtimeVersion: process.version,
    timestampProviderName: 'performanceNow',
  };
}

export function legacyResult(name: string, run: Run): LegacyBenchmarkResult {
  const s = statistics(latenciesMs(run));
  return {
    name,
    rank: 0,
    rme: Number.isFinite(s.rme) ? s.rme : 0,
    samples: [],
    sampleCount: s.samplesCount,
    hz: s.mean > 0 ? 1000 / s.mean : 0,
    min: s.min,
    max: s.max,
    mean: s.mean,
    median: s.p50,
    p75: s.p75,
    p99: s.p99,
    p995: s.p995,
    p999: s.p999,
    sd: s.sd,
    variance: s.variance,
    sem: s.sem,
    moe: s.moe,
    totalTime: s.mean * s.samplesCount,
    period: s.mean,
  };
}
