// lanebench configuration of this example, read by the Vitest plugin, the Jest reporter and the
// `lanebench` CLI alike. The SLAs are sized for the demo workloads on a 2-core machine, with wide
// margins because shared CI machines are noisy; the defaults of SPEC §3 (docs: 300 s mean, …)
// are meant for real lanes.
import { defineConfig } from '@lanebench/core';

export default defineConfig({
  // Both examples write to the repository root, so one dashboard shows every lane of both runners.
  outputDir: '../../.benchmark_results',
  lanes: {
    docs: {
      iterations: 5,
      warmup: 1,
      timeout: '60s',
      // mean 5 s (warning), p95 10 s and p99 12 s (errors), peak tree memory, machine CPU share
      sla: { target: '5s', p95: '10s', p99: '12s', memory_max: '384MB', cpu_avg: '90%' },
      // k6-style thresholds on top of the SLA, here on the custom metric the workflow records
      thresholds: { pages_built: ['min >= 300'] },
      customMetrics: { pages_built: 'pages' },
    },
    standard: {
      iterations: 5,
      warmup: 1,
      timeout: '60s',
      sla: { target: '5s', p95: '10s', p99: '12s', memory_max: '512MB', cpu_avg: '90%' },
    },
    heavy: {
      iterations: 3,
      warmup: 1,
      timeout: '90s',
      sla: { target: '10s', p95: '20s', p99: '25s', memory_max: '1GB', cpu_avg: '100%' },
    },
  },
});
