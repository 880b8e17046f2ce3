#!/usr/bin/env node
// The observer effect of lanebench's measurement (issue 13 item 9): what measuring costs the workload and the machine.
// scripts/bench.mjs imports SECTIONS from here; this file also runs alone: node scripts/bench-observer.mjs
//
//   measure.observer  per-iteration overhead of `true`, `sleep 0.05`, `node -e 0` (the whole measureIteration call
//                     vs a plain Node spawn → 'exit' of the same argv, interleaved; hyperfine -N for reference);
//                     a burst of 50 parallel short processes (execution_time vs the plain spawn); the sampler's CPU
//                     during `sleep 5` with 0 and 50 sleeping processes (our own CPU, as % of one core; the median of
//                     LANEBENCH_BENCH_CPU_REPS pairs, default 5, after LANEBENCH_BENCH_CPU_WARMUP pairs, default 3,
//                     shown apart).
//
// Every comparison is interleaved (a, b, a, b …) so that load drifting on a shared machine hits both sides.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runSections } from './bench-table.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const core = await import(
  pathToFileURL(process.env.LANEBENCH_BENCH_CORE ?? join(ROOT, 'packages/core/dist/index.js')).href
);
const NODE = process.execPath;
const PAIRS = Number(process.env.LANEBENCH_BENCH_PAIRS ?? 20);
// the burst's means: one pair swings by ±20 % on a shared machine, so three times as many pairs (~0.06 s each)
const BURST_PAIRS = Number(process.env.LANEBENCH_BENCH_BURST_PAIRS ?? PAIRS * 3);
// measured/unmeasured pairs of each 5 s sampler-CPU figure (the median is shown: one pair swings by ±1 % here)
const CPU_REPS = Number(process.env.LANEBENCH_BENCH_CPU_REPS ?? 5);
// pairs run first and shown apart: V8 compiles the sampler's hot functions (30–50 ms of CPU each time, on helper
// threads) during a process's first iterations of a new shape of tree, a one-time cost that is not the sampling's
const CPU_WARMUP = Number(process.env.LANEBENCH_BENCH_CPU_WARMUP ?? 3);
const OPTS = { timeout_s: 120, sampleIntervalMs: 50, iteration: 1, lane: 'bench', workflow: 'observer' };

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (s) => `${(s * 1000).toFixed(2)} ms`;
const pct = (v) => `${v >= 0 ? '+' : ''}${v.toFixed(1)}%`;

/** A plain Node harness: spawn → 'exit', no sampler. Returns wall seconds. */
function plainSpawn(argv) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
    child.once('error', rej);
    child.once('exit', () => res((performance.now() - t0) / 1000));
  });
}

function hyperfineMean(argv) {
  try {
    const dir = mkdtempSync(join(os.tmpdir(), 'lb-observer-'));
    try {
      const json = join(dir, 'hf.json');
      const cmd = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
      execFileSync('hyperfine', ['-N', '--runs', String(PAIRS), '--warmup', '2', '--export-json', json, cmd], {
        stdio: 'ignore',
      });
      return JSON.parse(readFileSync(json, 'utf8')).results[0].mean;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch {
    return null;
  }
}

const BURST = ['sh', '-c', 'i=0; while [ $i -lt 50 ]; do sleep 0.01 & i=$((i+1)); done; wait'];
const SLEEPERS = ['sh', '-c', 'i=0; while [ $i -lt 50 ]; do sleep 5 & i=$((i+1)); done; wait'];

export const SECTIONS = [
  {
    name: 'measure.observer',
    async run() {
      const rows = [];
      const section = this.name;
      for (const [label, argv] of [
        ['true', ['true']],
        ['sleep 0.05', ['sleep', '0.05']],
        ['node -e 0', [NODE, '-e', '0']],
      ]) {
        const call = [];
        const exec = [];
        const plain = [];
        for (let i = 0; i < PAIRS; i++) {
          const t0 = performance.now();
          const it = await core.measureIteration(argv, OPTS);
          call.push((performance.now() - t0) / 1000);
          exec.push(it.execution_time);
          plain.push(await plainSpawn(argv));
        }
        const hf = hyperfineMean(argv);
        const overhead = median(call) - median(plain);
        rows.push({
          section,
          figure: `${label}: plain spawn / measureIteration call / execution_time, medians of ${PAIRS}`,
          value: `${ms(median(plain))} / ${ms(median(call))} / ${ms(median(exec))}`,
        });
        if (hf !== null) rows.push({ section, figure: `${label}: hyperfine -N mean`, value: ms(hf) });
        rows.push({
          section,
          figure: `${label}: per-iteration overhead (call − plain spawn)`,
          value: ms(overhead),
          ...(label === 'sleep 0.05' ? { target: '≤ 3 ms', ok: overhead <= 0.003 } : {}),
        });
      }

      // The burst: does sampling slow the workload down? execution_time vs a plain spawn of the same script.
      const ours = [];
      const plain = [];
      for (let i = 0; i < BURST_PAIRS; i++) {
        ours.push((await core.measureIteration(BURST, OPTS)).execution_time);
        plain.push(await plainSpawn(BURST));
      }
      const hf = hyperfineMean(BURST);
      const ratio = (mean(ours) / mean(plain) - 1) * 100;
      rows.push({
        section,
        figure: `50-process burst: plain spawn / execution_time means of ${BURST_PAIRS}${hf !== null ? ' / hyperfine -N' : ''}`,
        value: `${ms(mean(plain))} / ${ms(mean(ours))}${hf !== null ? ` / ${ms(hf)}` : ''}`,
      });
      rows.push({
        section,
        figure: '50-process burst: execution_time vs plain spawn',
        value: pct(ratio),
        target: 'within 5%',
        ok: Math.abs(ratio) <= 5,
      });

      // Sampler CPU: our own CPU during a measured `sleep 5` minus the same wait without measurement.
      for (const [label, argv] of [
        ['sleep 5, 0 other processes', ['sleep', '5']],
        ['sleep 5, 50 sleeping processes', SLEEPERS],
      ]) {
        const shares = [];
        const warm = [];
        for (let r = 0; r < CPU_WARMUP + CPU_REPS; r++) {
          let c0 = process.cpuUsage();
          const w0 = performance.now();
          await core.measureIteration(argv, OPTS);
          const measured = process.cpuUsage(c0);
          const wall = (performance.now() - w0) / 1000;
          c0 = process.cpuUsage();
          const w1 = performance.now();
          await plainSpawn(argv);
          const bare = process.cpuUsage(c0);
          const bareWall = (performance.now() - w1) / 1000;
          const v = ((measured.user + measured.system) / 1e6 / wall - (bare.user + bare.system) / 1e6 / bareWall) * 100;
          (r < CPU_WARMUP ? warm : shares).push(v);
        }
        const share = median(shares);
        const list = (xs) => xs.map((v) => v.toFixed(2)).join(', ');
        if (warm.length > 0)
          rows.push({
            section,
            figure: `sampler CPU, ${label}: the ${warm.length} warm-up pairs (JIT compilation included)`,
            value: `${list(warm)} %`,
          });
        rows.push({
          section,
          figure: `sampler CPU, ${label} (% of one core${CPU_REPS > 1 ? `, median of ${CPU_REPS}` : ''})`,
          value: `${share.toFixed(2)}%${CPU_REPS > 1 ? ` (${list(shares)})` : ''}`,
          ...(label.includes('50') ? { target: '< 1%', ok: share < 1 } : {}),
        });
      }
      return rows;
    },
  },
];

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await core.measureIteration(['true'], OPTS); // first-use costs belong to no figure
  await runSections('lanebench observer bench', SECTIONS, process.argv.slice(2));
}
