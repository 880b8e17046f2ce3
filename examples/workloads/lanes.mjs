// The example lanes, shared by the Vitest and Jest examples (each example's lanebench.config.mjs
// adds only what differs). The SLAs are sized for the demo workloads on a 2-core machine, with wide
// margins because shared CI machines are noisy; the defaults in docs/configuration.md (docs: 300 s mean, …) are
// meant for real lanes.
export { commands, pagesBuilt } from './commands.cjs';

export const lanes = {
  docs: {
    iterations: 5,
    warmup: 1,
    timeout: '60s',
    // mean (warning), p95 and p99 (errors), peak memory of the process tree and mean CPU share of
    // the machine (warnings). The build takes 1–2 s on an idle 2-core machine.
    sla: { target: '8s', p95: '15s', p99: '20s', memory_max: '384MB', cpu_avg: '90%' },
    // k6-style thresholds on top of the SLA, here on the custom metric the workflow records
    thresholds: { pages_built: ['min >= 300'] },
    customMetrics: { pages_built: 'pages' },
  },
  standard: {
    iterations: 5,
    warmup: 1,
    timeout: '60s',
    // node --test over four test files: 1–2 s idle
    sla: { target: '8s', p95: '15s', p99: '20s', memory_max: '512MB', cpu_avg: '90%' },
  },
  heavy: {
    iterations: 3,
    warmup: 1,
    timeout: '90s',
    // two workers × ~150 MB, both cores busy: 2–3 s idle, ~450 MB for the tree
    sla: { target: '15s', p95: '30s', p99: '40s', memory_max: '1GB', cpu_avg: '100%' },
  },
};
