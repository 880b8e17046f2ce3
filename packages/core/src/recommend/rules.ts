/**
 * Recommendation rules: each reads the measured profile and returns a suggestion with the figures
 * that triggered it, or null. Priorities: 1 = most urgent. Time-saving advice becomes more urgent
 * the closer the lane's mean is to its target (≥ 80 % "near", ≥ 100 % "over").
 */
import type { Profile, Recommendation } from './types.js';

type Draft = Omit<Recommendation, 'lane' | 'workflow'>;
export type Rule = (p: Profile) => Draft | null;

const MB = 1024 * 1024;
const round1 = (v: number): number => Math.round(v * 10) / 10;
const clampPct = (v: number): number => Math.max(0, Math.min(95, Math.round(v)));

/** 'over' / 'near' / 'ok' against the lane's mean target. */
function urgency(p: Profile): 'over' | 'near' | 'ok' {
  if (!p.target) return 'ok';
  const ratio = p.exec_mean / p.target;
  return ratio >= 1 ? 'over' : ratio >= 0.8 ? 'near' : 'ok';
}

function targetEvidence(p: Profile): Record<string, number> {
  return p.target ? { target_s: p.target, target_ratio_pct: round1((p.exec_mean / p.target) * 100) } : {};
}

const failures: Rule = (p) => {
  if (p.failed === 0) return null;
  const total = p.failed + p.samples;
  return {
    id: 'fix-failures',
    title: 'Fix failing or timed-out iterations',
    priority: 1,
    description: `${p.failed} of ${total} iterations did not pass. Their figures are left out of the statistics, so the SLA verdict rests on fewer samples than requested.`,
    estimated_improvement_pct: clampPct((p.failed / total) * 100),
    effort: 'medium',
    steps: [
      'Read the error of each failed iteration in metrics.json (iterations[].error) or the JUnit report',
      'If iterations time out, raise the lane timeout or make the workflow finish within it',
      'Make the workflow idempotent: clean its output directory and temporary files at the start of each iteration',
    ],
    evidence: { metric: 'failed_iterations', failed_iterations: p.failed, iterations: total },
  };
};

function parallelSteps(p: Profile): string[] {
  const n = Math.max(2, p.cores);
  switch (p.lane) {
    case 'standard':
      return [
        `Run test files in parallel workers: Vitest \`--pool=threads --maxWorkers=${n}\`, Jest \`--maxWorkers=${n}\``,
        'Split the largest test files so every worker stays busy until the end',
        'Remove shared state between tests (fixed ports, temp paths, one database) so they can run concurrently',
      ];
    case 'heavy':
      return [
        `Run independent suites concurrently on this machine (up to ${n} at once)`,
        'When one machine is not enough, shard across CI machines (`--shard=i/N`) and combine results with `lanebench merge`',
        'Start shared services (databases, browsers) once per worker instead of once per test',
      ];
    case 'docs':
      return [
        "Enable the documentation generator's parallel or multi-threaded build option",
        'Run independent steps (API reference, site build, link check) concurrently',
        `Give the build ${n} workers and check that CPU use rises in the next run`,
      ];
    default:
      return [
        `Run independent steps concurrently (e.g. \`make -j${n}\`, \`npm-run-all --parallel\`, parallel CI jobs)`,
        'Find the longest sequential step in the timeline and split it',
      ];
  }
}

/** Low CPU share on a multi-core machine: the work is mostly sequential (or waiting). */
const parallelize: Rule = (p) => {
  if (p.cores < 2 || p.exec_mean < 5 || p.parallelism > p.cores * 0.5) return null;
  // parallelizing raises the CPU share; do not advise it beyond the lane's CPU budget
  if (p.cpu_limit !== undefined && p.cpu_usage_mean >= p.cpu_limit) return null;
  const u = urgency(p);
  const busy = Math.max(p.parallelism, 1);
  return {
    id: 'parallelize',
    title: p.lane === 'standard' ? 'Use parallel test workers' : 'Parallelize the workflow',
    priority: u === 'over' ? 1 : u === 'near' ? 2 : p.exec_mean >= 60 ? 3 : 4,
    description: `The workflow keeps on average ${round1(p.parallelism)} of ${p.cores} cores busy (${round1(p.cpu_usage_mean)}% of the machine) for ${round1(p.exec_mean)} s. Most of the machine is idle; running independent work concurrently shortens the wall time.`,
    // Amdahl-style discount: assume 60 % of the idle capacity can be put to work
    estimated_improvement_pct: clampPct((1 - busy / p.cores) * 60),
    effort: 'medium',
    steps: parallelSteps(p),
    evidence: {
      metric: 'execution_time',
      execution_time_mean_s: round1(p.exec_mean),
      cpu_usage_mean_pct: round1(p.cpu_usage_mean),
      busy_cores: round1(p.parallelism),
      logical_cores: p.cores,
      ...(p.cpu_limit !== undefined ? { cpu_limit_pct: p.cpu_limit } : {}),
      ...targetEvidence(p),
    },
  };
};

/** Fewer samples than this and a spread is not evidence of variance (the view model notes thin advice too). */
export const MIN_VARIANCE_SAMPLES = 5;

/** High coefficient of variation: the SLA verdict is noisy. Steps already applied are left out. */
const variance: Rule = (p) => {
  if (p.samples < MIN_VARIANCE_SAMPLES || p.exec_cv < 0.1) return null;
  // iterations for a ±5 % confidence interval of the mean at 95 %
  const needed = Math.min(100, Math.ceil(((1.96 * p.exec_cv) / 0.05) ** 2));
  const steps = ['Run the lane on an isolated or dedicated runner (no other jobs on the machine while it runs)'];
  if (p.warmup === 0)
    steps.push(
      'Add a warm-up iteration (`warmup: 1` in the lane config) so cold caches do not land in the measured set',
    );
  // network advice only when the run used the network (a measured 0 means it did not)
  if (p.network_io_mean !== undefined && p.network_io_mean > 0)
    steps.push(
      'Remove network access from the timed part: install dependencies and download fixtures before the workflow',
    );
  if (p.requested < needed)
    steps.push(
      `Raise iterations to about ${needed} for a ±5% confidence interval of the mean: \`lanebench run --lane ${p.lane} --iterations ${needed}\``,
    );
  return {
    id: 'reduce-variance',
    title: 'Reduce run-to-run variance',
    priority: p.exec_cv >= 0.25 ? 1 : p.exec_cv >= 0.15 ? 2 : 3,
    description: `Execution time varies by ${round1(p.exec_cv * 100)}% (coefficient of variation) across ${p.samples} iterations, so p95 (${round1(p.exec_p95)} s) sits well above the median (${round1(p.exec_median)} s) and SLA results are unstable.`,
    estimated_improvement_pct: clampPct(p.exec_p95 > 0 ? ((p.exec_p95 - p.exec_median) / p.exec_p95) * 100 : 0),
    effort: 'low',
    steps,
    evidence: {
      metric: 'execution_time',
      cv_pct: round1(p.exec_cv * 100),
      execution_time_mean_s: round1(p.exec_mean),
      execution_time_median_s: round1(p.exec_median),
      execution_time_p95_s: round1(p.exec_p95),
      samples: p.samples,
      warmup: p.warmup,
      iterations_requested: p.requested,
      recommended_iterations: needed,
      ...(p.network_io_mean !== undefined ? { network_io_mean_bytes: Math.round(p.network_io_mean) } : {}),
    },
  };
};

/** Peak memory near the lane's limit: risk of swapping or OOM kills. */
const memory: Rule = (p) => {
  if (!p.memory_limit || p.memory_max < p.memory_limit * 0.8) return null;
  const ratio = p.memory_max / p.memory_limit;
  return {
    id: 'reduce-memory',
    title: ratio >= 1 ? 'Peak memory exceeds the lane limit' : 'Peak memory is close to the lane limit',
    priority: ratio >= 1 ? 1 : ratio >= 0.9 ? 2 : 3,
    description: `The process tree peaked at ${round1(p.memory_max)} MB, ${round1(ratio * 100)}% of the ${p.memory_limit} MB limit. Near the limit, CI machines swap or kill processes, which shows up as slow or failed runs.`,
    // reduction needed to get back to 70 % of the limit
    estimated_improvement_pct: clampPct(Math.max(10, (1 - (0.7 * p.memory_limit) / p.memory_max) * 100)),
    effort: 'medium',
    steps: [
      'Find the peak in the memory timeline (HTML dashboard) and profile that step (`node --heap-prof`, `--inspect`)',
      p.lane === 'standard' || p.lane === 'heavy'
        ? 'Lower the number of parallel workers, or give each worker less (`--maxWorkers`, `NODE_OPTIONS=--max-old-space-size=…`)'
        : 'Cap the heap of Node processes (`NODE_OPTIONS=--max-old-space-size=…`) to surface leaks early',
      'Stream large files instead of loading them whole; release caches between steps',
      p.lane === 'heavy'
        ? 'Shard the lane across machines so each holds a part of the data'
        : 'Split the workflow so its steps do not hold memory at the same time',
    ],
    evidence: {
      metric: 'memory_usage',
      memory_max_mb: round1(p.memory_max),
      memory_limit_mb: p.memory_limit,
      memory_ratio_pct: round1(ratio * 100),
    },
  };
};

/** CPU share above the lane's budget. */
const cpuBudget: Rule = (p) => {
  if (p.cpu_limit === undefined || p.cpu_usage_mean <= p.cpu_limit) return null;
  return {
    id: 'reduce-cpu',
    title: 'CPU share above the lane budget',
    priority: 3,
    description: `The workflow uses ${round1(p.cpu_usage_mean)}% of the machine on average; the lane allows ${p.cpu_limit}%. Other jobs on a shared runner slow down, and so does this one when they compete.`,
    estimated_improvement_pct: clampPct((1 - p.cpu_limit / p.cpu_usage_mean) * 100),
    effort: 'medium',
    steps: [
      'Cache compilation and transpilation results between iterations and CI runs (e.g. TypeScript incremental builds, Vite cache)',
      'Remove busy waiting and polling loops; wait on events instead',
      'If the CPU use is intended, raise `cpu_avg` in the lane SLA or run the lane on a larger machine',
    ],
    evidence: {
      metric: 'cpu_usage',
      cpu_usage_mean_pct: round1(p.cpu_usage_mean),
      cpu_limit_pct: p.cpu_limit,
      cpu_seconds_mean: round1(p.cpu_seconds_mean),
    },
  };
};

/** Heavy disk I/O: caching or a faster disk helps. */
const diskCache: Rule = (p) => {
  const heavy = p.disk_io_mean >= 256 * MB || (p.exec_mean >= 1 && p.disk_rate >= 50 * MB);
  if (!heavy) return null;
  const u = urgency(p);
  const waiting = Math.max(0, 1 - p.parallelism); // share of wall time no core was busy
  return {
    id: 'cache-io',
    title: 'Cache what the workflow reads and writes',
    priority: u === 'over' ? 2 : u === 'near' ? 3 : 4,
    description: `Each iteration moves ${round1(p.disk_io_mean / MB)} MB through the disk (${round1(p.disk_rate / MB)} MB/s). Restoring dependencies and build outputs from a cache, or keeping them in memory, avoids most of it.`,
    estimated_improvement_pct: clampPct(Math.max(5, Math.min(40, waiting * 50))),
    effort: 'low',
    steps: [
      'Cache the package manager store between CI runs (e.g. actions/cache on ~/.npm or the pnpm store) instead of re-downloading and unpacking',
      p.lane === 'docs'
        ? "Persist the documentation generator's cache directory between runs"
        : 'Persist build caches (TypeScript .tsbuildinfo, Vite/Jest caches) between runs',
      'Write temporary output to tmpfs (/dev/shm) or an in-memory file system',
      'Avoid copying large fixtures per iteration; read them in place or generate them once',
    ],
    evidence: {
      metric: 'execution_time',
      disk_io_mean_mb: round1(p.disk_io_mean / MB),
      disk_rate_mb_s: round1(p.disk_rate / MB),
      busy_cores: round1(p.parallelism),
      ...targetEvidence(p),
    },
  };
};

/** Lane-specific advice once the mean is near or over the target. */
const laneAdvice: Rule = (p) => {
  const u = urgency(p);
  if (u === 'ok' || !p.target) return null;
  const priority = u === 'over' ? 2 : 3;
  const where = `The mean execution time is ${round1(p.exec_mean)} s, ${round1((p.exec_mean / p.target) * 100)}% of the ${p.target} s target.`;
  const evidence = { metric: 'execution_time', execution_time_mean_s: round1(p.exec_mean), ...targetEvidence(p) };
  switch (p.lane) {
    case 'docs':
      return {
        id: 'docs-incremental',
        title: 'Build the documentation incrementally',
        priority,
        description: `${where} Rebuilding only the pages that changed avoids most of the work on pull requests.`,
        estimated_improvement_pct: 40,
        effort: 'medium',
        steps: [
          "Enable the generator's incremental or cached build mode and keep its cache between CI runs",
          'On pull requests, build only the changed sections; run the full build on the main branch',
          'Check links of changed pages only; run the full link check nightly',
        ],
        evidence,
      };
    case 'standard':
      return {
        id: 'standard-affected-tests',
        title: 'Run only the tests affected by a change on pull requests',
        priority,
        description: `${where} Selecting tests by the changed files keeps pull-request runs short; the full lane still runs on the main branch.`,
        estimated_improvement_pct: 30,
        effort: 'low',
        steps: [
          'Vitest: `vitest run --changed origin/main`; Jest: `jest --changedSince=origin/main`',
          'Keep the full standard lane on the main branch and nightly',
          'Move slow integration tests to the heavy lane',
        ],
        evidence,
      };
    case 'heavy': {
      const shards = Math.max(2, Math.ceil(p.exec_mean / (0.8 * p.target)));
      return {
        id: 'heavy-sharding',
        title: `Shard the heavy lane across ${shards} machines`,
        priority,
        description: `${where} Splitting it across ${shards} CI machines brings each shard to about ${round1(p.exec_mean / shards)} s.`,
        estimated_improvement_pct: clampPct((1 - 1 / shards) * 100),
        effort: 'high',
        steps: [
          `Add a CI matrix of ${shards} jobs running \`vitest bench --shard=\${i}/${shards}\` or \`jest --shard=\${i}/${shards}\``,
          "Upload each shard's .benchmark_results and combine them with `lanebench merge shard-*/`",
          'Balance shards by duration (lanebench trends shows per-workflow times)',
        ],
        evidence: { ...evidence, shards },
      };
    }
    default:
      return {
        id: 'reduce-execution-time',
        title: u === 'over' ? 'Execution time is over the lane target' : 'Execution time is close to the lane target',
        priority,
        description: `${where} Profile the slowest steps before the lane fails its SLA.`,
        estimated_improvement_pct: clampPct((1 - (0.8 * p.target) / p.exec_mean) * 100),
        effort: 'medium',
        steps: [
          'Time each step of the workflow and start with the longest',
          'Cache or skip work that does not change between runs',
        ],
        evidence,
      };
  }
};

/** Execution time rising across runs on the same environment. */
const trendUp: Rule = (p) => {
  const ys = p.history_means;
  const n = ys.length;
  if (n < 4) return null;
  const xMean = (n - 1) / 2;
  const yMean = ys.reduce((s, v) => s + v, 0) / n;
  let num = 0;
  let den = 0;
  ys.forEach((y, x) => {
    num += (x - xMean) * (y - yMean);
    den += (x - xMean) ** 2;
  });
  const growth = yMean > 0 ? ((num / den) * (n - 1)) / yMean : 0;
  if (growth < 0.15) return null;
  return {
    id: 'trend-up',
    title: 'Execution time is trending up',
    priority: 2,
    description: `Over the last ${n} runs on this environment the mean execution time grew by about ${round1(growth * 100)}% (least-squares trend).`,
    estimated_improvement_pct: clampPct((growth / (1 + growth)) * 100),
    effort: 'medium',
    steps: [
      `Inspect the trend: lanebench trends --lane ${p.lane} --metric execution_time`,
      'Compare a good and a recent commit: lanebench compare <good-ref> HEAD',
      'Bisect the commits in between if the change is not obvious',
    ],
    evidence: {
      metric: 'execution_time',
      runs: n,
      growth_pct: round1(growth * 100),
      first_mean_s: round1(ys[0]!),
      last_mean_s: round1(ys[n - 1]!),
    },
  };
};

/** Too few samples to resolve p95: measurement advice, lowest priority; silent once iterations are already high. */
const moreIterations: Rule = (p) => {
  if (p.samples >= 20 || p.requested >= 20) return null;
  // the variance rule already advises more iterations (and how many) when it fires
  if (p.samples >= MIN_VARIANCE_SAMPLES && p.exec_cv >= 0.1) return null;
  return {
    id: 'more-iterations',
    title: 'Record more iterations to resolve p95',
    priority: 5,
    description: `p95 needs at least 20 samples to be resolved; this run has ${p.samples}. Reports mark the value as interpolated.`,
    // improves the measurement, not the workflow: reports print "not estimated"
    estimated_improvement_pct: 0,
    effort: 'low',
    steps: [
      `Run with more iterations: \`lanebench run --lane ${p.lane} --iterations 20\`, or judge p95 over the history window`,
    ],
    evidence: { metric: 'samples', samples: p.samples, iterations_requested: p.requested, needed: 20 },
  };
};

export const RULES: readonly Rule[] = [
  failures,
  parallelize,
  variance,
  memory,
  cpuBudget,
  diskCache,
  laneAdvice,
  trendUp,
  moreIterations,
];
