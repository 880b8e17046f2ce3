#!/usr/bin/env node
// Benchmarks of lanebench's analysis, reports and CLI (the sections of scripts/bench.mjs that are
// not about the measurement engine). scripts/bench.mjs imports SECTIONS from here; this file also
// runs alone and prints the same table:
//   node scripts/bench-reports.mjs [section …]
//
//   reports.scale     `lanebench analyze` and `lanebench report --output-format all` on synthetic
//                     histories of 1,000 and 10,000 runs: wall time and peak RSS (GNU time), and the
//                     10k/1k ratio (linear growth ≈ 10×); a per-stage breakdown in one process
//   cli.coldstart     `lanebench --help` and `lanebench analyze` on an empty directory vs `node -e 0`
//                     (hyperfine -N)
//   measure.gnutime   peak memory lanebench reports for a command vs GNU time's maximum resident set
//                     size of the same command (/usr/bin/time), one process and a two-process tree
//
// Synthetic runs (test/helpers/runs.mjs): 5 iterations with every metric, 20 timeline points
// per iteration (LANEBENCH_BENCH_TIMELINE), 3 lanes × 4 workflows: about 23 KB of metrics.json per run.
// LANEBENCH_BENCH_SIZES=1000,10000 sets the history sizes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSections } from './bench-table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'cli.js');
const CORE = join(ROOT, 'packages', 'core', 'dist', 'index.js');
const FIXTURE = join(ROOT, 'test', 'helpers', 'runs.mjs');
const HEAVY_JOB = join(ROOT, 'examples', 'workloads', 'scripts', 'heavy-job.mjs');
const NODE = process.execPath;
const SIZES = (process.env.LANEBENCH_BENCH_SIZES ?? '1000,10000').split(',').map(Number);
// timeline points per synthetic iteration (real runs keep up to 200; 0 = no timelines)
const TIMELINE = Number(process.env.LANEBENCH_BENCH_TIMELINE ?? 20);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}
const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs argv under GNU time; returns { wall_s, maxrss_mb, code }. Without GNU time: wall only.
 * GNU time's %M is the maximum resident set size in KB (getrusage ru_maxrss of the child; for a
 * tree, the largest single descendant, not a sum).
 */
function timed(argv, opts = {}) {
  if (GNU_TIME) {
    const r = spawnSync(GNU_TIME, ['-f', '__GNUTIME__ %e %M', ...argv], { encoding: 'utf8', ...opts });
    const m = /__GNUTIME__ ([\d.]+) (\d+)/.exec(r.stderr ?? '');
    if (!m) throw new Error(`GNU time output not found for ${argv.join(' ')}: ${r.stderr?.slice(-500)}`);
    return { wall_s: Number(m[1]), maxrss_mb: Number(m[2]) / 1024, code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', ...opts });
  return {
    wall_s: (performance.now() - t0) / 1000,
    maxrss_mb: NaN,
    code: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

/**
 * Writes a synthetic history of n runs into a new directory, serialized the way the history store
 * writes it (compact, timelines kept on the newest runs only); returns { dir, bytes }.
 */
async function syntheticHistory(n) {
  const { makeRun } = await import(pathToFileURL(FIXTURE).href);
  const core = await import(pathToFileURL(CORE).href);
  const dir = mkdtempSync(join(os.tmpdir(), `lanebench-bench-${n}-`));
  const runs = [];
  for (let i = 0; i < n; i++) {
    const lane = ['docs', 'standard', 'heavy'][i % 3];
    runs.push(
      makeRun({
        lane,
        workflow: `${lane} workflow ${Math.floor(i / 3) % 4}`,
        iterations: 5,
        exec: { docs: 60, standard: 300, heavy: 600 }[lane],
        spread: 0.1,
        seed: i + 1,
        startedAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
        timeline: TIMELINE,
        analyze: (iterations) => ({ metrics_analysis: core.analyzeIterations(iterations) }),
      }),
    );
  }
  const file = join(dir, core.HISTORY_FILE_NAME);
  writeFileSync(file, core.serializeHistory({ schema_version: 1, runs }));
  return { dir, bytes: statSync(file).size };
}

/** Child mode: the report pipeline stage by stage in one process; prints JSON timings. */
async function stagesChild(dir) {
  const core = await import(pathToFileURL(CORE).href);
  const lap = (() => {
    let t = performance.now();
    return () => {
      const now = performance.now();
      const d = now - t;
      t = now;
      return Math.round(d);
    };
  })();
  const ms = {};
  const history = (await core.readHistory(join(dir, core.HISTORY_FILE_NAME))).runs;
  ms.read = lap();
  for (const lane of ['docs', 'standard', 'heavy']) core.analyzeLane(history, lane);
  ms.analyze = lap();
  const latest = new Map();
  for (const r of history) latest.set(`${r.lane}\u0000${r.workflow}`, r);
  const runs = [...latest.values()];
  const regressions = runs.flatMap((r) => core.detectRegressions(r, history, {}));
  ms.regressions = lap();
  const config = core.resolveConfig(undefined, { root: dir });
  const recommendations = runs.flatMap((r) => core.recommend(r, config.lanes[r.lane], history));
  ms.recommend = lap();
  const input = { runs, history, regressions, recommendations, generated_at: new Date().toISOString() };
  for (const [name, fn] of [
    ['html', core.renderHtml],
    ['csv', core.renderCsv],
    ['junit', core.renderJunit],
    ['markdown', core.renderMarkdown],
  ]) {
    fn(input);
    ms[name] = lap();
  }
  const status = readFileSync('/proc/self/status', 'utf8');
  const hwm = /VmHWM:\s+(\d+)/.exec(status);
  process.stdout.write(JSON.stringify({ ms, hwm_mb: hwm ? Number(hwm[1]) / 1024 : null }));
}

export const SECTIONS = [
  {
    name: 'reports.scale',
    async run() {
      const rows = [];
      const results = {};
      for (const n of SIZES) {
        const { dir, bytes } = await syntheticHistory(n);
        try {
          rows.push({
            section: this.name,
            figure: `${n} runs: metrics.json size (${TIMELINE} timeline points per iteration)`,
            value: `${(bytes / 1048576).toFixed(1)} MB`,
          });
          for (const [label, args] of [
            ['lanebench analyze', ['analyze', '--output-dir', dir]],
            ['lanebench report --output-format all', ['report', '--output-format', 'all', '--output-dir', dir]],
          ]) {
            const samples = [];
            for (let i = 0; i < 3; i++) {
              const r = timed([NODE, CLI, ...args], { cwd: dir, maxBuffer: 1 << 30 });
              if (r.code !== 0) throw new Error(`${label} exited ${r.code}: ${r.stderr}`);
              samples.push(r);
            }
            const wall = median(samples.map((s) => s.wall_s));
            const rss = Math.max(...samples.map((s) => s.maxrss_mb));
            results[`${label}@${n}`] = { wall, rss };
            const big = n >= 10000;
            rows.push({
              section: this.name,
              figure: `${n} runs: ${label} (median of 3)`,
              value: `${wall.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB`,
              ...(big ? { target: '< 2 s and < 500 MB', ok: wall < 2 && rss < 500 } : {}),
            });
          }
          const child = spawnSync(NODE, [fileURLToPath(import.meta.url), '--stages', dir], {
            encoding: 'utf8',
            maxBuffer: 1 << 26,
          });
          if (child.status === 0) {
            const s = JSON.parse(child.stdout);
            rows.push({
              section: this.name,
              figure: `${n} runs: stages in one process (ms)`,
              value: `${Object.entries(s.ms)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ')}; VmHWM ${s.hwm_mb?.toFixed(0)} MB`,
            });
          } else {
            rows.push({
              section: this.name,
              figure: `${n} runs: stages`,
              value: `failed: ${child.stderr.slice(-300)}`,
            });
          }
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      if (SIZES.length === 2) {
        const [a, b] = SIZES;
        for (const label of ['lanebench analyze', 'lanebench report --output-format all']) {
          const x = results[`${label}@${a}`];
          const y = results[`${label}@${b}`];
          const timeRatio = y.wall / x.wall;
          const memRatio = y.rss / x.rss;
          rows.push({
            section: this.name,
            figure: `${label}: ${b}/${a} runs ratio (time, memory)`,
            value: `${timeRatio.toFixed(2)}×, ${memRatio.toFixed(2)}×`,
            target: `≤ ${((b / a) * 1.25).toFixed(1)}× (linear or better)`,
            ok: timeRatio <= (b / a) * 1.25 && memRatio <= (b / a) * 1.25,
          });
        }
      }
      return rows;
    },
  },
  {
    name: 'cli.coldstart',
    async run() {
      if (!has('hyperfine')) {
        return [
          {
            section: this.name,
            figure: 'hyperfine',
            value: 'not installed (apt-get install -y hyperfine)',
            target: 'installed',
            ok: false,
          },
        ];
      }
      const empty = mkdtempSync(join(os.tmpdir(), 'lanebench-bench-empty-'));
      const json = join(empty, '..', `${empty.split('/').pop()}.json`);
      try {
        const commands = [`${NODE} -e 0`, `${NODE} ${CLI} --help`, `${NODE} ${CLI} analyze`];
        execFileSync('hyperfine', ['-N', '--warmup', '3', '--runs', '30', '--export-json', json, ...commands], {
          cwd: empty,
          stdio: 'ignore',
        });
        const results = JSON.parse(readFileSync(json, 'utf8')).results;
        // medians: robust against the odd slow run on a shared machine
        const [base, help, analyze] = results.map((r) => median(r.times));
        return [
          {
            section: this.name,
            figure: '`node -e 0` (hyperfine -N, 30 runs, median)',
            value: `${(base * 1000).toFixed(1)} ms`,
          },
          {
            section: this.name,
            figure: '`lanebench --help`',
            value: `${(help * 1000).toFixed(1)} ms (${(help / base).toFixed(2)}× node -e 0)`,
            target: '< 3×',
            ok: help / base < 3,
          },
          {
            section: this.name,
            figure: '`lanebench analyze` in an empty directory',
            value: `${(analyze * 1000).toFixed(1)} ms (${(analyze / base).toFixed(2)}× node -e 0)`,
            target: '< 3×',
            ok: analyze / base < 3,
          },
        ];
      } finally {
        rmSync(empty, { recursive: true, force: true });
        rmSync(json, { force: true });
      }
    },
  },
  {
    name: 'measure.gnutime',
    async run() {
      if (!GNU_TIME) {
        return [
          {
            section: this.name,
            figure: 'GNU time',
            value: 'not installed (apt-get install -y time)',
            target: 'installed',
            ok: false,
          },
        ];
      }
      const core = await import(pathToFileURL(CORE).href);
      const opts = { timeout_s: 120, sampleIntervalMs: 50, iteration: 1, lane: 'bench', workflow: 'bench' };
      // 200 MB touched page by page, held 300 ms: one process
      const single = [NODE, '-e', 'const b = Buffer.alloc(200 * 1048576, 1); setTimeout(() => b.length, 300)'];
      // two workers × 100 MB: a tree (GNU time reports the largest process, lanebench the tree)
      const tree = [NODE, HEAVY_JOB, '--workers', '2', '--mb', '100'];
      const rows = [];
      for (const [label, argv, target] of [
        ['one process, 200 MB', single, true],
        ['tree: 2 workers × 100 MB', tree, false],
      ]) {
        const ours = [];
        const gnu = [];
        for (let i = 0; i < 5; i++) {
          ours.push((await core.measureIteration(argv, opts)).memory_usage);
          gnu.push(timed(argv).maxrss_mb);
        }
        const diff = ((mean(ours) - mean(gnu)) / mean(gnu)) * 100;
        rows.push({
          section: this.name,
          figure: `${label}: lanebench memory_usage (mean of 5)`,
          value: `${mean(ours).toFixed(1)} MB`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: GNU time max RSS (mean of 5)`,
          value: `${mean(gnu).toFixed(1)} MB`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: difference`,
          value: `${diff >= 0 ? '+' : ''}${diff.toFixed(2)}%${target ? '' : ' (lanebench sums the tree; GNU time reports its largest process)'}`,
          ...(target ? { target: 'within ±5%', ok: Math.abs(diff) <= 5 } : {}),
        });
      }
      return rows;
    },
  },
];

// ------------------------------------------------------------------------------ standalone

async function main() {
  if (process.argv[2] === '--stages') return stagesChild(process.argv[3]);
  await runSections('lanebench bench-reports', SECTIONS, process.argv.slice(2));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
