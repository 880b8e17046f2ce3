// The one builder of synthetic Run records for the tests and scripts/bench-reports.mjs. Plain ESM, so child
// processes started with `node` use it as well as Vitest test files; core's statistics and SLA evaluation are
// TypeScript here, so a caller that wants them passes `analyze` (packages/core/test/fixtures/runs.ts does).
import { prng } from './prng.mjs';

export { prng };

/** A CI machine as metrics.json records one. */
export const TEST_ENV = {
  os: 'Linux',
  platform: 'linux',
  arch: 'x64',
  kernel: '6.1.0-18-amd64',
  cpu_model: 'AMD EPYC 7763 64-Core Processor',
  logical_cores: 4,
  memory_total_mb: 16_000,
  node_version: 'v20.19.0',
  runner: 'vitest',
  runner_version: '4.1.12',
  ci_provider: 'github-actions',
  hostname: 'runner-1',
  fingerprint: 'fp-4c16g-node20',
};

const MEASURED = {
  execution_time: 'hrtime',
  cpu: 'proc-stat-reaped',
  memory: 'proc-vmhwm+rss-sum-sampled',
  disk: 'proc-io',
  network: 'proc-net-dev',
  network_scope: 'network-namespace',
  sample_interval_ms: 250,
};

const SYNTHETIC = {
  execution_time: 'hrtime',
  cpu: 'synthetic',
  memory: 'synthetic',
  disk: 'synthetic',
  network: 'unavailable',
  network_scope: 'unavailable',
  sample_interval_ms: 100,
};

const METRICS_ZERO = {
  execution_time: 0,
  cpu_seconds: 0,
  cpu_usage: 0,
  memory_usage: 0,
  disk_read_bytes: 0,
  disk_write_bytes: 0,
  disk_io: 0,
  network_rx_bytes: 0,
  network_tx_bytes: 0,
  network_io: 0,
  network_loopback_bytes: 0,
};

let counter = 0;

/** A measured-looking iteration around the given values: disk and network traffic, a CPU/memory timeline. */
function drawnIteration(index, spec, startedAt, rand, cores, points) {
  const cpu_seconds = (spec.cpu_usage / 100) * spec.execution_time * cores;
  const disk_read = Math.round(20e6 + rand() * 5e6);
  const disk_write = Math.round(8e6 + rand() * 2e6);
  const rx = Math.round(1e5 + rand() * 1e4);
  const tx = Math.round(5e4 + rand() * 1e4);
  const timeline = Array.from({ length: points }, (_, i) => {
    const t = (spec.execution_time * i) / Math.max(points - 1, 1);
    const ramp = Math.min(1, (i + 1) / 10);
    return {
      t: Math.round(t * 1000) / 1000,
      cpu: Math.max(0, spec.cpu_usage * (0.7 + 0.6 * rand())),
      mem: Math.max(1, spec.memory_usage * ramp * (0.85 + 0.15 * rand())),
    };
  });
  const it = {
    index,
    status: spec.status ?? 'passed',
    started_at: startedAt.toISOString(),
    exit_code: spec.status === 'failed' ? 1 : spec.status === 'timeout' ? null : 0,
    signal: spec.status === 'timeout' ? 'SIGKILL' : null,
    execution_time: spec.execution_time,
    cpu_seconds,
    cpu_usage: spec.cpu_usage,
    memory_usage: spec.memory_usage,
    disk_read_bytes: disk_read,
    disk_write_bytes: disk_write,
    disk_io: disk_read + disk_write,
    network_rx_bytes: rx,
    network_tx_bytes: tx,
    network_io: rx + tx,
    custom: {},
    methods: MEASURED,
    timeline,
  };
  if (spec.error !== undefined) it.error = spec.error;
  return it;
}

/** An iteration with exactly the given values (the rest zero), no timeline. */
function givenIteration(index, input, cores) {
  const cpuUsage = input.cpu_usage ?? 25;
  return {
    ...METRICS_ZERO,
    index,
    status: input.status ?? 'passed',
    started_at: new Date(0).toISOString(),
    exit_code: input.status === 'failed' ? 1 : input.status === 'timeout' ? null : 0,
    signal: null,
    execution_time: input.execution_time,
    cpu_usage: cpuUsage,
    cpu_seconds: (cpuUsage / 100) * input.execution_time * cores,
    memory_usage: input.memory_usage ?? 100,
    disk_io: input.disk_io ?? 0,
    disk_read_bytes: input.disk_io ?? 0,
    custom: input.custom ?? {},
    methods: SYNTHETIC,
    timeline: [],
  };
}

/**
 * A complete Run (see runs.d.mts for the options). `iterations` is either a count, drawn around exec/memory/cpu
 * (± spread, seeded), or the list of each iteration's values. Deterministic for a given seed and call order.
 */
export function makeRun(spec = {}) {
  counter++;
  const lane = spec.lane ?? 'docs';
  const cores = spec.cores ?? TEST_ENV.logical_cores;
  const start = spec.startedAt ? new Date(spec.startedAt) : new Date(Date.UTC(2026, 0, 15, 10) + counter * 60_000);
  const iterations = [];
  let t = start.getTime();
  if (Array.isArray(spec.iterations)) {
    spec.iterations.forEach((input, i) => iterations.push(givenIteration(i + 1, input, cores)));
  } else {
    const rand = prng(spec.seed ?? counter);
    const n = spec.iterations ?? 5;
    const spread = spec.spread ?? 0.05;
    const exec = spec.exec ?? 1;
    const memory = spec.memory ?? 100;
    const cpu = spec.cpu ?? 20;
    for (let i = 0; i < n; i++) {
      const base = {
        execution_time: Math.round(exec * (1 - spread + 2 * spread * rand()) * 1000) / 1000,
        memory_usage: Math.round(memory * (0.9 + 0.1 * rand()) * 10) / 10,
        cpu_usage: Math.round(cpu * (0.9 + 0.2 * rand()) * 100) / 100,
      };
      const it = drawnIteration(
        i + 1,
        { ...base, ...spec.override?.[i] },
        new Date(t),
        rand,
        cores,
        spec.timeline ?? 60,
      );
      iterations.push(it);
      t += it.execution_time * 1000;
    }
  }
  const n = iterations.length;
  const failed = iterations.filter((i) => i.status !== 'passed').length;
  const analysis = spec.analyze?.(iterations) ?? {};
  return {
    id: spec.id ?? `${start.toISOString().replace(/[:.]/g, '-')}-${lane}-${counter}`,
    lane,
    workflow: spec.workflow ?? 'build',
    ...(spec.file ? { file: spec.file } : {}),
    started_at: start.toISOString(),
    duration_s: Math.round((iterations.reduce((s, i) => s + i.execution_time, 0) + 0.4) * 1000) / 1000,
    iterations_requested: n,
    warmup: 0,
    timeout_s: 300,
    status: spec.status ?? (failed === 0 ? 'completed' : failed === n ? 'failed' : 'partial'),
    iterations,
    metrics_analysis: analysis.metrics_analysis ?? {},
    sla: analysis.sla ?? { compliant: true, strict: false, passed: true, violations: [], checked: 0 },
    custom_units: {},
    env: { ...TEST_ENV, logical_cores: cores, ...(spec.fingerprint ? { fingerprint: spec.fingerprint } : {}) },
    git: {
      sha: spec.sha === undefined ? '3f9c2a1b7d4e5f60718293a4b5c6d7e8f9012345' : spec.sha,
      branch: 'main',
      dirty: false,
    },
    runner: { name: 'vitest', version: '4.1.12' },
    notes: n < 20 ? [`p95 and p99 from ${n} samples are interpolated (p95 needs ≥ 20, p99 ≥ 100)`] : [],
  };
}

const LANES = ['docs', 'standard', 'heavy'];

/** A history of `count` runs over the three default lanes, one minute apart, each lane at its own pace. */
export function makeHistory(count, opts = {}) {
  const runs = [];
  for (let i = 0; i < count; i++) {
    const lane = opts.lane ?? LANES[i % 3];
    runs.push(
      makeRun({
        exec: { docs: 60, standard: 300, heavy: 600 }[lane] ?? 30,
        spread: 0.1,
        memory: 350,
        cpu: 40,
        workflow: `${lane} workflow`,
        seed: i + 1,
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
        ...opts,
        lane,
      }),
    );
  }
  return { schema_version: 1, runs };
}
