#!/usr/bin/env node
// `pnpm bench` = `pnpm build && node scripts/bench.mjs`
//
// Benchmarks of lanebench itself, in sections. Each section returns rows { section, figure, value, target, ok }
// that are printed as one table at the end; the exit code is 1 when a row with a target misses it.
// Add a section by appending { name, run } to SECTIONS. Run a subset: `node scripts/bench.mjs measure.sampler`.
//
// Sections of the measurement engine:
//   measure.overhead  harness overhead per iteration (measureIteration vs a bare spawn→exit of the same command)
//   measure.sampler   our own CPU during a long `sleep 5` iteration vs a bare `sleep 5`: the sampler's cost
//   measure.accuracy  mean execution_time vs hyperfine's mean (hyperfine -N, same machine, interleaved rounds)
//
// The machine may be shared and busy: every comparison is made between runs taken close together, interleaved.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { runSections } from './bench-table.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// LANEBENCH_BENCH_CORE: benchmark another build of core (e.g. a scratch build) instead of packages/core/dist.
const core = await import(
  pathToFileURL(process.env.LANEBENCH_BENCH_CORE ?? join(ROOT, 'packages/core/dist/index.js')).href
);

const NODE = process.execPath;
// ~0.4 s of CPU in one process (inside a function so V8 optimizes the loop)
const CPU_CMD = [
  NODE,
  '-e',
  'function f() { let x = 0; for (let i = 0; i < 3e8; i++) x += i; return x } if (f() < 0) console.log(1)',
];
const ITER_OPTS = { timeout_s: 120, sampleIntervalMs: 50, iteration: 1, lane: 'bench', workflow: 'bench' };

const PAIRS = Number(process.env.LANEBENCH_BENCH_PAIRS ?? 20);
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}%`;

/** Wall time of a bare spawn → 'exit' of argv, the way any Node harness would run it (no measurement). */
function bareRun(argv) {
  return new Promise((resolvePromise, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolvePromise((performance.now() - t0) / 1000));
  });
}

function hyperfineAvailable() {
  try {
    execFileSync('hyperfine', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** hyperfine's mean (s) of argv run without a shell. */
function hyperfineMean(argv, runs) {
  const dir = mkdtempSync(join(os.tmpdir(), 'lanebench-bench-'));
  try {
    const json = join(dir, 'h.json');
    const quoted = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    execFileSync('hyperfine', ['-N', '--runs', String(runs), '--export-json', json, quoted], { stdio: 'ignore' });
    return JSON.parse(readFileSync(json, 'utf8')).results[0].times;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SECTIONS = [
  {
    name: 'measure.overhead',
    async run() {
      // Per-iteration harness cost: wall time of the whole measureIteration() call minus a bare spawn→exit of the
      // same command, interleaved so that machine load affects both alike.
      const rows = [];
      for (const [label, argv] of [
        ['true', ['true']],
        ['sleep 0.5', ['sleep', '0.5']],
      ]) {
        const bare = [];
        const ours = [];
        const reported = [];
        for (let i = 0; i < 8; i++) {
          bare.push(await bareRun(argv));
          const t0 = performance.now();
          const it = await core.measureIteration(argv, ITER_OPTS);
          ours.push((performance.now() - t0) / 1000);
          reported.push(it.execution_time);
        }
        const overheadMs = (mean(ours) - mean(bare)) * 1000;
        rows.push({
          section: this.name,
          figure: `${label}: bare spawn→exit, mean`,
          value: `${(mean(bare) * 1000).toFixed(2)} ms`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: measureIteration() call, mean`,
          value: `${(mean(ours) * 1000).toFixed(2)} ms`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: reported execution_time, mean`,
          value: `${(mean(reported) * 1000).toFixed(2)} ms`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: harness overhead per iteration`,
          value: `${overheadMs.toFixed(2)} ms (ratio ${(mean(ours) / mean(bare)).toFixed(3)})`,
        });
      }
      return rows;
    },
  },
  {
    name: 'measure.sampler',
    async run() {
      // Our own process's CPU while a `sleep 5` iteration is measured, against the same while a bare `sleep 5`
      // runs: the difference is the sampler (plus the rest of the harness), as a share of one core.
      const cpuDuring = async (fn) => {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await fn();
        const c = process.cpuUsage(c0);
        return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - t0) / 1000 };
      };
      // Reference: an empty timer waking at the same 50 ms interval while the same bare `sleep 5` runs. On a
      // virtual machine a wake-up alone can cost a few hundred µs of CPU; any 20 Hz sampler pays that.
      const emptyTimer = () =>
        new Promise((resolvePromise) => {
          const t = setInterval(() => {}, 50);
          bareRun(['sleep', '5']).then(() => {
            clearInterval(t);
            resolvePromise();
          });
        });
      // Three interleaved rounds, medians: other processes' load shows up in our CPU figures too.
      const rounds = { bare: [], timer: [], ours: [] };
      for (let r = 0; r < 3; r++) {
        rounds.bare.push(await cpuDuring(() => bareRun(['sleep', '5'])));
        rounds.timer.push(await cpuDuring(emptyTimer));
        rounds.ours.push(await cpuDuring(() => core.measureIteration(['sleep', '5'], ITER_OPTS)));
      }
      const pick = (xs) => ({ cpu: median(xs.map((x) => x.cpu)), wall: median(xs.map((x) => x.wall)) });
      const bare = pick(rounds.bare);
      const timer = pick(rounds.timer);
      const ours = pick(rounds.ours);
      const share = ((ours.cpu - bare.cpu) / ours.wall) * 100;
      const wakeShare = ((timer.cpu - bare.cpu) / timer.wall) * 100;
      return [
        {
          section: this.name,
          figure: 'own CPU during bare `sleep 5` (median of 3)',
          value: `${(bare.cpu * 1000).toFixed(1)} ms`,
        },
        {
          section: this.name,
          figure: 'own CPU, bare `sleep 5` + empty 50 ms timer',
          value: `${(timer.cpu * 1000).toFixed(1)} ms (${wakeShare.toFixed(3)}% of one core)`,
        },
        {
          section: this.name,
          figure: 'own CPU during measured `sleep 5` (50 ms interval)',
          value: `${(ours.cpu * 1000).toFixed(1)} ms`,
        },
        {
          section: this.name,
          figure: 'sampler CPU (measured − bare), % of one core',
          value: `${share.toFixed(3)}% (ratio ours/bare CPU ${(ours.cpu / Math.max(bare.cpu, 1e-6)).toFixed(2)})`,
          target: '< 1%',
          ok: share < 1,
        },
        {
          section: this.name,
          figure: 'sampler work beyond timer wake-ups, % of one core',
          value: `${(share - wakeShare).toFixed(3)}%`,
        },
      ];
    },
  },
  {
    name: 'measure.accuracy',
    async run() {
      if (!hyperfineAvailable()) {
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
      const rows = [];
      for (const [label, argv] of [
        ['sleep 0.5', ['sleep', '0.5']],
        ['node CPU loop', CPU_CMD],
      ]) {
        const hf = [];
        const ours = [];
        // Interleaved one to one: load from other work on the machine drifts; each pair sees about the same load.
        hyperfineMean(argv, 1); // warm caches (binary, page cache) for both
        for (let i = 0; i < PAIRS; i++) {
          // alternate who goes first, so a drift in load does not favour one side
          if (i % 2 === 0) hf.push(...hyperfineMean(argv, 1));
          ours.push((await core.measureIteration(argv, ITER_OPTS)).execution_time);
          if (i % 2 === 1) hf.push(...hyperfineMean(argv, 1));
        }
        const diff = ((mean(ours) - mean(hf)) / mean(hf)) * 100;
        const diffMedian = ((median(ours) - median(hf)) / median(hf)) * 100;
        const ms = (v) => `${(v * 1000).toFixed(2)} ms`;
        rows.push({
          section: this.name,
          figure: `${label}: hyperfine -N mean / median (${PAIRS} runs)`,
          value: `${ms(mean(hf))} / ${ms(median(hf))}`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: lanebench execution_time mean / median (${PAIRS})`,
          value: `${ms(mean(ours))} / ${ms(median(ours))}`,
        });
        rows.push({
          section: this.name,
          figure: `${label}: difference of means`,
          value: pct(diff),
          target: 'within ±1%',
          ok: Math.abs(diff) <= 1,
        });
        rows.push({ section: this.name, figure: `${label}: difference of medians`, value: pct(diffMedian) });
      }
      return rows;
    },
  },
];

// Sections on analysis, reports, CLI start-up and memory vs GNU time: scripts/bench-reports.mjs
// (reports.scale, cli.coldstart, measure.gnutime).
SECTIONS.push(...(await import('./bench-reports.mjs')).SECTIONS);
// The observer effect of the sampler (measure.observer): scripts/bench-observer.mjs
SECTIONS.push(...(await import('./bench-observer.mjs')).SECTIONS);
SECTIONS.push(...(await import('./bench-regressions.mjs')).SECTIONS); // regressions.ab, regressions.history
SECTIONS.push(...(await import('./bench-history.mjs')).SECTIONS); // history.stores
SECTIONS.push(...(await import('./bench-confirm.mjs')).SECTIONS); // regressions.confirm

const only = process.argv.slice(2);
// Warm-up: first-use costs (module init, JIT) belong to no section.
await core.measureIteration(['true'], ITER_OPTS);
await runSections('lanebench bench', SECTIONS, only);
