/** Synthetic runs for analysis/recommend tests: a seeded PRNG and a Run builder with realistic fields. */
import { METRIC_KEYS, type Iteration, type Run } from '../src/types.js';
import { prng } from '../../../test/helpers/prng.mjs';

export { prng };

/** Normal variates by Box-Muller. */
export function normal(rand: () => number): (mean: number, sd: number) => number {
  return (mean, sd) => {
    const u = 1 - rand();
    const v = rand();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

export interface IterationInput {
  execution_time: number;
  cpu_usage?: number;
  memory_usage?: number;
  disk_io?: number;
  status?: Iteration['status'];
  custom?: Record<string, number>;
}

let counter = 0;

export function makeRun(opts: {
  lane?: string;
  workflow?: string;
  id?: string;
  started_at?: string;
  iterations: IterationInput[];
  fingerprint?: string;
  cores?: number;
  sha?: string | null;
  status?: Run['status'];
}): Run {
  const cores = opts.cores ?? 4;
  const iterations: Iteration[] = opts.iterations.map((it, i) => {
    const cpuUsage = it.cpu_usage ?? 25;
    const base = Object.fromEntries(METRIC_KEYS.map((k) => [k, 0])) as Record<(typeof METRIC_KEYS)[number], number>;
    return {
      ...base,
      index: i + 1,
      status: it.status ?? 'passed',
      started_at: new Date(0).toISOString(),
      execution_time: it.execution_time,
      cpu_usage: cpuUsage,
      cpu_seconds: (cpuUsage / 100) * it.execution_time * cores,
      memory_usage: it.memory_usage ?? 100,
      disk_io: it.disk_io ?? 0,
      disk_read_bytes: it.disk_io ?? 0,
      custom: it.custom ?? {},
      methods: {
        execution_time: 'hrtime',
        cpu: 'synthetic',
        memory: 'synthetic',
        disk: 'synthetic',
        network: 'unavailable',
        network_scope: 'unavailable',
        sample_interval_ms: 100,
      },
      timeline: [],
    };
  });
  counter++;
  const lane = opts.lane ?? 'docs';
  return {
    id: opts.id ?? `run-${counter}`,
    lane,
    workflow: opts.workflow ?? 'build',
    started_at: opts.started_at ?? new Date(Date.UTC(2025, 0, 1) + counter * 60_000).toISOString(),
    duration_s: iterations.reduce((s, it) => s + it.execution_time, 0),
    iterations_requested: iterations.length,
    warmup: 0,
    timeout_s: 300,
    status: opts.status ?? 'completed',
    iterations,
    metrics_analysis: {},
    sla: { compliant: true, strict: false, passed: true, violations: [], checked: 0 },
    custom_units: {},
    env: {
      os: 'Linux',
      platform: 'linux',
      arch: 'x64',
      kernel: '6.1',
      cpu_model: 'Test CPU',
      logical_cores: cores,
      memory_total_mb: 8192,
      node_version: 'v20.20.2',
      runner: 'test',
      runner_version: null,
      ci_provider: null,
      hostname: 'test',
      fingerprint: opts.fingerprint ?? 'fp-a',
    },
    git: { sha: opts.sha ?? null, branch: null, dirty: null },
    runner: { name: 'test', version: null },
    notes: [],
  };
}

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
